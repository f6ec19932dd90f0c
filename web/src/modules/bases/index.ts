// Training bases: the utilisation page, the home card of the week's bookings, and the week calendar with the booking form on a base's
// detail page. Lists and forms of bases, bookings, equipment and base programs are the shared ones.

import { defineAsyncComponent } from 'vue'
import type { Module } from '../module'
import { en, zh } from './messages'

const bases: Module = {
  name: 'bases',
  routes: [
    { path: 'utilisation', name: 'utilisation', component: () => import('./UtilisationView.vue') },
    { path: 'print/bookings/:id(\\d+)', name: 'print-bookings', component: () => import('./BookingSheetPrint.vue') },
  ],
  print: { record: { training_bases: '/print/bookings' } },
  messages: { zh, en },
  homeCards: [defineAsyncComponent(() => import('./BasesHomeCards.vue'))],
  detailPanels: { training_bases: defineAsyncComponent(() => import('./BaseCalendar.vue')) },
}
export default bases
