// R&D and technology transfer (issue 12 §3): the technology-service income page. Projects,
// partners, receipts, participants and outcomes use the shared list, detail and form pages.

import type { Module } from '../module'
import { en, zh } from './messages'

const research: Module = {
  name: 'research',
  routes: [{ path: 'research/income', name: 'research-income', component: () => import('./IncomeView.vue') }],
  messages: { zh, en },
}
export default research
