// Personal data protection (issue 11): the registry of personal fields for administrators, and
// a student's download of everything held about them (a card of their home page).

import type { Module } from '../module'
import { en, zh } from './messages'
import MyDataCard from './MyDataCard.vue'

const privacy: Module = {
  name: 'privacy',
  routes: [{ path: 'privacy-registry', name: 'privacy-registry', component: () => import('./PrivacyRegistryView.vue') }],
  messages: { zh, en },
  homeCards: [MyDataCard],
}
export default privacy
