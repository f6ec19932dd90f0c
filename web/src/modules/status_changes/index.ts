// Student status changes (学籍异动): the filing form with evidence, the decision panel on a
// request's page (approve, reject, its evidence), and the history on a student's page. The list
// of requests with its filters is the shared list page (`#/status_changes`).

import { defineAsyncComponent } from 'vue'
import type { Module } from '../module'
import { en, zh } from './messages'

const statusChanges: Module = {
  name: 'status_changes',
  routes: [{ path: 'status-changes/new', name: 'status-file', component: () => import('./StatusFileView.vue') }],
  messages: { zh, en },
  detailPanels: {
    status_changes: defineAsyncComponent(() => import('./StatusRequestPanel.vue')),
    students: defineAsyncComponent(() => import('./StudentStatusPanel.vue')),
  },
}
export default statusChanges
