// International exchange (国际交流): the yearly totals page. The lists, detail pages and forms of
// its records are the shared pages built from the record descriptions.

import type { Module } from '../module'
import { en, zh } from './messages'

const international: Module = {
  name: 'international',
  routes: [{ path: 'international/totals', name: 'international-totals', component: () => import('./TotalsView.vue') }],
  messages: { zh, en },
}
export default international
