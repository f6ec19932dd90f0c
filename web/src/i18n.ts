// A small i18n of our own: one reactive language, two dictionaries. Chinese is the default;
// the choice is kept in localStorage. Labels of records and fields come from /api/meta in both
// languages and are picked with `L()`.

import { ref, watch } from 'vue'
import { MODULES } from './modules'

export type Lang = 'zh' | 'en'

const KEY = 'sb.lang'
export const lang = ref<Lang>(localStorage.getItem(KEY) === 'en' ? 'en' : 'zh')

watch(
  lang,
  (v) => {
    localStorage.setItem(KEY, v)
    document.documentElement.lang = v === 'zh' ? 'zh-CN' : 'en'
  },
  { immediate: true },
)

export function setLang(v: Lang) {
  lang.value = v
}

type Dict = Record<string, string>

const zh: Dict = {
  'app.title': 'SkillBridge 校企通',
  'app.subtitle': '产教融合 · 校企合作管理平台',
  'nav.home': '首页',
  'nav.logout': '退出登录',
  'nav.menu': '菜单',
  'nav.language': '语言',
  'login.title': '登录',
  'login.username': '用户名',
  'login.password': '密码',
  'login.submit': '登录',
  'login.failed': '用户名或密码错误',
  'login.expired': '登录已过期，请重新登录',
  'login.required': '请输入用户名和密码',
  'login.tagline': '学校、企业、学生，一处协同。',
  'common.search': '搜索',
  'common.reset': '重置',
  'common.create': '新建',
  'common.edit': '编辑',
  'common.delete': '删除',
  'common.save': '保存',
  'common.cancel': '取消',
  'common.back': '返回',
  'common.yes': '是',
  'common.no': '否',
  'common.actions': '操作',
  'common.close': '关闭',
  'common.empty': '暂无数据',
  'common.total': '共 {n} 条',
  'common.all': '全部',
  'common.view': '查看',
  'common.more': '查看全部',
  'common.notFound': '页面不存在',
  'common.toHome': '回到首页',
  'list.export': '导出',
  'list.import': '导入',
  'list.template': '下载模板',
  'list.exportFull': '导出完整信息…',
  'list.search': '搜索：{fields}',
  'list.filters': '筛选',
  'detail.related': '相关记录',
  'detail.notVisible': '无权查看',
  'detail.created': '创建时间',
  'detail.updated': '更新时间',
  'form.create': '新建{name}',
  'form.edit': '编辑{name}',
  'form.saved': '已保存',
  'form.created': '已创建',
  'form.unchanged': '没有修改',
  'form.required': '请填写{label}',
  'form.tooLong': '最多 {n} 个字符',
  'form.check': '请检查标红的字段',
  'form.maskHint': '保留打码内容表示不修改',
  'form.select': '请选择',
  'form.searchSelect': '输入关键字搜索',
  'form.fenHint': '单位：分（1 元 = 100 分）',
  'delete.confirm': '确定删除这条“{name}”记录吗？此操作不可撤销。',
  'delete.title': '删除确认',
  'delete.done': '已删除',
  'full.title': '导出完整{name}',
  'full.hint': '导出的文件包含未打码的个人信息（身份证号、手机号、住址）。导出连同事由记入审计日志，请妥善保管文件。',
  'full.format': '格式',
  'full.submit': '导出',
  'reveal.button': '查看完整',
  'reveal.title': '查看完整{field}',
  'reveal.reason': '查看事由',
  'reveal.placeholder': '例如：办理实习责任保险',
  'reveal.tooShort': '请填写查看事由（至少 4 个字）',
  'reveal.submit': '查看',
  'reveal.value': '完整内容',
  'reveal.audited': '查看完整个人信息会连同事由记入审计日志。',
  'import.title': '导入{name}',
  'import.choose': '选择文件',
  'import.hint': '支持 .xlsx 和 .csv 文件，请先下载模板按格式填写。整份文件无误时才会写入；有错误时不写入任何一行。',
  'import.submit': '开始导入',
  'import.check': '仅检查',
  'import.checked': '检查通过，未写入任何数据，可以正式导入。',
  'import.noFile': '请先选择文件',
  'import.done': '导入完成',
  'import.rows': '总行数',
  'import.created': '新增',
  'import.updated': '更新',
  'import.unchanged': '未变化',
  'import.already': '该文件已导入过，本次未做任何修改。',
  'import.rejected': '文件有错误，未导入任何数据。请按下表修改后重新导入。',
  'import.issues': '问题 {n} 处',
  'import.truncated': '问题太多，下表只列出前 {shown} 处（共 {n} 处）；各类问题的数目见下。',
  'import.row': '行号',
  'import.column': '列',
  'import.value': '内容',
  'import.reason': '原因',
  'import.warnings': '以下列未识别，已忽略（不影响导入）',
  'import.ignored': '“{column}”列未识别，已忽略',
  'import.suggest': '是否应为 {s}？',
  'import.groups': '多行相同的问题',
  'import.rowsCovered': '涉及行',
  'import.count': '行数',
  'import.columns': '可识别的列名',
  'import.field': '字段',
  'import.spellings': '可用的表头写法',
  'err.network': '无法连接服务器',
  'err.forbidden': '无权进行此操作',
  'err.not_found': '记录不存在或无权查看',
  'err.in_use': '该记录仍被其他记录引用，不能删除。请先删除或修改引用它的记录。',
  'err.duplicate': '记录已存在（编号或代码重复）',
  'err.conflict': '记录已存在（编号或代码重复）',
  'err.rate_limited': '操作过于频繁，请稍后再试',
  'err.busy': '服务器繁忙，请稍后重试',
  'err.internal': '服务器内部错误，请稍后再试',
  'err.csrf': '请求被拒绝，请刷新页面后重试',
  'err.too_large': '文件太大',
  'err.invalid': '输入有误',
  'err.invalid_credentials': '用户名或密码错误',
  'ferr.required': '必填',
  'ferr.invalid': '输入有误',
  'ferr.precision': '小数位数过多',
  'ferr.wrong_type': '取值类型不对',
  'ferr.too_long': '内容过长',
  'ferr.out_of_range': '超出允许范围',
  'ferr.invalid_date': '日期格式不正确',
  'ferr.not_allowed': '不允许的取值',
  'ferr.unknown_code': '代码不存在',
  'ferr.invalid_id_number': '身份证号不正确（校验位不符或格式错误）',
  'ferr.invalid_credit_code': '统一社会信用代码不正确',
  'ferr.invalid_phone': '电话号码格式不正确',
  'ferr.unknown_field': '未知字段',
  'ferr.before_start': '不能早于开始日期',
  'ferr.invalid_transition': '不允许的状态变更',
  'ferr.duplicate': '已存在',
  'home.welcome': '{name}，您好',
  'home.overview': '数据概览',
  'home.shortcuts': '快捷入口',
  'home.none': '暂无',
  'home.noRole': '您的账号尚未分配角色，请联系管理员。',
  'role.admin': '系统管理员',
  'role.leader': '校领导',
  'role.staff': '职能部门',
  'role.teacher': '教师',
  'role.enterprise': '企业用户',
  'role.student': '学生',
  'office.academic_affairs': '教务处',
  'office.student_affairs': '学生处',
  'office.employment': '招生就业处',
  'office.cooperation': '校企合作处',
  'office.international': '国际交流处',
  'office.other': '其他部门',
  'relation.contact': '联系人',
  'relation.mentor': '企业导师',
  'relation.hr': '人力资源',
  'err.changed_concurrently': '记录已被他人修改，请重试',
  'ferr.invalid_instant': '时间格式不正确',
  'err.personal_field_query': '个人信息字段（身份证号、手机号、住址、电子邮箱）不能用于排序、范围或模糊查询',
  'ferr.unusable': '该值不能使用',
  'ferr.personal_sort': '个人信息字段不能排序',
  'ferr.personal_range': '个人信息字段不能按范围查询',
  'ferr.personal_substring': '个人信息字段不能模糊查询',
  'ferr.personal_exact_needs_reveal': '按个人信息精确查询需要查看完整信息的权限',
}

const en: Dict = {
  'app.title': 'SkillBridge',
  'app.subtitle': 'School–enterprise cooperation platform',
  'nav.home': 'Home',
  'nav.logout': 'Sign out',
  'nav.menu': 'Menu',
  'nav.language': 'Language',
  'login.title': 'Sign in',
  'login.username': 'Username',
  'login.password': 'Password',
  'login.submit': 'Sign in',
  'login.failed': 'Wrong username or password',
  'login.expired': 'Your session has ended; please sign in again',
  'login.required': 'Enter your username and password',
  'login.tagline': 'College, enterprises and students, working in one place.',
  'common.search': 'Search',
  'common.reset': 'Reset',
  'common.create': 'New',
  'common.edit': 'Edit',
  'common.delete': 'Delete',
  'common.save': 'Save',
  'common.cancel': 'Cancel',
  'common.back': 'Back',
  'common.yes': 'Yes',
  'common.no': 'No',
  'common.actions': 'Actions',
  'common.close': 'Close',
  'common.empty': 'No data',
  'common.total': '{n} in total',
  'common.all': 'All',
  'common.view': 'View',
  'common.more': 'Show all',
  'common.notFound': 'Page not found',
  'common.toHome': 'Back to home',
  'list.export': 'Export',
  'list.import': 'Import',
  'list.template': 'Template',
  'list.exportFull': 'Export in full…',
  'list.search': 'Search: {fields}',
  'list.filters': 'Filters',
  'detail.related': 'Related records',
  'detail.notVisible': 'Not visible to you',
  'detail.created': 'Created',
  'detail.updated': 'Updated',
  'form.create': 'New: {name}',
  'form.edit': 'Edit: {name}',
  'form.saved': 'Saved',
  'form.created': 'Created',
  'form.unchanged': 'Nothing changed',
  'form.required': '{label} is required',
  'form.tooLong': 'At most {n} characters',
  'form.check': 'Please correct the fields marked in red',
  'form.maskHint': 'Leave the masked value to keep it unchanged',
  'form.select': 'Select',
  'form.searchSelect': 'Type to search',
  'form.fenHint': 'In fen (1 yuan = 100 fen)',
  'delete.confirm': 'Delete the record “{name}”? This cannot be undone.',
  'delete.title': 'Confirm deletion',
  'delete.done': 'Deleted',
  'full.title': 'Export in full: {name}',
  'full.hint': 'The file holds personal data unmasked (ID numbers, phones, addresses). The export is recorded in the audit trail with your reason; keep the file safe.',
  'full.format': 'Format',
  'full.submit': 'Export',
  'reveal.button': 'Show full',
  'reveal.title': 'Show the full {field}',
  'reveal.reason': 'Reason',
  'reveal.placeholder': 'e.g. arranging internship insurance',
  'reveal.tooShort': 'Give a reason (at least 4 characters)',
  'reveal.submit': 'Show',
  'reveal.value': 'Full value',
  'reveal.audited': 'Viewing personal data in full is recorded in the audit trail with your reason.',
  'import.title': 'Import: {name}',
  'import.choose': 'Choose file',
  'import.hint': 'An .xlsx or .csv file laid out like the template. Nothing is written unless the whole file is correct.',
  'import.submit': 'Import',
  'import.check': 'Check only',
  'import.checked': 'The file is correct; nothing was written. Import it to save the rows.',
  'import.noFile': 'Choose a file first',
  'import.done': 'Import finished',
  'import.rows': 'Rows',
  'import.created': 'Created',
  'import.updated': 'Updated',
  'import.unchanged': 'Unchanged',
  'import.already': 'This file was imported before; nothing was changed.',
  'import.rejected': 'The file has errors and nothing was imported. Correct the rows below and import it again.',
  'import.issues': '{n} problems',
  'import.truncated': 'Too many problems: only the first {shown} of {n} are listed below; the count of each kind follows.',
  'import.row': 'Row',
  'import.column': 'Column',
  'import.value': 'Value',
  'import.reason': 'Reason',
  'import.warnings': 'These columns were not recognised and were ignored (the import goes ahead)',
  'import.ignored': 'Column "{column}" was not recognised and was ignored',
  'import.suggest': 'Did you mean {s}?',
  'import.groups': 'Problems repeated on several rows',
  'import.rowsCovered': 'Rows',
  'import.count': 'Count',
  'import.columns': 'Accepted column headers',
  'import.field': 'Field',
  'import.spellings': 'Accepted header spellings',
  'err.network': 'Cannot reach the server',
  'err.forbidden': 'You are not permitted to do this',
  'err.not_found': 'Not found, or not visible to you',
  'err.in_use': 'Other records still refer to this one, so it cannot be deleted. Delete or change them first.',
  'err.duplicate': 'Already exists (a number or code is taken)',
  'err.conflict': 'Already exists (a number or code is taken)',
  'err.rate_limited': 'Too many attempts; try again in a minute',
  'err.busy': 'The server is busy; try again in a moment',
  'err.internal': 'Server error; please try again later',
  'err.csrf': 'Request refused; reload the page and try again',
  'err.too_large': 'The file is too large',
  'err.invalid': 'Invalid input',
  'err.invalid_credentials': 'Wrong username or password',
  'ferr.required': 'Required',
  'ferr.invalid': 'Invalid',
  'ferr.precision': 'Too many decimal places',
  'ferr.wrong_type': 'Wrong type of value',
  'ferr.too_long': 'Too long',
  'ferr.out_of_range': 'Out of range',
  'ferr.invalid_date': 'Not a valid date',
  'ferr.not_allowed': 'Not an allowed value',
  'ferr.unknown_code': 'Unknown code',
  'ferr.invalid_id_number': 'Not a valid resident ID number (check digit or format)',
  'ferr.invalid_credit_code': 'Not a valid unified social credit code',
  'ferr.invalid_phone': 'Not a valid phone number',
  'ferr.unknown_field': 'Unknown field',
  'ferr.before_start': 'Must not be before the start date',
  'ferr.invalid_transition': 'This status change is not allowed',
  'ferr.duplicate': 'Already exists',
  'home.welcome': 'Welcome, {name}',
  'home.overview': 'Overview',
  'home.shortcuts': 'Shortcuts',
  'home.none': 'None',
  'home.noRole': 'Your account has no role yet; ask an administrator.',
  'role.admin': 'Administrator',
  'role.leader': 'College leader',
  'role.staff': 'Office staff',
  'role.teacher': 'Teacher',
  'role.enterprise': 'Enterprise user',
  'role.student': 'Student',
  'office.academic_affairs': 'Academic affairs',
  'office.student_affairs': 'Student affairs',
  'office.employment': 'Employment',
  'office.cooperation': 'Cooperation',
  'office.international': 'International exchange',
  'office.other': 'Other office',
  'relation.contact': 'Contact',
  'relation.mentor': 'Mentor',
  'relation.hr': 'HR',
  'err.changed_concurrently': 'Changed by someone else meanwhile; try again',
  'ferr.invalid_instant': 'Not a date and time',
  'err.personal_field_query': 'Personal fields (ID number, phone, address, e-mail) cannot be sorted, compared in a range or searched by part',
  'ferr.unusable': 'This value cannot be used',
  'ferr.personal_sort': 'A personal field cannot be sorted',
  'ferr.personal_range': 'A personal field cannot be searched by range',
  'ferr.personal_substring': 'A personal field cannot be searched by part of its value',
  'ferr.personal_exact_needs_reveal': 'Searching by a personal value needs the right to reveal it',
}

const dicts: Record<Lang, Dict> = { zh, en }

// Each module brings the messages of its own pages (web/src/modules/<name>/messages.ts). A key
// that is already taken is reported rather than silently replacing another page's text.
for (const m of MODULES) {
  for (const l of ['zh', 'en'] as const) {
    for (const [k, v] of Object.entries(m.messages[l])) {
      if (k in dicts[l]) console.error(`i18n: module ${m.name} redefines ${l} message ${k}`)
      dicts[l][k] = v
    }
  }
}

/** A message in the current language, with `{name}` placeholders filled in. */
export function t(key: string, params: Record<string, string | number> = {}): string {
  const s = dicts[lang.value][key] ?? dicts.zh[key] ?? key
  return s.replace(/\{(\w+)\}/g, (m, k: string) => (k in params ? String(params[k]) : m))
}

/** Whether a message exists. */
export function has(key: string): boolean {
  return key in dicts[lang.value]
}

/** The label of anything carrying `zh` and `en` (resources, fields, options). */
export function L(o: { zh: string; en: string } | null | undefined): string {
  if (!o) return ''
  return lang.value === 'zh' ? o.zh : o.en
}

/**
 * A user-facing message for an API error, chosen by its code: the page's own text for a known
 * code (`err.<code>`), into which `{detail}` puts the server's message in the user's language
 * (a conflict sends `message_zh` and `message_en`, e.g. naming the booking in the way); the
 * server's message when the code is unknown.
 */
export function errorText(e: unknown): string {
  const err = e as { code?: string; message?: string; messageZh?: string; messageEn?: string }
  const detail = (lang.value === 'zh' ? err?.messageZh : err?.messageEn) ?? err?.message ?? ''
  if (err?.code && has(`err.${err.code}`)) return t(`err.${err.code}`, { detail })
  return detail || t('err.internal')
}

/** A user-facing message for one field error, in the user's language only: the server's own
 *  message of that language (`message_zh` / `message_en`, with the field's bounds), else the
 *  page's message for its code; a message in the other language is never shown. */
export function fieldErrorText(fe: { code: string; message?: string; message_zh?: string; message_en?: string }): string {
  const own = lang.value === 'zh' ? fe.message_zh : fe.message_en
  if (own) return own
  if (has(`ferr.${fe.code}`)) return t(`ferr.${fe.code}`)
  if (lang.value === 'en' && fe.message) return fe.message
  return t('ferr.invalid')
}

export const messages = dicts
