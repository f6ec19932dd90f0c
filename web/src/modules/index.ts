// Every front-end module: the one list to edit when adding a module (see module.ts for what a
// module declares, and web/README.md for the steps), in the server's module order. A server module
// whose records need only the shared list, detail and form pages (reference, adjuncts) has no
// folder here: its menu comes from `/api/meta` all the same.

import accounts from './accounts'
import audit from './audit'
import bases from './bases'
import college from './college'
import competitions from './competitions'
import international from './international'
import order_classes from './order_classes'
import partners from './partners'
import privacy from './privacy'
import research from './research'
import todos from './todos'
import status_changes from './status_changes'
import type { Module } from './module'

export type { Module } from './module'

// `todos` comes first although the server lists it last: its home card (the user's to-dos) is the
// first card of the home page, which takes the cards in this order.
export const MODULES: readonly Module[] = [todos, college, partners, bases, order_classes, status_changes, competitions, international, research, accounts, audit, privacy]

/** The panels that modules register for a record type's detail page, in module order. */
export function detailPanels(resource: string) {
  return MODULES.flatMap((m) => (m.detailPanels?.[resource] ? [{ key: `${m.name}.${resource}`, component: m.detailPanels[resource] }] : []))
}
