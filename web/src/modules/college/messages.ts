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
  'home.cohort': '{year}级',
  'home.inStudy': '在校 {n} 人',
  'home.pastClasses': '另有 {n} 个已毕业的班级未列出',
  'home.studentStatus': '学生学籍概况',
  'home.currentStudents': '在校学生（在读与休学）',
  'home.graduates': '毕业生',
  'home.queue.register': '学籍待办',
  'home.queue.suspended': '休学学生（待跟进复学或退学）',
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
  'home.cohort': 'entered {year}',
  'home.inStudy': '{n} in study',
  'home.pastClasses': '{n} graduated classes not listed',
  'home.studentStatus': 'Students by status',
  'home.currentStudents': 'Current students (enrolled or suspended)',
  'home.graduates': 'Graduates',
  'home.queue.register': 'Student register',
  'home.queue.suspended': 'Suspended students (to follow up)',
}
