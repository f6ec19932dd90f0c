// Competitions and start-ups (issue 15 §2): the summary page (awards by level and grade of a
// year, start-ups by stage). Lists and forms of competitions, teams, members, advisors, awards,
// start-ups, funding, founders and mentors are the shared ones.

import type { Module } from '../module'
import { en, zh } from './messages'

const competitions: Module = {
  name: 'competitions',
  routes: [{ path: 'competitions/summary', name: 'competitions-summary', component: () => import('./SummaryView.vue') }],
  messages: { zh, en },
}
export default competitions
