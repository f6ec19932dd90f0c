// The shapes of the API's answers that the pages use (see /api/openapi.json and /api/meta).

export type RoleName = 'admin' | 'leader' | 'staff' | 'teacher' | 'enterprise' | 'student'

export interface Role {
  role: RoleName
  office?: string
  school_id?: number | null
  staff_id?: number
  org_id?: number
  contact_id?: number
  relation?: string
  student_id?: number
}

export interface Me {
  id: number
  username: string
  display_name: string
  roles: Role[]
}

export interface Option {
  value: string
  zh: string
  en: string
}

export type FieldKind =
  | 'text'
  | 'int'
  | 'fen'
  | 'date'
  | 'flag'
  | 'enum'
  | 'ref'
  | 'refcode'
  | 'id_number'
  | 'credit_code'
  | 'phone'
  | 'major_code'
  | 'email'
  | 'instant'
  | 'decimal'

export interface FieldMeta {
  name: string
  zh: string
  en: string
  kind: FieldKind
  required: boolean
  unique: boolean
  pii: 'none' | 'id_number' | 'phone' | 'address' | 'email'
  max_len: number | null
  min: number | null
  max: number | null
  /** Digits after the point of a `decimal` field (1: 88.5). */
  scale?: number | null
  options: Option[] | null
  ref: string | null
  ref_column?: string | null
  /** The field group it belongs to (least privilege); only fields the user may see are sent. */
  group?: string
  /** Whether the user may write the field's group. */
  writable?: boolean
}

/** A named group of a record type's fields, and whether the user reads and writes it. */
export interface FieldGroupMeta {
  name: string
  zh: string
  en: string
  read: boolean
  write: boolean
}

export interface Can {
  read: boolean
  create: boolean
  update: boolean
  delete: boolean
  reveal: boolean
}

export interface ResourceMeta {
  name: string
  zh: string
  en: string
  search: string[]
  order: string
  label_field: string
  importable: boolean
  can: Can
  /** Only the fields the user may see (see `hidden` for the names of the others). */
  fields: FieldMeta[]
  groups?: FieldGroupMeta[]
  hidden?: string[]
  /** Batch work on the list: the fields a batch may set, the records it may create per row. */
  batch?: { fields: string[]; links: { target: string; field: string }[] }
}

/** What became of one row of a batch (`POST /api/R/batch`). */
export interface BatchRow {
  id: number
  outcome: 'applied' | 'unchanged' | 'refused' | 'not_applied'
  code?: string
  message_zh?: string
  message_en?: string
  fields?: FieldIssue[]
  created?: number
}

export interface BatchReport {
  applied: boolean
  rows: BatchRow[]
}

/** A menu entry the server lets the user open: a record list (`/students`) or a module's page
 * (`/allocation`), with its label in both languages. */
export interface MenuEntry {
  path: string
  zh: string
  en: string
  /** The record type or permission whose read access shows the entry. */
  needs: string
}

/** A module with the menu entries the user may open, in the server's order. */
export interface ModuleMeta {
  name: string
  zh: string
  en: string
  menu: MenuEntry[]
}

/** What the user may do under one workflow permission (`allocation`, `order_choices`, `users`...). */
export interface Permission {
  read: boolean
  create: boolean
  update: boolean
  delete: boolean
}

export interface Meta {
  user: Me
  resources: ResourceMeta[]
  modules: ModuleMeta[]
  permissions: Record<string, Permission>
  /** The zone instants are shown in (an IANA name); China time (Asia/Shanghai) when absent. */
  time_zone?: string | null
  /** The college's name (the `college_name` setting), printed at the head of the print views. */
  college?: { name: string | null }
}

// eslint-disable-next-line @typescript-eslint/no-explicit-any
export type Rec = { id: number; [field: string]: any }

export interface Page<T = Rec> {
  items: T[]
  total: number
  limit: number
  offset: number
}

export interface FieldIssue {
  field: string
  code: string
  /** English (kept for older clients); pages show message_zh or message_en. */
  message: string
  message_zh?: string
  message_en?: string
}

export interface ImportIssue {
  row: number
  column: string
  field: string
  value: string
  code: string
  reason: string
  reason_zh?: string
  reason_en?: string
}

export interface ImportReport {
  committed: boolean
  already_imported?: boolean
  rows?: number
  created?: number
  updated?: number
  unchanged?: number
  /** The first 1,000 problems, in row order. */
  issues: ImportIssue[]
  /** Every problem found, listed in `issues` or not. */
  issues_total?: number
  /** `issues` stops before the last problem. */
  issues_truncated?: boolean
  /** Every problem found, counted by its code. */
  issue_counts?: Record<string, number>
  /** Problems repeated on several rows, each once with its rows ("3–1002"), over the whole file. */
  groups?: ImportIssueGroup[]
  /** Columns read but not used; they do not block the import. */
  warnings?: ImportWarning[]
}

export interface ImportIssueGroup {
  column: string
  field: string
  value: string
  code: string
  reason: string
  reason_zh?: string
  reason_en?: string
  count: number
  rows: string
}

export interface ImportWarning {
  column: string
  code: string
  reason: string
  suggestion?: string | null
}

export interface ImportColumn {
  field: string
  zh: string
  en: string
  required: boolean
  spellings: string[]
}

export interface User {
  id: number
  username: string
  display_name: string
  disabled: boolean
  failed_logins: number
  locked_until?: string | null
  roles: Role[]
}

export interface AuditEntry {
  id: number
  at: string
  actor: string
  role: string
  action: string
  object: string
  outcome: string
  source: string
  detail: string
  prev_hash: string
  hash: string
  /** The display name of the account `user:ID` names, resolved when read (never stored). */
  actor_name?: string | null
  /** The label of the record the object names, when it names one. */
  object_label?: string | null
  /** How many refusals the entry stands for (more than 1 when aggregated). */
  count?: number
}
