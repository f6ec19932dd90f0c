// How a field's value is shown.

import { L, has, lang, messages, t } from './i18n'
import { refText } from './refs'
import type { FieldMeta, Rec } from './types'

// Every value a page shows goes through this module: instants in the college's time zone (China
// time unless the server's meta names another), dates as they are, money stored as integer fen
// shown in yuan, counts with thousands separators, coded values as their labels.

/** The zone instants are shown in: Asia/Shanghai unless GET /api/meta says `time_zone`. */
let zone = 'Asia/Shanghai'
let zoneFormat: Intl.DateTimeFormat | null = null

export function setTimeZone(z: string | null | undefined): void {
  const next = z && z.trim() ? z.trim() : 'Asia/Shanghai'
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: next })
  } catch {
    return // an unknown zone: keep the one we have
  }
  if (next !== zone) {
    zone = next
    zoneFormat = null
  }
}

export function timeZone(): string {
  return zone
}

/** Digits grouped by three: "1234567" -> "1,234,567". */
function group(digits: string): string {
  return digits.replace(/\B(?=(\d{3})+(?!\d))/g, ',')
}

/** A count with thousands separators: 12345 -> "12,345"; anything not a whole number as it is. */
export function count(n: number | string | null | undefined): string {
  if (n === null || n === undefined || n === '') return ''
  const v = typeof n === 'number' ? n : Number(n)
  if (!Number.isSafeInteger(v)) return String(n)
  return `${v < 0 ? '-' : ''}${group(String(Math.abs(v)))}`
}

/** A number rounded to `digits` decimals (trailing zeros dropped), its whole part grouped:
 *  1234.56 -> "1,234.6" with one digit. */
export function decimal(x: number, digits = 1): string {
  if (!Number.isFinite(x)) return String(x)
  const [whole, frac] = Math.abs(x).toFixed(digits).split('.')
  const f = (frac ?? '').replace(/0+$/, '')
  const neg = x < 0 && (Number(whole) > 0 || f !== '')
  return `${neg ? '-' : ''}${group(whole)}${f ? `.${f}` : ''}`
}

/** Fen (integer) as yuan, without floating point: 1234567 -> "12,345.67". */
export function yuanAmount(fen: number | string): string {
  const n = typeof fen === 'number' ? fen : Number(String(fen).trim())
  if (!Number.isSafeInteger(n)) return String(fen)
  const a = Math.abs(n)
  const cents = (a % 100).toString().padStart(2, '0')
  return `${n < 0 ? '-' : ''}${group(Math.floor(a / 100).toString())}.${cents}`
}

/** Fen as yuan with its unit: 1234567 -> "12,345.67 元" (the unit is the same in both languages). */
export function yuan(fen: number | string): string {
  const n = typeof fen === 'number' ? fen : Number(String(fen).trim())
  return Number.isSafeInteger(n) ? `${yuanAmount(n)} 元` : String(fen)
}

/** An instant (RFC 3339) in the college's zone, to the minute: "2026-12-07T05:47:00.000Z" ->
 *  "2026-12-07 13:47". A date alone ("2026-12-07") stays as it is; text that is no instant too. */
export function instant(s: string | null | undefined): string {
  if (!s) return ''
  if (/^\d{4}-\d\d-\d\d$/.test(s)) return s
  const d = new Date(s)
  if (Number.isNaN(d.getTime())) return s
  zoneFormat ??= new Intl.DateTimeFormat('en-US', {
    timeZone: zone,
    year: 'numeric',
    month: '2-digit',
    day: '2-digit',
    hour: '2-digit',
    minute: '2-digit',
    hourCycle: 'h23',
  })
  const p: Record<string, string> = {}
  for (const x of zoneFormat.formatToParts(d)) p[x.type] = x.value
  return `${p.year}-${p.month}-${p.day} ${p.hour}:${p.minute}`
}

/** Instants inside free text (an audit detail, a message): each one shown as [instant] shows it. */
export function instantsIn(text: string | null | undefined): string {
  if (!text) return ''
  return text.replace(/\d{4}-\d\d-\d\dT\d\d:\d\d(?::\d\d(?:\.\d+)?)?(?:Z|[+-]\d\d:?\d\d)?/g, (m) => {
    const zoned = /(Z|[+-]\d\d:?\d\d)$/.test(m) ? m : `${m}Z`
    return instant(zoned)
  })
}

/** A coded value as its label: the message `<family>.<code>` in the current language (e.g.
 *  `audit.action.login_failed` -> "登录失败"); a code without a message is shown as it is. */
export function coded(family: string, code: string | null | undefined): string {
  if (code === null || code === undefined || code === '') return ''
  const key = `${family}.${code}`
  return has(key) || key in messages.zh ? t(key) : code
}

/** The label of a field where its value is shown: a money field stored in fen is shown in yuan,
 *  so its label names 元 (a label "金额（分）" becomes "金额（元）", "Amount (fen)" "Amount (yuan)"). */
export function shownLabel(f: FieldMeta): string {
  const l = L(f)
  if (f.kind !== 'fen') return l
  const swapped = l.replace(/（分）|\(分\)/g, '（元）').replace(/\(fen\)/gi, '(yuan)')
  if (swapped !== l) return swapped
  return lang.value === 'zh' ? `${l}（元）` : `${l} (yuan)`
}

export function optionLabel(f: FieldMeta, v: unknown): string {
  const o = f.options?.find((x) => x.value === String(v))
  return o ? L(o) : String(v)
}

/** The text of a value, for lists and details; `rec`, the record holding it, carries the labels
 *  of its references (`_labels`). */
export function display(f: FieldMeta, v: unknown, rec?: Rec | null): string {
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
      return refText(f, v, rec)
    case 'instant':
      return instant(String(v))
    default:
      return String(v)
  }
}

/** Fields shown as list columns: all but long free text. */
export function listColumns(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => !(f.kind === 'text' && (f.max_len ?? 0) > 200 && f.pii === 'none'))
}

/** Fields offered as list filters. */
export function filterFields(fields: FieldMeta[]): FieldMeta[] {
  return fields.filter((f) => f.pii === 'none' && ['enum', 'ref', 'refcode', 'flag'].includes(f.kind))
}
