/**
 * Request bodies and queries of the chamber's desk: assistance ledger, visits, problems and
 * brokered-offer proposals (docs/desk.md). Objects are strict: a misspelt field is an error.
 * Dates are Shanghai calendar days 'YYYY-MM-DD'; instants ISO 8601 with an offset.
 */
import { z } from 'zod';
import { addDays, daysBetween } from '../domain/calendar';
import { PERIODS } from '../domain/desk/periods';
import { PROBLEM_CATEGORIES, PROBLEM_STATUSES, URGENCIES } from '../domain/desk/problems';
import { calendarDate, fenPerKg, grams, instant } from './market';
import { cursorText, decodedCursor, pageLimit, storedRowCursor } from './paging';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
export const entityId = text(64);
const person = z.strictObject({ userId: entityId, name: text(60) });

/** A year of daily rows is the most a single query returns. */
export const MAX_RANGE_DAYS = 366 * 2;

/** from ≤ to, and at most MAX_RANGE_DAYS apart. */
function checkRange(q: { from?: string; to?: string }, ctx: z.RefinementCtx): void {
  if (!q.from || !q.to) return;
  if (q.from > q.to) ctx.addIssue({ code: 'custom', message: 'from must not be after to', path: ['from'] });
  else if (daysBetween(q.from, q.to) > MAX_RANGE_DAYS)
    ctx.addIssue({ code: 'custom', message: `at most ${MAX_RANGE_DAYS} days`, path: ['to'] });
}

/**
 * The range a query resolves to: both ends given, or the last 30 days up to `today` (Shanghai).
 * The service passes `today`; the schema does not read a clock.
 */
export function resolveRange(q: { from?: string; to?: string }, today: string): { from: string; to: string } {
  const to = q.to ?? (q.from && q.from > today ? q.from : today);
  const from = q.from ?? addDays(to, -29);
  return { from, to };
}

const rangeFields = { from: calendarDate.optional(), to: calendarDate.optional() };

export const ledgerQuery = z
  .strictObject({
    ...rangeFields,
    period: z.enum(PERIODS).default('day'),
    farmId: entityId.optional(),
    brokerId: entityId.optional(),
    programme: text(40).optional(),
    atRisk: z
      .enum(['true', 'false'])
      .transform((v) => v === 'true')
      .optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .superRefine(checkRange)
  .transform(({ cursor, ...query }, ctx) => {
    const after = storedRowCursor(cursor, { sort: 'ledger-newest', kinds: ['number'] }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
/** The ledger report: KPIs over the whole range, its entries a page at a time (newest first). */
export type LedgerQuery = z.output<typeof ledgerQuery>;

export const ledgerExportQuery = z
  .strictObject({
    ...rangeFields,
    farmId: entityId.optional(),
    brokerId: entityId.optional(),
    programme: text(40).optional(),
  })
  .superRefine(checkRange);
export type LedgerExportQuery = z.infer<typeof ledgerExportQuery>;

export const sellThroughQuery = z
  .strictObject({
    ...rangeFields,
    farmId: entityId.optional(),
    period: z.enum(PERIODS).default('week'),
  })
  .superRefine(checkRange);
export type SellThroughQuery = z.infer<typeof sellThroughQuery>;

export const voidLedgerEntryBody = z.strictObject({ reason: text(500) });

export const createVisitBody = z.strictObject({
  orgId: entityId,
  visitedOn: calendarDate,
  notes: text(5000),
  /** Other chamber staff who came along (the author is added automatically). */
  staff: z.array(person).max(20).default([]),
  attendees: z.array(text(100)).max(50).optional(),
  /** Problems raised on the visit, created with it. */
  problems: z
    .array(
      z.strictObject({
        category: z.enum(PROBLEM_CATEGORIES),
        description: text(2000),
        urgency: z.enum(URGENCIES).optional(),
        assignee: person.optional(),
      }),
    )
    .max(50)
    .default([]),
});
export type CreateVisitBody = z.infer<typeof createVisitBody>;

export const listVisitsQuery = z
  .strictObject({
    ...rangeFields,
    orgId: entityId.optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .superRefine(checkRange)
  .transform(({ cursor, ...query }, ctx) => {
    const after = storedRowCursor(cursor, { sort: 'visits-newest', kinds: ['string'] }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
/** Visits in a date range, newest visit day first, a page at a time. */
export type ListVisitsQuery = z.output<typeof listVisitsQuery>;

export const createProblemBody = z.strictObject({
  orgId: entityId,
  visitId: entityId.optional(),
  category: z.enum(PROBLEM_CATEGORIES),
  description: text(2000),
  urgency: z.enum(URGENCIES).optional(),
  assignee: person.optional(),
});
export type CreateProblemBody = z.infer<typeof createProblemBody>;

export const updateProblemBody = z
  .strictObject({
    category: z.enum(PROBLEM_CATEGORIES).optional(),
    description: text(2000).optional(),
    urgency: z.enum(URGENCIES).optional(),
    assignee: person.nullable().optional(),
  })
  .refine((b) => Object.keys(b).length > 0, { message: 'change at least one field' });
export type UpdateProblemBody = z.infer<typeof updateProblemBody>;

export const transitionProblemBody = z.discriminatedUnion('type', [
  z.strictObject({ type: z.literal('start') }),
  z.strictObject({ type: z.literal('resolve'), resolution: text(2000), resolvedOnSite: z.boolean().optional() }),
  z.strictObject({ type: z.literal('reopen'), reason: text(500) }),
]);
export type TransitionProblemBody = z.infer<typeof transitionProblemBody>;

export const linkProblemOrdersBody = z.strictObject({ orderIds: z.array(entityId).min(1).max(50) });
export type LinkProblemOrdersBody = z.infer<typeof linkProblemOrdersBody>;

export const listProblemsQuery = z
  .strictObject({
    orgId: entityId.optional(),
    visitId: entityId.optional(),
    status: z.enum(PROBLEM_STATUSES).optional(),
    category: z.enum(PROBLEM_CATEGORIES).optional(),
    urgency: z.enum(URGENCIES).optional(),
    assigneeId: entityId.optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = storedRowCursor(cursor, { sort: 'problems-newest', kinds: ['number'] }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
/** The problem list, newest raised first, a page at a time; its counts cover everything the filter matches. */
export type ListProblemsQuery = z.output<typeof listProblemsQuery>;

/** What a desk list searches for: product names (zh/en) and organisation names, as typed. */
const deskSearch = z.string().trim().min(1, 'must not be empty').max(60, 'at most 60 characters');

/**
 * The at-risk board. Its lots are paged (`limit`, `cursor`; soonest expiry first, the only order whose key
 * cannot change) and searched (`q`: product or farm); surplus farms and unanswered demand come whole with
 * every page (one row per verified farm, and open demand, which the market bounds).
 */
export const atRiskQuery = z
  .strictObject({
    windowHours: z.coerce
      .number()
      .int()
      .min(1)
      .max(24 * 7)
      .default(48),
    outlookDays: z.coerce.number().int().min(1).max(28).default(7),
    q: deskSearch.optional(),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: 'at-risk', keys: 1 }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
export type AtRiskQuery = z.output<typeof atRiskQuery>;

export const DEAL_LOG_SORTS = ['newest', 'oldest'] as const;
export type DealLogSort = (typeof DEAL_LOG_SORTS)[number];

/** The desk's deal log: offers a broker made, newest (default) or oldest first, searched by party name. */
export const brokeredOffersQuery = z
  .strictObject({
    q: deskSearch.optional(),
    sort: z.enum(DEAL_LOG_SORTS, { error: 'must be newest or oldest' }).default('newest'),
    limit: pageLimit,
    cursor: cursorText.optional(),
  })
  .transform(({ cursor, ...query }, ctx) => {
    const after = decodedCursor(cursor, { sort: `deals-${query.sort}`, keys: 1 }, ctx);
    return { ...query, ...(after ? { cursor: after } : {}) };
  });
export type BrokeredOffersQuery = z.output<typeof brokeredOffersQuery>;

/** Matching knobs a broker may override for one run (defaults in shared/domain/desk/proposals.ts). */
export const matchParamsBody = z.strictObject({
  speedKmPerHour: z.number().positive().max(200).optional(),
  transportFenPerKgKm: z.number().min(0).max(1000).optional(),
  urgencyBonusFenPerKg: z.number().int().min(0).max(100_000).optional(),
  urgencyWindowHours: z
    .number()
    .min(0)
    .max(24 * 14)
    .optional(),
  handlingHours: z.number().min(0).max(72).optional(),
  productCode: text(40).optional(),
});
export type MatchParamsBody = z.infer<typeof matchParamsBody>;

/** A proposal the broker reviewed (and maybe edited) and wants sent as a brokered offer. */
export const sendProposalBody = z.strictObject({
  lotId: entityId,
  demandId: entityId,
  quantityGrams: grams,
  priceFenPerKg: fenPerKg,
  validUntil: instant.optional(),
});
export type SendProposalBody = z.infer<typeof sendProposalBody>;
