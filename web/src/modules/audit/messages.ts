// Messages of the audit trail page. Merged into the dictionaries by i18n.ts through the module
// list (modules/index.ts).

export const zh: Record<string, string> = {
  'audit.title': '审计日志',
  'audit.at': '时间',
  'audit.actor': '操作人',
  'audit.role': '角色',
  'audit.action': '操作',
  'audit.object': '对象',
  'audit.outcome': '结果',
  'audit.source': '来源地址',
  'audit.detail': '详情',
  'audit.verify': '校验审计链',
  'audit.ok': '审计链完整，共 {n} 条记录未被篡改',
  'audit.bad': '审计链在第 {id} 条记录处断裂，请立即报告',
  'audit.filter': '按操作筛选，如 login、update、reveal',
  'audit.prev': '上一页',
  'audit.next': '下一页',
  'audit.page': '第 {n} 页',
}

export const en: Record<string, string> = {
  'audit.title': 'Audit trail',
  'audit.at': 'Time',
  'audit.actor': 'Actor',
  'audit.role': 'Role',
  'audit.action': 'Action',
  'audit.object': 'Object',
  'audit.outcome': 'Outcome',
  'audit.source': 'Source',
  'audit.detail': 'Detail',
  'audit.verify': 'Verify the chain',
  'audit.ok': 'The audit chain is intact: {n} entries',
  'audit.bad': 'The audit chain is broken at entry {id}: report this at once',
  'audit.filter': 'Filter by action, e.g. login, update, reveal',
  'audit.prev': 'Previous',
  'audit.next': 'Next',
  'audit.page': 'Page {n}',
}
