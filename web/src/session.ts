// Who is signed in and what they may do: the answer of GET /api/meta, kept for the whole app.
//
// The session cookie is HttpOnly, so the pages cannot see it. A flag in localStorage remembers
// that a sign-in happened, so that a fresh visit goes straight to the login page instead of
// asking the server first (and getting a 401 for its trouble).

import { reactive } from 'vue'
import { api } from './api'
import { setTimeZone } from './format'
import type { FieldMeta, Me, Meta, ModuleMeta, Permission, ResourceMeta, RoleName } from './types'

const HINT = 'sb.signed_in'

export const session = reactive({
  user: null as Me | null,
  resources: [] as ResourceMeta[],
  /** The modules with the menu entries the user may open (the menu is built from these). */
  modules: [] as ModuleMeta[],
  /** What the user may do in each workflow, decided by the server's own rules. */
  permissions: {} as Record<string, Permission>,
  /** The college's name for the print views (null: not configured). */
  college: null as { name: string | null } | null,
})

export function hasSessionHint(): boolean {
  return localStorage.getItem(HINT) === '1'
}

export async function loadMeta(): Promise<void> {
  const m = await api.get<Meta>('/api/meta')
  session.resources = m.resources
  session.modules = m.modules
  session.permissions = m.permissions
  session.college = m.college ?? null
  session.user = m.user
  setTimeZone(m.time_zone)
  localStorage.setItem(HINT, '1')
}

export async function login(username: string, password: string): Promise<void> {
  await api.post('/api/auth/login', { username, password })
  localStorage.setItem(HINT, '1')
  await loadMeta()
}

/** Forgets the user locally (the server session has ended or is being ended). */
export function forget() {
  localStorage.removeItem(HINT)
  session.user = null
  session.resources = []
  session.modules = []
  session.permissions = {}
}

export async function logout(): Promise<void> {
  try {
    await api.post('/api/auth/logout')
  } finally {
    forget()
  }
}

export function resourceMeta(name: string): ResourceMeta | undefined {
  return session.resources.find((r) => r.name === name)
}

export function fieldMeta(resource: string, field: string): FieldMeta | undefined {
  return resourceMeta(resource)?.fields.find((f) => f.name === field)
}

export function canRead(name: string): boolean {
  return !!resourceMeta(name)?.can.read
}

/** Whether the user may do `action` under a workflow permission (`may('allocation', 'create')`).
 * An unknown permission is denied. Pages ask this instead of looking at role names. */
export function may(permission: string, action: keyof Permission = 'read'): boolean {
  return !!session.permissions[permission]?.[action]
}

/** Whether the user holds one of these roles. For what a page shows about the user themself
 * (layout, their own records), never for what they may do: that is `may` or `resources[].can`. */
export function hasRole(...names: RoleName[]): boolean {
  return !!session.user?.roles.some((r) => names.includes(r.role))
}

export function roleOf<R extends RoleName>(name: R) {
  return session.user?.roles.find((r) => r.role === name)
}
