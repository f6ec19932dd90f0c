// Accounts and the audit trail: the account administration page (with its role editor) and the
// audit log with the chain check.

import type { Module } from '../module'
import { en, zh } from './messages'

const accounts: Module = {
  name: 'accounts',
  routes: [
    { path: 'accounts', name: 'accounts', component: () => import('./AccountsView.vue') },
    { path: 'audit', name: 'audit', component: () => import('./AuditView.vue') },
  ],
  messages: { zh, en },
}
export default accounts
