// Order classes: a student's ranked choices, interview scoring by the sponsor and the offices,
// and the allocation (run, review, publish, refill); home cards of a student's offer and
// deadlines, the applicants to score and the placement offices' queue. The records' lists are the shared ones.

import { defineAsyncComponent } from 'vue'
import type { Module } from '../module'
import { en, zh } from './messages'

const orderClasses: Module = {
  name: 'order_classes',
  routes: [
    { path: 'order-choices', name: 'order-choices', component: () => import('./OrderChoicesView.vue') },
    { path: 'order-scoring', name: 'order-scoring', component: () => import('./OrderScoringView.vue') },
    { path: 'allocation', name: 'allocation', component: () => import('./AllocationView.vue') },
    { path: 'print/offer/:id(\\d+)', name: 'print-offer', component: () => import('./OfferPrint.vue') },
  ],
  print: { record: { order_offers: '/print/offer' } },
  messages: { zh, en },
  homeCards: [defineAsyncComponent(() => import('./OrderHomeCards.vue'))],
}
export default orderClasses
