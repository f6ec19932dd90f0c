// Messages of the technology-service income page. Merged into the dictionaries by i18n.ts
// through the module list (modules/index.ts).

export const zh: Record<string, string> = {
  'research.income.title': '技术服务到款额',
  'research.income.intro': '横向项目（企业委托）每年到账经费按项目所属二级学院汇总；纵向项目经费单列。',
  'research.income.school': '二级学院',
  'research.income.year': '年度',
  'research.income.horizontal': '技术服务到款（横向）',
  'research.income.vertical': '纵向经费',
  'research.income.projects': '到款横向项目数',
  'research.income.totals': '全校合计',
  'research.income.empty': '暂无到账记录',
}

export const en: Record<string, string> = {
  'research.income.title': 'Technology-service income',
  'research.income.intro': 'Money received each year on horizontal (enterprise) projects, summed by the project’s school; vertical funds shown apart.',
  'research.income.school': 'School',
  'research.income.year': 'Year',
  'research.income.horizontal': 'Technology-service income (horizontal)',
  'research.income.vertical': 'Vertical funds',
  'research.income.projects': 'Horizontal projects paid',
  'research.income.totals': 'College totals',
  'research.income.empty': 'No money received yet',
}
