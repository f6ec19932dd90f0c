// To-dos and notifications (issue 10, item 5): the to-do centre, the preferences page, the
// header's bell (components/AppLayout.vue shows TodoBadge) and the home page's first card.
// The items come from the server, which computes them from every module's sources.

import { defineAsyncComponent } from 'vue'
import type { Module } from '../module'
import { en, zh } from './messages'

const todos: Module = {
  name: 'todos',
  routes: [
    { path: 'todos', name: 'todos', component: () => import('./TodosView.vue') },
    { path: 'preferences', name: 'preferences', component: () => import('./PreferencesView.vue') },
  ],
  messages: { zh, en },
  homeCards: [defineAsyncComponent(() => import('./TodoHomeCard.vue'))],
}
export default todos
