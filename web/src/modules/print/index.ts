// Print views (issue 10 §7): A4 pages with the college's name and the date, printed without the
// app's menus and header (the print stylesheet in style.css). Not a server module: the data come
// from the record types' own routes, held to the reader's scope and masking by the server.

import type { Module } from '../module'
import { en, zh } from './messages'

const print: Module = {
  name: 'print',
  routes: [
    { path: 'print/roster/:id(\\d+)', name: 'print-roster', component: () => import('./RosterPrint.vue') },
    { path: 'print/offer/:id(\\d+)', name: 'print-offer', component: () => import('./OfferPrint.vue') },
    { path: 'print/bookings/:id(\\d+)', name: 'print-bookings', component: () => import('./BookingSheetPrint.vue') },
    { path: 'print/card/:id(\\d+)', name: 'print-card', component: () => import('./RecordCardPrint.vue') },
    { path: 'print/cards', name: 'print-cards', component: () => import('./RecordCardPrint.vue') },
    { path: 'print/list/:resource', name: 'print-list', component: () => import('./ListPrint.vue') },
  ],
  messages: { zh, en },
}
export default print
