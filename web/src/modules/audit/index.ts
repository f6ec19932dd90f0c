// The audit trail: the log of every write, sign-in and reveal, with the check of its hash chain.

import type { Module } from '../module'
import { en, zh } from './messages'

const audit: Module = {
  name: 'audit',
  routes: [{ path: 'audit', name: 'audit', component: () => import('./AuditView.vue') }],
  messages: { zh, en },
}
export default audit
