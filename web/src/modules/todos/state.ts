// The signed-in user's to-dos, shared by the header badge, the to-do centre and the home card:
// one reactive copy, refreshed when a page changes something (api.ts `onChange`), every minute,
// and when the tab comes back into view.

import { reactive } from 'vue'
import { api, onChange } from '../../api'

export interface TodoItem {
  key: string
  source: string
  title_zh: string
  title_en: string
  due: string | null
  link: string
  read: boolean
}

interface TodoList {
  items: TodoItem[]
  unread: number
}

export const todos = reactive({ items: [] as TodoItem[], unread: 0, loaded: false })

function take(l: TodoList) {
  todos.items = l.items
  todos.unread = l.unread
  todos.loaded = true
}

let pending: Promise<void> | null = null

/** Asks the server again (one request at a time). */
export function refreshTodos(): Promise<void> {
  pending ??= api
    .get<TodoList>('/api/todos')
    .then(take)
    .catch(() => {})
    .finally(() => (pending = null))
  return pending
}

/** Marks items read (all when `keys` is absent). */
export async function markRead(keys?: string[]) {
  take(await api.post<TodoList>('/api/todos/read', keys ? { keys } : {}))
}

const EVERY_MS = 60_000
let timer: number | undefined

/** Starts the refreshes while the signed-in layout is shown; returns the stop. */
export function watchTodos(): () => void {
  void refreshTodos()
  timer = window.setInterval(() => void refreshTodos(), EVERY_MS)
  const visible = () => document.visibilityState === 'visible' && void refreshTodos()
  document.addEventListener('visibilitychange', visible)
  // Not after its own marks, nor after signing out (the session is gone: the answer would be 401).
  const off = onChange((path) => {
    if (!path.startsWith('/api/todos') && !path.startsWith('/api/auth/')) void refreshTodos()
  })
  return () => {
    window.clearInterval(timer)
    document.removeEventListener('visibilitychange', visible)
    off()
    todos.items = []
    todos.unread = 0
    todos.loaded = false
  }
}
