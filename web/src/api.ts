// The one way the pages talk to the server: same-origin fetch with the session cookie, JSON in
// and out, and one error type carrying the API's `{code, message, fields}` (and a conflict's
// `message_zh` / `message_en`).

import type { FieldIssue, ImportReport } from './types'

export class ApiError extends Error {
  status: number
  code: string
  fields: FieldIssue[]
  report?: ImportReport
  /** A conflict's own message in each language (`message_zh`, `message_en`). */
  messageZh?: string
  messageEn?: string

  constructor(status: number, code: string, message: string, fields: FieldIssue[] = [], report?: ImportReport) {
    super(message)
    this.status = status
    this.code = code
    this.fields = fields
    this.report = report
  }

  /** Field errors by field name (the first one of each field). */
  byField(): Record<string, FieldIssue> {
    const out: Record<string, FieldIssue> = {}
    for (const f of this.fields) if (!out[f.field]) out[f.field] = f
    return out
  }
}

interface ErrorBody {
  code?: string
  message?: string
  message_zh?: string
  message_en?: string
  fields?: FieldIssue[]
  report?: ImportReport
}

function fromBody(res: Response, d: ErrorBody): ApiError {
  const err = new ApiError(res.status, d.code ?? String(res.status), d.message ?? res.statusText, d.fields ?? [], d.report)
  err.messageZh = d.message_zh
  err.messageEn = d.message_en
  return err
}

let unauthenticated: () => void = () => {}

/** What to do when the session has ended (set by the router). */
export function onUnauthenticated(f: () => void) {
  unauthenticated = f
}

type ChangeListener = (path: string) => void
const changeListeners = new Set<ChangeListener>()

/** Calls `f` with the path after every successful request that may have changed something (not
 * GET), e.g. to refresh the to-do count; returns the unsubscribe. */
export function onChange(f: ChangeListener): () => void {
  changeListeners.add(f)
  return () => changeListeners.delete(f)
}

export interface RequestOptions {
  /** A raw body (e.g. a spreadsheet) instead of JSON. */
  raw?: Blob | ArrayBuffer
  contentType?: string
}

export async function request<T = unknown>(method: string, path: string, body?: unknown, opts: RequestOptions = {}): Promise<T> {
  const headers: Record<string, string> = { Accept: 'application/json' }
  let payload: BodyInit | undefined
  if (opts.raw !== undefined) {
    payload = opts.raw
    headers['Content-Type'] = opts.contentType ?? 'application/octet-stream'
  } else if (body !== undefined) {
    payload = JSON.stringify(body)
    headers['Content-Type'] = 'application/json'
  }
  let res: Response
  try {
    res = await fetch(path, { method, headers, body: payload, credentials: 'same-origin' })
  } catch {
    throw new ApiError(0, 'network', '')
  }
  if (res.status === 204) {
    if (method !== 'GET') for (const f of changeListeners) f(path)
    return null as T
  }
  const text = await res.text()
  let data: unknown = null
  if (text) {
    try {
      data = JSON.parse(text)
    } catch {
      data = null
    }
  }
  if (!res.ok) {
    const d = (data ?? {}) as ErrorBody
    const err = fromBody(res, d)
    if (res.status === 401 && err.code === 'unauthenticated' && path !== '/api/auth/login') unauthenticated()
    throw err
  }
  if (method !== 'GET') for (const f of changeListeners) f(path)
  return data as T
}

/** POSTs JSON and returns the attachment it answers with (errors are JSON as usual). */
export async function download(path: string, body: unknown): Promise<{ blob: Blob; filename: string }> {
  let res: Response
  try {
    res = await fetch(path, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify(body),
      credentials: 'same-origin',
    })
  } catch {
    throw new ApiError(0, 'network', '')
  }
  if (!res.ok) {
    const err = fromBody(res, (await res.json().catch(() => ({}))) as ErrorBody)
    if (res.status === 401 && err.code === 'unauthenticated') unauthenticated()
    throw err
  }
  const disp = res.headers.get('Content-Disposition') ?? ''
  const m = /filename="?([^";]+)"?/.exec(disp)
  return { blob: await res.blob(), filename: m?.[1] ?? 'export' }
}

/** Hands a blob to the browser as a download. */
export function saveBlob(blob: Blob, filename: string) {
  const url = URL.createObjectURL(blob)
  const a = document.createElement('a')
  a.href = url
  a.download = filename
  document.body.appendChild(a)
  a.click()
  a.remove()
  setTimeout(() => URL.revokeObjectURL(url), 10000)
}

/** What an upload reports as it goes: `upload` with the bytes sent so far, then `server` once
 *  every byte is sent and the server is checking the file. */
export type UploadProgress = (phase: 'upload' | 'server', loaded: number, total: number) => void

/** POSTs a file as the raw body, reporting the upload's progress (fetch cannot), and returns the
 *  JSON answer; errors as `request`. */
export function uploadWithProgress<T = unknown>(path: string, file: Blob, progress: UploadProgress): Promise<T> {
  return new Promise<T>((resolve, reject) => {
    const xhr = new XMLHttpRequest()
    xhr.open('POST', path)
    xhr.withCredentials = true
    xhr.setRequestHeader('Accept', 'application/json')
    xhr.setRequestHeader('Content-Type', 'application/octet-stream')
    xhr.upload.onprogress = (e) => progress('upload', e.loaded, e.lengthComputable ? e.total : file.size)
    xhr.upload.onload = () => progress('server', file.size, file.size)
    xhr.onerror = () => reject(new ApiError(0, 'network', ''))
    xhr.onload = () => {
      let data: unknown = null
      try {
        data = xhr.responseText ? JSON.parse(xhr.responseText) : null
      } catch {
        data = null
      }
      if (xhr.status >= 200 && xhr.status < 300) {
        resolve(data as T)
        return
      }
      const d = (data ?? {}) as ErrorBody
      const err = new ApiError(xhr.status, d.code ?? String(xhr.status), d.message ?? xhr.statusText, d.fields ?? [], d.report)
      err.messageZh = d.message_zh
      err.messageEn = d.message_en
      if (xhr.status === 401 && err.code === 'unauthenticated') unauthenticated()
      reject(err)
    }
    xhr.send(file)
  })
}

export const api = {
  get: <T = unknown>(path: string) => request<T>('GET', path),
  post: <T = unknown>(path: string, body?: unknown) => request<T>('POST', path, body ?? {}),
  patch: <T = unknown>(path: string, body: unknown) => request<T>('PATCH', path, body),
  del: (path: string) => request<null>('DELETE', path),
  upload: <T = unknown>(path: string, file: Blob) => request<T>('POST', path, undefined, { raw: file }),
  download,
}

/** A query string from the values that are set. */
export function qs(params: Record<string, string | number | boolean | null | undefined>): string {
  const p = new URLSearchParams()
  for (const [k, v] of Object.entries(params)) {
    if (v === undefined || v === null || v === '') continue
    p.set(k, String(v))
  }
  const s = p.toString()
  return s ? `?${s}` : ''
}
