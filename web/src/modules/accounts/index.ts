// Accounts: the account administration page with its role editor.

import type { Module } from '../module'
import { en, zh } from './messages'

const accounts: Module = {
  name: 'accounts',
  routes: [
    { path: 'accounts', name: 'accounts', component: () => import('./AccountsView.vue') },
  ],
  messages: { zh, en },
}
export default accounts
