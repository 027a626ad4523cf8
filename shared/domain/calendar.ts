/**
 * Calendar days in Asia/Shanghai, computed without the host's time zone.
 * China has used a fixed UTC+8 with no daylight saving since 1991, so a constant offset
 * is exact for every date the market deals with — and it makes the rules identical on a
 * server in UTC, a laptop in Berlin and a phone in Nanchang.
 */
export const SHANGHAI_OFFSET_MS = 8 * 60 * 60 * 1000;
const DAY_MS = 24 * 60 * 60 * 1000;

/** A calendar day as 'YYYY-MM-DD' (Shanghai). */
export type CalendarDate = string;

/** ISO weekday: 1 = Monday … 7 = Sunday. */
export type Weekday = 1 | 2 | 3 | 4 | 5 | 6 | 7;

const DATE_RE = /^(\d{4})-(\d{2})-(\d{2})$/;

export function isCalendarDate(value: string): value is CalendarDate {
  const m = DATE_RE.exec(value);
  if (!m) return false;
  const d = new Date(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])));
  return d.toISOString().slice(0, 10) === value;
}

/** The Shanghai calendar day an instant falls on. */
export function shanghaiDate(instant: Date): CalendarDate {
  return new Date(instant.getTime() + SHANGHAI_OFFSET_MS).toISOString().slice(0, 10);
}

/** The instant a Shanghai wall-clock time happens: `date` at `hh:mm` (default midnight). */
export function shanghaiInstant(date: CalendarDate, time = '00:00'): Date {
  const [h, m] = time.split(':').map(Number);
  const utcMidnight = Date.parse(`${date}T00:00:00Z`);
  return new Date(utcMidnight + ((h ?? 0) * 60 + (m ?? 0)) * 60_000 - SHANGHAI_OFFSET_MS);
}

export function addDays(date: CalendarDate, days: number): CalendarDate {
  return new Date(Date.parse(`${date}T00:00:00Z`) + days * DAY_MS).toISOString().slice(0, 10);
}

export function weekdayOf(date: CalendarDate): Weekday {
  const sundayZero = new Date(`${date}T00:00:00Z`).getUTCDay();
  return (sundayZero === 0 ? 7 : sundayZero) as Weekday;
}

/** Whole days from `from` to `to` (negative when `to` is earlier). */
export function daysBetween(from: CalendarDate, to: CalendarDate): number {
  return Math.round((Date.parse(`${to}T00:00:00Z`) - Date.parse(`${from}T00:00:00Z`)) / DAY_MS);
}
