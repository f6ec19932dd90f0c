// Messages of the competitions and start-ups summary page. Merged into the dictionaries by
// i18n.ts through the module list (modules/index.ts).

export const zh: Record<string, string> = {
  'comp.title': '竞赛与创新创业统计',
  'comp.year': '年度',
  'comp.allYears': '全部年度',
  'comp.awards': '竞赛获奖',
  'comp.awardsTotal': '获奖共 {n} 项',
  'comp.level': '级别',
  'comp.grade': '奖项等级',
  'comp.count': '数量',
  'comp.startups': '创业项目（按当前阶段）',
  'comp.startupsTotal': '创业项目共 {n} 个',
  'comp.stage': '阶段',
  'comp.explain': '只统计您有权查看的获奖和创业项目；获奖按竞赛年度统计，创业项目按当前所处阶段统计。',
}

export const en: Record<string, string> = {
  'comp.title': 'Competitions and start-ups',
  'comp.year': 'Year',
  'comp.allYears': 'All years',
  'comp.awards': 'Competition awards',
  'comp.awardsTotal': '{n} awards in all',
  'comp.level': 'Level',
  'comp.grade': 'Grade',
  'comp.count': 'Count',
  'comp.startups': 'Start-ups (by current stage)',
  'comp.startupsTotal': '{n} start-ups in all',
  'comp.stage': 'Stage',
  'comp.explain': 'Counts only the awards and start-ups you may read; awards by the competition year, start-ups by the stage they are at now.',
}
