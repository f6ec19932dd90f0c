// Messages of the partners' home-page cards. Merged into the dictionaries by i18n.ts through
// the module list (modules/index.ts).

export const zh: Record<string, string> = {
  'home.myMentees': '我指导的学生',
  'home.myOrg': '我的单位',
  'home.orgStudents': '本单位指导的学生',
  'home.myMentors': '我的导师',
  'home.attentionCount': '需要关注：{n} 人',
  'home.attention.mentoringEnds': '指导期即将结束',
  'home.attention.offerDeclined': '放弃了订单班录取',
  'home.queue.partners': '合作协议待办',
  'home.queue.draftAgreements': '草拟中的协议（待定稿生效）',
}

export const en: Record<string, string> = {
  'home.myMentees': 'My mentees',
  'home.myOrg': 'My organisation',
  'home.orgStudents': 'Students mentored by my organisation',
  'home.myMentors': 'My mentors',
  'home.attentionCount': 'Needing attention: {n}',
  'home.attention.mentoringEnds': 'Mentoring ends soon',
  'home.attention.offerDeclined': 'Declined an order class offer',
  'home.queue.partners': 'Agreements to finish',
  'home.queue.draftAgreements': 'Draft agreements (to finalise)',
}
