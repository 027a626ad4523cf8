/**
 * The 万企兴万村 programme tools (docs/programme.md): campaigns (消费帮扶行动), pairings (结对帮扶),
 * recommendations, research topics, remediation plans, outcomes and the dashboard. Bodies are strict
 * (a misspelt field is an error); money is integer fen, weight integer grams, instants ISO 8601.
 */
import { z } from 'zod';
import { idSchema } from './accounts';
import { calendarDate, grams, instant, productCode } from './market';
import { cursorText, pageLimit, storedRowCursor } from './paging';

const text = (max: number) => z.string().trim().min(1, 'must not be empty').max(max);
const fen = z
  .number({ error: 'must be a number of fen' })
  .int('must be whole fen')
  .positive('must be above 0')
  .max(1e13);
const village = text(60);
const ids = (max: number) => z.array(idSchema).max(max, `at most ${max}`);

const MAX_SCOPE_ITEMS = 50;

export const createCampaignBody = z
  .strictObject({
    name: text(80),
    startsAt: instant,
    endsAt: instant,
    productCodes: z.array(productCode).max(MAX_SCOPE_ITEMS).optional(),
    farmIds: ids(MAX_SCOPE_ITEMS).optional(),
    villages: z.array(village).max(MAX_SCOPE_ITEMS).optional(),
    targetValueFen: fen.optional(),
    targetGrams: grams.optional(),
    /** Only invited enterprises may join (default: any buyer may join). */
    inviteOnly: z.boolean().optional(),
  })
  .refine((b) => b.endsAt.getTime() > b.startsAt.getTime(), {
    message: 'must be after startsAt',
    path: ['endsAt'],
  });
export type CreateCampaignBody = z.infer<typeof createCampaignBody>;

export const inviteBody = z.strictObject({ orgIds: ids(100).min(1, 'name at least one organisation') });

/**
 * `?limit=1..200&cursor=` of a programme list: each list has one order (newest first: campaigns by start,
 * pairings, topics and plans by creation, outcomes by the day achieved, a campaign's orders by confirmation),
 * with the id as keyset tiebreak; a cursor from another list is a 400 naming `cursor`.
 */
const programmePage = (sort: string, kind: 'number' | 'string', extra: z.ZodRawShape = {}) =>
  z.strictObject({ ...extra, limit: pageLimit, cursor: cursorText.optional() }).transform((query, ctx) => {
    const { cursor, ...rest } = query as { cursor?: string; limit: number } & Record<string, unknown>;
    const after = storedRowCursor(cursor, { sort, kinds: [kind] }, ctx);
    return { ...rest, limit: rest.limit, ...(after ? { cursor: after } : {}) };
  });

export const listCampaignsQuery = programmePage('campaigns-newest', 'number', {
  status: z.enum(['upcoming', 'running', 'ended']).optional(),
});
export const campaignOrdersQuery = programmePage('campaign-orders-newest', 'number');
export const listPairingsQuery = programmePage('pairings-newest', 'number');
export const listTopicsQuery = programmePage('topics-newest', 'number');
export const listPlansQuery = programmePage('plans-newest', 'number');
export const listOutcomesQuery = programmePage('outcomes-newest', 'string');
/** A page of a programme list: its size and where it starts (the decoded cursor). */
export type ProgrammePageQuery = z.output<typeof listTopicsQuery>;

export const createPairingBody = z
  .strictObject({
    enterpriseOrgId: idSchema,
    farmIds: ids(20).optional(),
    villages: z.array(village).max(20).optional(),
    startsAt: instant,
    endsAt: instant,
    pledgeGrams: grams.optional(),
    pledgeFen: fen.optional(),
    note: text(200).optional(),
  })
  .refine((b) => (b.farmIds?.length ?? 0) + (b.villages?.length ?? 0) > 0, {
    message: 'name a farm or a village',
    path: ['farmIds'],
  })
  .refine((b) => b.endsAt.getTime() > b.startsAt.getTime(), { message: 'must be after startsAt', path: ['endsAt'] });
export type CreatePairingBody = z.infer<typeof createPairingBody>;

export const updatePledgeBody = z.strictObject({
  pledgeGrams: grams.nullable().optional(),
  pledgeFen: fen.nullable().optional(),
  note: text(200).optional(),
});
export const endPairingBody = z.strictObject({ note: text(200).optional() });

export const recommendationsQuery = z
  .strictObject({
    farmId: idSchema.optional(),
    village: village.optional(),
    /** Products to place; default: the farm's surplus in the 7-day outlook and its open lots at risk. */
    productCodes: z
      .union([productCode, z.array(productCode).max(MAX_SCOPE_ITEMS)])
      .transform((v) => (Array.isArray(v) ? v : [v]))
      .optional(),
  })
  .refine((q) => !!q.farmId || !!q.village, { message: 'name a farm or a village', path: ['farmId'] });
export type RecommendationsQuery = z.infer<typeof recommendationsQuery>;

export const createTopicBody = z.strictObject({
  title: text(120),
  summary: text(2000).optional(),
  problemIds: z.array(text(64)).max(100).optional(),
});
export const updateTopicBody = z.strictObject({
  title: text(120).optional(),
  summary: text(2000).optional(),
  problemIds: z.array(text(64)).max(100).optional(),
});

const task = z.strictObject({ title: text(200), owner: text(60), dueOn: calendarDate });
export const createPlanBody = z.strictObject({
  title: text(120),
  topicId: idSchema.optional(),
  problemIds: z.array(text(64)).max(100).optional(),
  tasks: z.array(task).min(1, 'a plan has at least one task').max(50),
});
export const taskDoneBody = z.strictObject({ done: z.boolean() });
export const taskParams = z.strictObject({ id: idSchema, index: z.coerce.number().int().min(0).max(49) });

export const createOutcomeBody = z.strictObject({
  title: text(120),
  description: text(2000).optional(),
  achievedOn: calendarDate,
  problemIds: z.array(text(64)).max(50).optional(),
  planIds: ids(25).optional(),
  orderIds: z.array(text(64)).max(50).optional(),
  campaignIds: ids(25).optional(),
});

export const dashboardQuery = z
  .strictObject({ from: calendarDate, to: calendarDate })
  .refine((q) => q.from <= q.to, { message: 'must not be after to', path: ['from'] });

/** Leaderboard rows and progress as GET /api/campaigns/:id and the live event carry them. */
export interface ProgressView {
  valueFen: number;
  grams: number;
  orders: number;
  buyers: number;
}
export interface LeaderRowView {
  key: string;
  name: string;
  valueFen: number;
  grams: number;
  orders: number;
}

/** Sent to `chamber` and `campaign:<id>` when an in-scope order is confirmed or cancelled. */
export interface CampaignProgressEvent {
  campaignId: string;
  progress: ProgressView;
  orderId: string;
  change: 'confirmed' | 'cancelled';
  at: string;
}

/** A pairing as GET /api/pairings/:id and the live event carry it. */
export interface PairingViewData {
  id: string;
  enterpriseOrgId: string;
  enterpriseName: string;
  farms: { id: string; name: string }[];
  villages: string[];
  startsAt: string;
  endsAt: string;
  pledgeGrams?: number;
  pledgeFen?: number;
  note?: string;
  status: 'active' | 'ended';
  progress: ProgressView;
  gramsPermille: number | null;
  valuePermille: number | null;
  history: { action: string; at: string; note?: string }[];
  createdAt: string;
}

/**
 * Sent to `chamber` and to both sides' organisation rooms (the enterprise's, and every paired farm's or
 * farm in a paired village) when a pairing is made, its pledge changes, it ends, or an order moves it.
 */
export interface PairingProgressEvent {
  pairingId: string;
  enterpriseOrgId: string;
  change: 'created' | 'pledge' | 'ended' | 'order';
  progress: ProgressView;
  /** The order that moved it (change 'order'). */
  orderId?: string;
  pairing: PairingViewData;
}

/** The poster's share token (GET /api/campaigns/:id/poster?token=…): anyone without it and not signed in gets 404. */
export const posterQuery = z.strictObject({ token: z.string().max(100).optional() });

/** POST /api/campaigns/:id/poster-link: a new share token (default) or none (`share: false`). */
export const posterLinkBody = z.strictObject({ share: z.boolean().default(true) });

export const campaignWatchPayload = z.strictObject({ campaignId: idSchema });
export type CampaignWatchPayload = z.infer<typeof campaignWatchPayload>;
