// The college's own records (schools, programs, years, terms, classes, students, staff): shared
// lists and forms, plus the home-page cards of a teacher's classes and a student's own record.

import { defineAsyncComponent } from 'vue'
import type { Module } from '../module'
import { en, zh } from './messages'

const college: Module = {
  name: 'college',
  routes: [
    { path: 'print/roster/:id(\\d+)', name: 'print-roster', component: () => import('./RosterPrint.vue') },
    { path: 'print/card/:id(\\d+)', name: 'print-card', component: () => import('./RecordCardPrint.vue') },
    { path: 'print/cards', name: 'print-cards', component: () => import('./RecordCardPrint.vue') },
  ],
  print: { record: { classes: '/print/roster', students: '/print/card' }, selection: { students: '/print/cards' } },
  messages: { zh, en },
  homeCards: [defineAsyncComponent(() => import('./CollegeHomeCards.vue'))],
  overview: ['students', 'classes', 'programs', 'staff'],
}
export default college
