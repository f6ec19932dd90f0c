// Labels of referenced records: a `ref` field holds an id, a `refcode` field a code; the pages
// show the referenced record's label instead, never its id.
//
// The server sends with every record the labels of its references (`_labels`, and `_labels_en`
// where the label has an English column), even for records the user may not open (a student's
// mentors, a mentee's class): that is what the pages show (`refText(f, v, rec)`). Only a value
// without a record around it (a filter's chosen value, a form's current value) is looked up here,
// cached for the session: a referenced table with at most FULL rows that the user can see is
// loaded whole, once; larger tables one key at a time through the list filter
// (`?id=12&limit=1`). A reference the user can neither open nor has a label for is shown as
// "—" (never as an id).

import { reactive } from 'vue'
import { api, qs } from './api'
import { lang } from './i18n'
import { resourceMeta } from './session'
import type { FieldMeta, Page, Rec } from './types'

const FULL = 500
const PARALLEL = 4

/** `${resource}|${column}|${key}` -> the record, or null when not visible. */
const cache = reactive(new Map<string, Rec | null>())
/** Resources loaded whole (or known too large: false). */
const whole = new Map<string, Promise<boolean>>()
const pending = new Set<string>()
const queue: Array<() => Promise<void>> = []
let running = 0
/** Bumped by clearRefs: a lookup started before (another user's, or a 401 while signing out)
 *  must not write its answer, or a "not visible" from the old session would stick. */
let generation = 0

function pump() {
  while (running < PARALLEL && queue.length) {
    const job = queue.shift()!
    running++
    job().finally(() => {
      running--
      pump()
    })
  }
}

/** The column a field's value matches in the referenced resource. */
export function refColumn(f: FieldMeta): string {
  if (f.kind !== 'refcode') return 'id'
  if (f.ref_column) return f.ref_column
  const target = resourceMeta(f.ref ?? '')
  return target?.fields.find((x) => x.unique)?.name ?? 'code'
}

function remember(resource: string, rec: Rec) {
  cache.set(`${resource}|id|${rec.id}`, rec)
  const meta = resourceMeta(resource)
  for (const f of meta?.fields ?? []) {
    if (f.unique && rec[f.name] != null) cache.set(`${resource}|${f.name}|${rec[f.name]}`, rec)
  }
}

function loadWhole(resource: string): Promise<boolean> {
  let p = whole.get(resource)
  if (!p) {
    const gen = generation
    p = (async () => {
      try {
        const probe = await api.get<Page>(`/api/${resource}${qs({ limit: 1 })}`)
        if (probe.total > FULL) return false
        const all = probe.total <= 1 ? probe : await api.get<Page>(`/api/${resource}${qs({ limit: FULL })}`)
        if (gen !== generation) return false
        for (const r of all.items) remember(resource, r)
        return true
      } catch {
        return false
      }
    })()
    whole.set(resource, p)
  }
  return p
}

function load(resource: string, column: string, key: string) {
  const k = `${resource}|${column}|${key}`
  if (cache.has(k) || pending.has(k)) return
  if (!resourceMeta(resource)?.can.read) {
    cache.set(k, null)
    return
  }
  pending.add(k)
  const gen = generation
  queue.push(async () => {
    if (gen !== generation) return
    try {
      if (await loadWhole(resource)) {
        if (gen === generation && !cache.has(k)) cache.set(k, null)
        return
      }
      if (gen !== generation || cache.has(k)) return
      const page = await api.get<Page>(`/api/${resource}${qs({ [column]: key, limit: 1 })}`)
      if (gen !== generation) return
      if (page.items[0]) remember(resource, page.items[0])
      if (!cache.has(k)) cache.set(k, null)
    } catch {
      if (gen === generation) cache.set(k, null)
    } finally {
      if (gen === generation) pending.delete(k)
    }
  })
  pump()
}

/** The label the server sent with `rec` for its reference field `field`, in the current
 *  language; '' when it sent none. */
export function sentLabel(rec: Rec | null | undefined, field: string): string {
  if (!rec) return ''
  const en = lang.value === 'en' ? rec._labels_en?.[field] : undefined
  const v = en ?? rec._labels?.[field]
  return v == null ? '' : String(v)
}

/** The label of a record of `resource` in the current language. A record type named by its id
 *  alone (a mentor assignment, a booking) is named by its first reference's label and its type
 *  ("张三 · 导师分配"); '' when nothing names it. */
export function recordLabel(resource: string, rec: Rec | null | undefined): string {
  if (!rec) return ''
  const meta = resourceMeta(resource)
  const lf = meta?.label_field ?? 'name'
  if (lf === 'id') {
    const first = meta?.fields.find((f) => f.kind === 'ref' && sentLabel(rec, f.name))
    const typeName = meta ? (lang.value === 'en' ? meta.en : meta.zh) : ''
    return first ? `${sentLabel(rec, first.name)} · ${typeName}` : typeName
  }
  if (lang.value === 'en' && lf.endsWith('_zh')) {
    const en = rec[lf.slice(0, -3) + '_en']
    if (en) return String(en)
  }
  const v = rec[lf]
  return v == null ? '' : String(v)
}

/** The referenced record, once loaded (reactive: a render that calls it updates when it arrives). */
export function refRecord(f: FieldMeta, value: unknown): Rec | null | undefined {
  if (value === null || value === undefined || value === '' || !f.ref) return null
  // A masked personal value (a region code shown as `5001**`) names no record.
  if (typeof value === 'string' && value.includes('*')) return null
  const column = refColumn(f)
  const k = `${f.ref}|${column}|${value}`
  if (!cache.has(k)) load(f.ref, column, String(value))
  return cache.get(k)
}

/** The text shown for a ref or refcode value: the label sent with `holder` (the record that
 *  holds the value) when there is one, else the label looked up; never the id. */
export function refText(f: FieldMeta, value: unknown, holder?: Rec | null): string {
  if (value === null || value === undefined || value === '') return ''
  const sent = holder && holder[f.name] === value ? sentLabel(holder, f.name) : ''
  if (sent) return f.kind === 'refcode' ? `${value} ${sent}` : sent
  const rec = refRecord(f, value)
  const label = rec ? recordLabel(f.ref!, rec) : ''
  if (f.kind === 'refcode') return label ? `${value} ${label}` : String(value)
  if (rec === undefined) return '…'
  return label || '—'
}

/** Puts records already fetched (e.g. search results) into the cache. */
export function rememberAll(resource: string, recs: Rec[]) {
  for (const r of recs) remember(resource, r)
}

/** Forgets everything (after sign-out, or after a change to a referenced record). */
export function clearRefs(resource?: string) {
  if (!resource) {
    generation++
    queue.length = 0
    pending.clear()
  }
  for (const k of [...cache.keys()]) if (!resource || k.startsWith(`${resource}|`)) cache.delete(k)
  if (resource) whole.delete(resource)
  else whole.clear()
}
