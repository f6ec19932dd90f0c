// Messages of the partners' home-page cards. Merged into the dictionaries by i18n.ts through
// the module list (modules/index.ts).

export const zh: Record<string, string> = {
  'home.myMentees': '我指导的学生',
  'home.myOrg': '我的单位',
  'home.orgStudents': '本单位指导的学生',
  'home.myMentors': '我的导师',
}

export const en: Record<string, string> = {
  'home.myMentees': 'My mentees',
  'home.myOrg': 'My organisation',
  'home.orgStudents': 'Students mentored by my organisation',
  'home.myMentors': 'My mentors',
}
