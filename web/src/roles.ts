// Roles in words.

import { t } from './i18n'
import { refText } from './refs'
import type { FieldMeta, Role } from './types'

export function refField(resource: string): FieldMeta {
  return { name: resource, zh: '', en: '', kind: 'ref', required: false, unique: false, pii: 'none', max_len: null, min: null, max: null, options: null, ref: resource }
}

/** The label of a record by resource and id (loaded and cached in the background). */
export function labelOf(resource: string, id: number | null | undefined): string {
  return id == null ? '' : refText(refField(resource), id)
}

export function roleText(r: Role): string {
  switch (r.role) {
    case 'staff': {
      const office = t(`office.${r.office}`)
      return r.school_id ? `${office} · ${labelOf("schools", r.school_id)}` : office
    }
    case 'enterprise':
      return `${t(`relation.${r.relation}`)} · ${labelOf("organisations", r.org_id)}`
    case 'teacher':
      return t('role.teacher')
    case 'student':
      return t('role.student')
    default:
      return t(`role.${r.role}`)
  }
}
