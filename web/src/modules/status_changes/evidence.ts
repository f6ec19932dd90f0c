// Evidence files of a status change request, through the one attachment store.

import { api, request } from '../../api'
import type { Rec } from '../../types'

export interface Attachment extends Rec {
  id: number
  file_name: string
  size: number
  media_type: string
  created_at: string
}

/** The attachments of request `id`. */
export async function listEvidence(id: number): Promise<Attachment[]> {
  const r = await api.get<{ items: Attachment[] }>(`/api/attachments?owner=status_changes&owner_id=${id}`)
  return r.items
}

/** Uploads one file as evidence of request `id`, with the type the browser gives it. */
export async function uploadEvidence(id: number, file: File): Promise<Attachment> {
  const path = `/api/attachments?owner=status_changes&owner_id=${id}&name=${encodeURIComponent(file.name)}`
  return request<Attachment>('POST', path, undefined, { raw: file, contentType: file.type || 'application/octet-stream' })
}

/** The download link of an attachment (served as an attachment, never inline). */
export function evidenceHref(a: Attachment): string {
  return `/api/attachments/${a.id}/file`
}
