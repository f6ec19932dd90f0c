// What a front-end module declares about itself. One folder per module, named like the server's
// (`crates/core/src/modules/<name>/`), holds its pages, its messages and this declaration in
// `index.ts`; `modules/index.ts` lists the modules. The router, the dictionaries, the detail page
// and the home page are assembled from that list, so no shared file names a module's records or
// pages.
//
// Nothing here decides who may do what: the menu comes from `/api/meta` (`session.modules`), and
// pages ask `session.permissions` and `resources[].can`, which the server computes from the same
// rules it enforces.
//
// Pages and panels are imported lazily (`() => import(...)`): the declaration then depends on no
// view, so `i18n.ts` can read the module list without an import cycle, and each module's pages
// load when first opened.

import type { Component } from 'vue'
import type { RouteRecordRaw } from 'vue-router'

export type Messages = Record<string, string>

export interface Module {
  /** The folder name, the same as the server's module (`bases`, `order_classes`). */
  name: string
  /** The module's own pages, as children of the signed-in layout (`path: 'allocation'`, no slash).
   * Record lists, details and forms need none: the shared views build them from `/api/meta`. */
  routes: RouteRecordRaw[]
  /** Messages of its pages in both languages, merged into the dictionaries of `i18n.ts`. */
  messages: { zh: Messages; en: Messages }
  /** Panels shown on a record's detail page below its fields, by record type. Each receives the
   * props `resource` (the record type), `id` and `record` (the record as read). */
  detailPanels?: Record<string, Component>
  /** Cards of the home page. Each decides for itself whether the signed-in user has anything
   * to see there, and renders nothing otherwise. */
  homeCards?: Component[]
  /** Record types counted in the home page's overview for the college's offices (shown when the
   * user may read them), in this order. */
  overview?: string[]
  /** Print views of its record types (issue 10 §7), among its `routes`: `record` maps a record
   * type to the path a record's id is appended to (`/print/roster` + `/12`), opened by the
   * detail page's 打印 button; `selection` to the path that prints a list's selection
   * (`?ids=1,2` or the list's filter). A record type without one prints its selection as a table. */
  print?: { record?: Record<string, string>; selection?: Record<string, string> }
}
