// Times of bookings are China time (UTC+8, no daylight saving), whatever the browser's zone: the
// college, its timetable and the server's opening hours all run on Beijing time.

const OFFSET_MS = 8 * 3600 * 1000

export interface ChinaTime {
  /** YYYY-MM-DD */
  date: string
  /** HH:MM */
  time: string
  /** Minutes after midnight. */
  minutes: number
  /** 0 = Monday ... 6 = Sunday. */
  weekday: number
}

export function china(iso: string | Date): ChinaTime {
  const d = typeof iso === 'string' ? new Date(iso) : iso
  const c = new Date(d.getTime() + OFFSET_MS)
  const s = c.toISOString()
  return {
    date: s.slice(0, 10),
    time: s.slice(11, 16),
    minutes: c.getUTCHours() * 60 + c.getUTCMinutes(),
    weekday: (c.getUTCDay() + 6) % 7,
  }
}

export function chinaToday(): string {
  return china(new Date()).date
}

export function addDays(date: string, n: number): string {
  const d = new Date(`${date}T00:00:00Z`)
  d.setUTCDate(d.getUTCDate() + n)
  return d.toISOString().slice(0, 10)
}

export function mondayOf(date: string): string {
  const wd = (new Date(`${date}T00:00:00Z`).getUTCDay() + 6) % 7
  return addDays(date, -wd)
}

/** The instant of a China date and time, as the API takes it (explicit offset). */
export function chinaInstant(date: string, time: string): string {
  return `${date}T${time.length === 5 ? `${time}:00` : time}+08:00`
}
