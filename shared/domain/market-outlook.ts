/**
 * The market's outlook: every farm's outlook (shared/domain/capacity.ts) summed per day, for the
 * chamber's overview — how much the market expects, has sold and has yet to sell on each day — and
 * each farm's day totals beside it. Shortfalls are kept apart: one farm's missing harvest is not
 * covered by another's surplus unless someone brokers it, so they are never netted.
 */
import { weekdayOf, type CalendarDate } from './calendar';
import type { OutlookDay, OutlookLine } from './capacity';

export interface FarmOutlookDays {
  orgId: string;
  days: OutlookDay[];
}

/** One farm's day in a market-wide table: what is left to sell, what is sold, what is missing. */
interface FarmDayTotals {
  date: CalendarDate;
  totalSurplusGrams: number;
  totalCommittedGrams: number;
  /** Sum of the day's negative lines, as a positive number (0 when nothing is short). */
  shortfallGrams: number;
}

export interface MarketOutlook {
  /** Every farm's day summed (lines per product across farms). */
  days: OutlookDay[];
  farms: { orgId: string; days: FarmDayTotals[] }[];
}

const shortfallOf = (day: OutlookDay): number => day.lines.reduce((sum, l) => sum + Math.max(0, -l.surplusGrams), 0);

/** Sums outlooks over the same `dates` (a farm lacking a date counts as nothing that day). */
export function marketOutlook(farms: FarmOutlookDays[], dates: CalendarDate[]): MarketOutlook {
  const days = dates.map((date): OutlookDay => {
    const byProduct = new Map<string, OutlookLine>();
    const sum = { totalSurplusGrams: 0, totalCommittedGrams: 0, dispatchOverGrams: 0, storableSurplusGrams: 0 };
    for (const farm of farms) {
      const day = farm.days.find((d) => d.date === date);
      if (!day) continue;
      sum.totalSurplusGrams += day.totalSurplusGrams;
      sum.totalCommittedGrams += day.totalCommittedGrams;
      sum.dispatchOverGrams += day.dispatchOverGrams;
      sum.storableSurplusGrams += day.storableSurplusGrams;
      for (const line of day.lines) {
        const into = byProduct.get(line.productCode) ?? {
          productCode: line.productCode,
          expectedGrams: 0,
          committedGrams: 0,
          surplusGrams: 0,
        };
        into.expectedGrams += line.expectedGrams;
        into.committedGrams += line.committedGrams;
        into.surplusGrams += line.surplusGrams;
        byProduct.set(line.productCode, into);
      }
    }
    const lines = [...byProduct.values()].sort((a, b) =>
      a.productCode < b.productCode ? -1 : a.productCode > b.productCode ? 1 : 0,
    );
    return { date, weekday: weekdayOf(date), lines, ...sum };
  });
  return {
    days,
    farms: farms.map((farm) => ({
      orgId: farm.orgId,
      days: farm.days.map((d) => ({
        date: d.date,
        totalSurplusGrams: d.totalSurplusGrams,
        totalCommittedGrams: d.totalCommittedGrams,
        shortfallGrams: shortfallOf(d),
      })),
    })),
  };
}
