// Partners (organisations, agreements, contacts, mentor assignments): shared lists and forms,
// plus the home-page cards of mentees and of an enterprise user's organisation.

import { defineAsyncComponent } from 'vue'
import type { Module } from '../module'
import { en, zh } from './messages'

const partners: Module = {
  name: 'partners',
  routes: [],
  messages: { zh, en },
  homeCards: [defineAsyncComponent(() => import('./PartnersHomeCards.vue'))],
  overview: ['mentors', 'organisations', 'agreements', 'contacts'],
}
export default partners
