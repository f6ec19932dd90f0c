// Messages of the personal data pages: the registry of personal fields (administrators) and a
// student's download of their own data. Merged into the dictionaries by i18n.ts through the
// module list (modules/index.ts).

export const zh: Record<string, string> = {
  'privacy.registry.title': '个人信息登记表',
  'privacy.registry.intro': '系统保存的每一项个人信息：处理目的、《个人信息保护法》第十三条规定的合法性基础、保存期限，以及可查看完整值的角色（由权限规则计算得出）。',
  'privacy.registry.record': '记录',
  'privacy.registry.field': '字段',
  'privacy.registry.purpose': '处理目的',
  'privacy.registry.basis': '合法性基础',
  'privacy.registry.retention': '保存期限',
  'privacy.registry.revealers': '可查看完整值',
  'privacy.registry.nobody': '无',
  'privacy.rows.all': '全部',
  'privacy.rows.school': '本学院',
  'privacy.rows.teacher': '所带班级与学生',
  'privacy.rows.mentor': '所带学生',
  'privacy.rows.org': '本单位',
  'privacy.rows.student': '本人',
  'privacy.myData.title': '我的个人数据',
  'privacy.myData.intro': '下载系统保存的关于您的全部信息：学籍信息、账号、导师、订单班志愿、学籍异动、附件信息及相关审计记录。每次下载都会记入审计日志。',
  'privacy.myData.json': '下载 JSON',
  'privacy.myData.xlsx': '下载 Excel',
  'audit.action.subject_access': '下载本人数据',
}

export const en: Record<string, string> = {
  'privacy.registry.title': 'Personal data registry',
  'privacy.registry.intro': 'Every kind of personal data the system holds: its purpose, its legal basis under PIPL Art. 13, how long it is kept, and the roles that may reveal it in full (computed from the access rules).',
  'privacy.registry.record': 'Record',
  'privacy.registry.field': 'Field',
  'privacy.registry.purpose': 'Purpose',
  'privacy.registry.basis': 'Legal basis',
  'privacy.registry.retention': 'Retention',
  'privacy.registry.revealers': 'Who may reveal',
  'privacy.registry.nobody': 'nobody',
  'privacy.rows.all': 'all rows',
  'privacy.rows.school': 'own school',
  'privacy.rows.teacher': 'own classes and mentees',
  'privacy.rows.mentor': 'own mentees',
  'privacy.rows.org': 'own organisation',
  'privacy.rows.student': 'themselves',
  'privacy.myData.title': 'My personal data',
  'privacy.myData.intro': 'Download everything the system holds about you: your student record, account, mentors, order-class choices, status changes, attachments and the audit entries about you. Each download is recorded in the audit trail.',
  'privacy.myData.json': 'Download JSON',
  'privacy.myData.xlsx': 'Download Excel',
  'audit.action.subject_access': 'Downloaded own data',
}
