/**
 * Sell-through: of what a farm brought to market, how much was sold rather than spoiled.
 * rate = sold ÷ (sold + spoiled), per period. The 60% → 90% story of the mushroom farm is
 * this number over time. Input is per-farm, per-day grams (the service derives it from
 * orders and expired lots); the rule only aggregates.
 */
import type { CalendarDate } from '../calendar';
import { periodOfDate, periodsBetween, type Period } from './periods';

export interface DailyOutcome {
  farmId: string;
  date: CalendarDate;
  soldGrams: number;
  spoiledGrams: number;
}

interface SellThroughPoint {
  period: string;
  firstDay: CalendarDate;
  lastDay: CalendarDate;
  soldGrams: number;
  spoiledGrams: number;
  /** sold ÷ (sold + spoiled), 0…1; null when nothing was sold or spoiled. */
  rate: number | null;
  /** The same in whole per-mille (rounded half up) for display and CSV. */
  ratePermille: number | null;
}

export interface FarmSellThrough {
  farmId: string;
  points: SellThroughPoint[];
  overall: Omit<SellThroughPoint, 'period' | 'firstDay' | 'lastDay'>;
}

function rateOf(sold: number, spoiled: number): Pick<SellThroughPoint, 'rate' | 'ratePermille'> {
  const total = sold + spoiled;
  if (total === 0) return { rate: null, ratePermille: null };
  return { rate: sold / total, ratePermille: Math.floor((sold * 1000 * 2 + total) / (2 * total)) };
}

/** One series per farm (sorted by farm id), every period from..to included. */
export function sellThrough(
  outcomes: readonly DailyOutcome[],
  period: Period,
  from: CalendarDate,
  to: CalendarDate,
): FarmSellThrough[] {
  const spans = periodsBetween(from, to, period);
  const farms = new Map<string, Map<string, { sold: number; spoiled: number }>>();
  for (const o of outcomes) {
    if (o.date < from || o.date > to) continue;
    const key = periodOfDate(o.date, period).key;
    const perFarm = farms.get(o.farmId) ?? new Map<string, { sold: number; spoiled: number }>();
    const cell = perFarm.get(key) ?? { sold: 0, spoiled: 0 };
    cell.sold += o.soldGrams;
    cell.spoiled += o.spoiledGrams;
    perFarm.set(key, cell);
    farms.set(o.farmId, perFarm);
  }
  return [...farms.keys()].sort().map((farmId) => {
    const cells = farms.get(farmId) ?? new Map<string, { sold: number; spoiled: number }>();
    let sold = 0;
    let spoiled = 0;
    const points = spans.map((span) => {
      const cell = cells.get(span.key) ?? { sold: 0, spoiled: 0 };
      sold += cell.sold;
      spoiled += cell.spoiled;
      return {
        period: span.key,
        firstDay: span.firstDay,
        lastDay: span.lastDay,
        soldGrams: cell.sold,
        spoiledGrams: cell.spoiled,
        ...rateOf(cell.sold, cell.spoiled),
      };
    });
    return { farmId, points, overall: { soldGrams: sold, spoiledGrams: spoiled, ...rateOf(sold, spoiled) } };
  });
}
