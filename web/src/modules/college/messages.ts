// Messages of the college records' home-page cards. Merged into the dictionaries by i18n.ts through
// the module list (modules/index.ts).

export const zh: Record<string, string> = {
  'home.myClasses': '我的班级',
  'home.myRecord': '我的学籍',
  'home.myClass': '我的班级',
}

export const en: Record<string, string> = {
  'home.myClasses': 'My classes',
  'home.myRecord': 'My record',
  'home.myClass': 'My class',
}
