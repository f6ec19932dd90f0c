// Messages of the international exchange pages: the yearly totals (国际影响表). Merged into the
// dictionaries by i18n.ts through the module list (modules/index.ts).

export const zh: Record<string, string> = {
  'intl.title': '国际交流年度统计',
  'intl.year': '年度',
  'intl.persons': '人数',
  'intl.personDays': '人日数',
  'intl.countries': '国家（地区）数',
  'intl.category': '类别',
  'intl.countryList': '涉及国家（地区）',
  'intl.explain':
    '按自然年统计，天数含首尾两天；跨年的停留按各年所含天数分别计入；同一人一年只计一次；境外培训按登记的人日数，按天数比例分摊到各年；未填结束日期的按统计至今天。',
}

export const en: Record<string, string> = {
  'intl.title': 'International exchange: yearly totals',
  'intl.year': 'Year',
  'intl.persons': 'Persons',
  'intl.personDays': 'Person-days',
  'intl.countries': 'Countries',
  'intl.category': 'Kind',
  'intl.countryList': 'Countries involved',
  'intl.explain':
    'Per calendar year, counting both the first and the last day; a stay across a year end counts its days in each year; a person is counted once a year; training abroad counts its recorded person-days, shared between years by days; a stay without an end date counts up to today.',
}
