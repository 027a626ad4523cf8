/**
 * Reporting periods on the Asia/Shanghai calendar: day, ISO week (Monday first), month,
 * quarter, year. Built on calendar.ts (fixed UTC+8, no host time zone involved), so a
 * report run on a UTC server and one run in Nanchang put every entry in the same period.
 */
import { addDays, shanghaiDate, shanghaiInstant, weekdayOf, type CalendarDate } from '../calendar';

export type Period = 'day' | 'week' | 'month' | 'quarter' | 'year';
export const PERIODS = ['day', 'week', 'month', 'quarter', 'year'] as const satisfies readonly Period[];

export interface PeriodSpan {
  /** Stable label: 2026-11-26, 2026-W48, 2026-11, 2026-Q4, 2026. */
  key: string;
  /** First Shanghai day in the period. */
  firstDay: CalendarDate;
  /** Last Shanghai day in the period (inclusive). */
  lastDay: CalendarDate;
}

const pad = (n: number, width = 2) => String(n).padStart(width, '0');

function lastDayOfMonth(year: number, month: number): CalendarDate {
  return new Date(Date.UTC(year, month, 0)).toISOString().slice(0, 10);
}

/** ISO 8601 week-numbering year and week of a calendar day. */
export function isoWeek(date: CalendarDate): { year: number; week: number; monday: CalendarDate } {
  const monday = addDays(date, 1 - weekdayOf(date));
  const thursday = addDays(monday, 3);
  const year = Number(thursday.slice(0, 4));
  const jan1 = Date.parse(`${year}-01-01T00:00:00Z`);
  const week = Math.floor((Date.parse(`${thursday}T00:00:00Z`) - jan1) / 86_400_000 / 7) + 1;
  return { year, week, monday };
}

/** The period a Shanghai calendar day belongs to. */
export function periodOfDate(date: CalendarDate, period: Period): PeriodSpan {
  const year = Number(date.slice(0, 4));
  const month = Number(date.slice(5, 7));
  switch (period) {
    case 'day':
      return { key: date, firstDay: date, lastDay: date };
    case 'week': {
      const w = isoWeek(date);
      return { key: `${w.year}-W${pad(w.week)}`, firstDay: w.monday, lastDay: addDays(w.monday, 6) };
    }
    case 'month':
      return { key: date.slice(0, 7), firstDay: `${date.slice(0, 7)}-01`, lastDay: lastDayOfMonth(year, month) };
    case 'quarter': {
      const q = Math.floor((month - 1) / 3) + 1;
      const firstMonth = (q - 1) * 3 + 1;
      return {
        key: `${year}-Q${q}`,
        firstDay: `${year}-${pad(firstMonth)}-01`,
        lastDay: lastDayOfMonth(year, firstMonth + 2),
      };
    }
    case 'year':
      return { key: String(year), firstDay: `${year}-01-01`, lastDay: `${year}-12-31` };
  }
}

/** The period an instant falls in, on the Shanghai calendar. */
export function periodOf(instant: Date, period: Period): PeriodSpan {
  return periodOfDate(shanghaiDate(instant), period);
}

/** Every period touching [from, to] (Shanghai days, inclusive), in order — empty ones included. */
export function periodsBetween(from: CalendarDate, to: CalendarDate, period: Period): PeriodSpan[] {
  const spans: PeriodSpan[] = [];
  let day = from;
  while (day <= to) {
    const span = periodOfDate(day, period);
    spans.push(span);
    day = addDays(span.lastDay, 1);
  }
  return spans;
}

/** [start, end) instants of Shanghai days from..to inclusive — what a database range query needs. */
export function instantRange(from: CalendarDate, to: CalendarDate): { start: Date; end: Date } {
  return { start: shanghaiInstant(from), end: shanghaiInstant(addDays(to, 1)) };
}
