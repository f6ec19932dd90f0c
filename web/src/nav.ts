// The side menu: the resources the user can read, in groups, and the administration pages.

import { computed } from 'vue'
import { L, t } from './i18n'
import { hasRole, session } from './session'

const GROUPS: Array<[string, string[]]> = [
  ['students', ['students', 'classes', 'programs', 'mentors', 'staff']],
  ['partners', ['organisations', 'agreements', 'contacts', 'key_industries']],
  ['bases', ['training_bases', 'bookings', 'equipment', 'base_programs']],
  ['institution', ['schools', 'academic_years', 'terms']],
  ['reference', ['regions', 'countries', 'industries']],
  // Order classes (issue 4)
  ['order', ['order_classes', 'order_applications', 'order_offers', 'allocation_runs', 'order_class_programs']],
]

export interface NavItem {
  key: string
  path: string
  label: string
}
export interface NavGroup {
  key: string
  title: string
  items: NavItem[]
}

export const navGroups = computed<NavGroup[]>(() => {
  const readable = session.resources.filter((r) => r.can.read)
  const placed = new Set<string>()
  const out: NavGroup[] = []
  for (const [key, names] of GROUPS) {
    const items = names
      .map((n) => readable.find((r) => r.name === n))
      .filter((r) => !!r)
      .map((r) => {
        placed.add(r!.name)
        return { key: r!.name, path: `/${r!.name}`, label: L(r!) }
      })
    // Utilisation per term, for whoever reads the bases.
    if (key === 'bases' && items.some((i) => i.key === 'training_bases')) {
      items.push({ key: 'utilisation', path: '/utilisation', label: t('nav.utilisation') })
    }
    if (items.length) out.push({ key, title: t(`group.${key}`), items })
  }
  const rest = readable.filter((r) => !placed.has(r.name)).map((r) => ({ key: r.name, path: `/${r.name}`, label: L(r) }))
  if (rest.length) out.push({ key: 'other', title: t('group.other'), items: rest })
  // Order classes (issue 4): the workflow pages, first in their group.
  const flow: NavItem[] = []
  if (hasRole('student')) flow.push({ key: 'order-choices', path: '/order-choices', label: t('nav.orderChoices') })
  const recruits = session.user?.roles.some(
    (r) => r.role === 'admin' || (r.role === 'enterprise' && r.relation !== 'mentor') || (r.role === 'staff' && (r.office === 'employment' || r.office === 'academic_affairs')),
  )
  if (recruits) flow.push({ key: 'order-scoring', path: '/order-scoring', label: t('nav.orderScoring') })
  if (readable.some((r) => r.name === 'allocation_runs')) flow.push({ key: 'allocation', path: '/allocation', label: t('nav.allocation') })
  if (flow.length) {
    const g = out.find((x) => x.key === 'order')
    if (g) g.items.unshift(...flow)
    else out.splice(out.length - (out.some((x) => x.key === 'other') ? 1 : 0), 0, { key: 'order', title: t('group.order'), items: flow })
  }
  const system: NavItem[] = []
  if (hasRole('admin')) system.push({ key: 'accounts', path: '/accounts', label: t('nav.accounts') })
  if (hasRole('admin', 'leader')) system.push({ key: 'audit', path: '/audit', label: t('nav.audit') })
  if (system.length) out.push({ key: 'system', title: t('group.system'), items: system })
  return out
})
