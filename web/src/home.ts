// Helpers for the home page's cards (views/HomeView.vue and the cards modules register): a
// record's field as text, its label, and a short list read within the user's scope.

import { api, qs } from './api'
import { display, shownLabel } from './format'
import { fieldMeta, resourceMeta } from './session'
import type { Page, Rec } from './types'

/** A field's value as shown (labels of codes and references), or the raw value. */
export function fieldText(resource: string, field: string, v: unknown, rec?: Rec | null): string {
  const fm = fieldMeta(resource, field)
  return fm ? display(fm, v, rec) : String(v ?? '')
}

/** A field's label in the current language. */
export function fieldLabel(resource: string, field: string): string {
  const fm = fieldMeta(resource, field)
  return fm ? shownLabel(fm) : field
}

/** Up to 100 records the user may read; nothing when they may not read the type or the call fails. */
export async function listRecords(resource: string, params: Record<string, string | number | undefined> = {}): Promise<Rec[]> {
  if (!resourceMeta(resource)?.can.read) return []
  try {
    return (await api.get<Page>(`/api/${resource}${qs({ ...params, limit: 100 })}`)).items
  } catch {
    return []
  }
}

/** How many records of a type match the filters within the user's scope (one row asked, the
 *  total read); null when the user may not read the type or the call fails. */
export async function countRecords(resource: string, params: Record<string, string | number | undefined> = {}): Promise<number | null> {
  if (!resourceMeta(resource)?.can.read) return null
  try {
    return (await api.get<Page>(`/api/${resource}${qs({ ...params, limit: 1 })}`)).total
  } catch {
    return null
  }
}

/** One line of an office's queue on the home page: what waits, how many, and where to work on it. */
export interface QueueItem {
  key: string
  /** The message key of its label (translated where shown, so it follows the language). */
  label: string
  count: number
  to: string
}
