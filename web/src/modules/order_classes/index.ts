// Order classes: a student's ranked choices, interview scoring by the sponsor and the offices,
// and the allocation (run, review, publish, refill). The records' lists are the shared ones.

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
}
export default orderClasses
