// Where each print view lives (issue 10 §7). The views are pages of their modules (declared in
// each module's `print`, see modules/module.ts), opened from a record's detail page ("打印")
// and from a list's batch "print selection"; a record type without a view of its own prints
// its selection as a table (views/PrintListView.vue).

import { MODULES } from './modules'

/** The print view of one record, if a module declares one for its record type. */
export function printOfRecord(resource: string, id: number): string | null {
  const base = MODULES.map((m) => m.print?.record?.[resource]).find((p) => p)
  return base ? `${base}/${id}` : null
}

/** The print view of a list's selection (`?ids=1,2,3`, or the list's filter). */
export function printOfSelection(resource: string): string {
  return MODULES.map((m) => m.print?.selection?.[resource]).find((p) => p) ?? `/print/list/${resource}`
}
