// The side menu: one group per module, with the entries that `/api/meta` says the user may open,
// in the server's order (`crates/core/src/modules/<name>/mod.rs`, `menu`). Nothing here decides
// who sees what; the labels follow the current language.

import { computed } from 'vue'
import { L } from './i18n'
import { session } from './session'

export interface NavItem {
  /** The path without its slash (`students`, `allocation`): the entry's `data-menu` in the page. */
  key: string
  path: string
  label: string
}
export interface NavGroup {
  key: string
  title: string
  items: NavItem[]
}

export const navGroups = computed<NavGroup[]>(() =>
  session.modules
    .filter((m) => m.menu.length)
    .map((m) => ({
      key: m.name,
      title: L(m),
      items: m.menu.map((e) => ({ key: e.path.replace(/^\//, ''), path: e.path, label: L(e) })),
    })),
)
