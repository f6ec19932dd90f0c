// Messages of the college records' home-page cards. Merged into the dictionaries by i18n.ts through
// the module list (modules/index.ts).

export const zh: Record<string, string> = {
  'home.myClasses': '我的班级',
  'home.myRecord': '我的学籍',
  'home.myClass': '我的班级',
  'print.roster': '{name} 班级花名册',
  'print.rosterCount': '共 {n} 人',
  'print.card': '学生学籍卡',
  'print.cards': '学生学籍卡（{n} 张）',
  'print.masked': '个人信息已打码；如需完整信息，请先点击“查看完整”（需填写事由，记入审计日志）。',
}

export const en: Record<string, string> = {
  'home.myClasses': 'My classes',
  'home.myRecord': 'My record',
  'home.myClass': 'My class',
  'print.roster': 'Class roster: {name}',
  'print.rosterCount': '{n} students',
  'print.card': 'Student record card',
  'print.cards': 'Student record cards ({n})',
  'print.masked': 'Personal fields are masked; to print one in full, first use "Show full" (a reason is asked for and audited).',
}
