// The college's own records (schools, programs, years, terms, classes, students, staff): shared
// lists and forms, plus the home-page cards of a teacher's classes and a student's own record.

import { defineAsyncComponent } from 'vue'
import type { Module } from '../module'
import { en, zh } from './messages'

const college: Module = {
  name: 'college',
  routes: [],
  messages: { zh, en },
  homeCards: [defineAsyncComponent(() => import('./CollegeHomeCards.vue'))],
  overview: ['students', 'classes', 'programs', 'staff'],
}
export default college
