/**
 * The programme dashboard: the counts the chamber reports (85 visits, 19 problems solved on site, a
 * 29-item problem list, 8 remediation plans, 32 outcomes …) for one period of Shanghai calendar days,
 * plus facilitated sales and each farm's sell-through before and during the period.
 */
import { shanghaiDate, type CalendarDate } from '../calendar';

export interface DashboardInput {
  from: CalendarDate;
  to: CalendarDate;
  visits: readonly { orgId: string; visitedOn: CalendarDate }[];
  problems: readonly {
    orgId: string;
    createdAt: Date;
    status: 'open' | 'in_progress' | 'resolved';
    resolvedOnSite?: boolean;
    resolvedAt?: Date;
  }[];
  plans: readonly { createdAt: Date; status: string }[];
  outcomes: readonly { achievedOn: CalendarDate }[];
  /** Facilitated sales: ledger entries and programme (campaign/pairing) orders, each order once. */
  sales: readonly {
    orderId: string;
    at: Date;
    valueFen: number;
    grams: number;
    buyerOrgId: string;
    sellerOrgId: string;
    village?: string;
  }[];
  /** Per farm and day, sold and spoiled grams (as the ledger's sell-through reads them). */
  sellThrough: readonly { farmId: string; date: CalendarDate; soldGrams: number; spoiledGrams: number }[];
}

export interface FarmBeforeAfter {
  farmId: string;
  /** Sold ÷ (sold + spoiled) in per-mille, before `from` and inside the period; null when nothing moved. */
  beforePermille: number | null;
  duringPermille: number | null;
}

export interface ProgrammeDashboard {
  from: CalendarDate;
  to: CalendarDate;
  visits: number;
  enterprisesVisited: number;
  problemsRaised: number;
  problemsSolvedOnSite: number;
  problemsSolvedLater: number;
  problemsOpen: number;
  plans: number;
  outcomes: number;
  salesValueFen: number;
  salesGrams: number;
  salesOrders: number;
  enterprisesHelped: number;
  villagesHelped: number;
  farms: FarmBeforeAfter[];
  /** Per day inside the period: facilitated value and grams (for the charts). */
  daily: { date: CalendarDate; valueFen: number; grams: number }[];
}

const within = (day: CalendarDate, from: CalendarDate, to: CalendarDate) => day >= from && day <= to;

const permille = (sold: number, spoiled: number): number | null => {
  const total = sold + spoiled;
  return total === 0 ? null : Math.floor((sold * 2000 + total) / (2 * total));
};

export function programmeDashboard(input: DashboardInput): ProgrammeDashboard {
  const { from, to } = input;
  const visits = input.visits.filter((v) => within(v.visitedOn, from, to));
  const problems = input.problems.filter((p) => within(shanghaiDate(p.createdAt), from, to));
  const solved = problems.filter((p) => p.status === 'resolved');
  const seen = new Set<string>();
  const sales = input.sales.filter((s) => {
    if (seen.has(s.orderId) || !within(shanghaiDate(s.at), from, to)) return false;
    seen.add(s.orderId);
    return true;
  });
  const daily = new Map<CalendarDate, { date: CalendarDate; valueFen: number; grams: number }>();
  for (const sale of sales) {
    const date = shanghaiDate(sale.at);
    const day = daily.get(date) ?? { date, valueFen: 0, grams: 0 };
    day.valueFen += sale.valueFen;
    day.grams += sale.grams;
    daily.set(date, day);
  }
  const farmTotals = new Map<string, { before: [number, number]; during: [number, number] }>();
  for (const day of input.sellThrough) {
    if (day.date > to) continue;
    const totals = farmTotals.get(day.farmId) ?? { before: [0, 0], during: [0, 0] };
    const bucket = day.date < from ? totals.before : totals.during;
    bucket[0] += day.soldGrams;
    bucket[1] += day.spoiledGrams;
    farmTotals.set(day.farmId, totals);
  }
  return {
    from,
    to,
    visits: visits.length,
    enterprisesVisited: new Set(visits.map((v) => v.orgId)).size,
    problemsRaised: problems.length,
    problemsSolvedOnSite: solved.filter((p) => p.resolvedOnSite).length,
    problemsSolvedLater: solved.filter((p) => !p.resolvedOnSite).length,
    problemsOpen: problems.length - solved.length,
    plans: input.plans.filter((p) => within(shanghaiDate(p.createdAt), from, to)).length,
    outcomes: input.outcomes.filter((o) => within(o.achievedOn, from, to)).length,
    salesValueFen: sales.reduce((s, x) => s + x.valueFen, 0),
    salesGrams: sales.reduce((s, x) => s + x.grams, 0),
    salesOrders: sales.length,
    enterprisesHelped: new Set([...sales.map((s) => s.sellerOrgId), ...visits.map((v) => v.orgId)]).size,
    villagesHelped: new Set(sales.map((s) => s.village).filter((v): v is string => !!v)).size,
    farms: [...farmTotals.entries()]
      .map(([farmId, t]) => ({
        farmId,
        beforePermille: permille(...t.before),
        duringPermille: permille(...t.during),
      }))
      .sort((a, b) => (a.farmId < b.farmId ? -1 : 1)),
    daily: [...daily.values()].sort((a, b) => (a.date < b.date ? -1 : 1)),
  };
}
