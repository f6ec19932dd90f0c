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
