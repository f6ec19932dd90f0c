// How a field's value is shown.

import { L, t } from './i18n'
import { refText } from './refs'
import type { FieldMeta } from './types'
import { chinaText } from './time'

/** Fen (integer) as yuan: 1234567 -> "¥12,345.67", without floating point. */
export function yuan(fen: number | string): string {
  const n = typeof fen === 'number' ? fen : parseInt(fen, 10)
  if (!Number.isFinite(n)) return String(fen)
  const neg = n < 0
  const a = Math.abs(n)
  const whole = Math.floor(a / 100)
    .toString()
    .replace(/\B(?=(\d{3})+(?!\d))/g, ',')
  const cents = (a % 100).toString().padStart(2, '0')
  return `${neg ? '-' : ''}¥${whole}.${cents}`
}

export function optionLabel(f: FieldMeta, v: unknown): string {
  const o = f.options?.find((x) => x.value === String(v))
  return o ? L(o) : String(v)
}

/** The text of a value, for lists and details. */
export function display(f: FieldMeta, v: unknown): string {
  if (v === null || v === undefined || v === '') return ''
  switch (f.kind) {
    case 'enum':
      return optionLabel(f, v)
    case 'flag':
      return v === true || v === 1 || v === 'true' ? t('common.yes') : t('common.no')
    case 'fen':
      return yuan(v as number)
    case 'ref':
    case 'refcode':
      return refText(f, v)
    case 'instant':
      return chinaText(String(v))
    default:
      return String(v)
  }
}

/** An instant (RFC 3339, UTC) in local time, to the minute. */
export function instant(s: string | null | undefined): string {
  if (!s) return ''
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  const p = (n: number) => String(n).padStart(2, '0')
  return `${d.getFullYear()}-${p(d.getMonth() + 1)}-${p(d.getDate())} ${p(d.getHours())}:${p(d.getMinutes())}:${p(d.getSeconds())}`
}

/** Fields shown as list columns: all but long free text. */
export function listColumns(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => !(f.kind === 'text' && (f.max_len ?? 0) > 200 && f.pii === 'none'))
}

/** Fields offered as list filters. */
export function filterFields(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => f.pii === 'none' && ['enum', 'ref', 'refcode', 'flag'].includes(f.kind))
}
