/**
 * The only file of the programme that touches the database. Its own collections (programme.model.ts)
 * are read and written here; the market's orders and the accounts' organisations are only READ, with
 * projections and limits (a campaign's progress is computed from the orders each time).
 */
import { Types, type Connection } from 'mongoose';
import type { Campaign } from '../../../shared/domain/programme/campaign';
import type { Pairing } from '../../../shared/domain/programme/pairing';
import type { ProgrammeOutcome, RemediationPlan, ResearchTopic } from '../../../shared/domain/programme/remediation';
import { COUNTED_STATUSES, type OrderFacts, type ProgrammeScope } from '../../../shared/domain/programme/scope';
import type { OrderStatus } from '../../../shared/domain/orders';
import type { PageCursor } from '../../../shared/domain/paging';
import { keysetAfter, keysetSort, objectIdOf, withKeyset } from '../../data/keyset';
import { programmeModels } from './programme.model';

/** Orders read for one progress computation at most; beyond it the answer says `truncated`. */
const MAX_ORDERS_PER_QUERY = 20_000;

/** A campaign as stored: the domain's campaign, plus who may join and the poster's share token (if shared). */
export type CampaignRecord = Campaign & { inviteOnly?: boolean; posterTokenHash?: string };

type Doc = Record<string, unknown> & { _id: Types.ObjectId };

const strings = (v: unknown): string[] => (Array.isArray(v) ? v.map(String) : []);
const optionalStrings = (v: unknown): string[] | undefined =>
  Array.isArray(v) && v.length > 0 ? strings(v) : undefined;
const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
const only = <T extends Record<string, unknown>>(o: T): T =>
  Object.fromEntries(Object.entries(o).filter(([, v]) => v !== undefined)) as T;

function toCampaign(d: Doc): CampaignRecord {
  return only({
    id: String(d._id),
    name: String(d.name),
    startsAt: d.startsAt as Date,
    endsAt: d.endsAt as Date,
    productCodes: optionalStrings(d.productCodes),
    farmIds: optionalStrings(d.farmIds),
    villages: optionalStrings(d.villages),
    targetValueFen: num(d.targetValueFen),
    targetGrams: num(d.targetGrams),
    inviteOnly: d.inviteOnly === true ? true : undefined,
    posterTokenHash: typeof d.posterTokenHash === 'string' ? d.posterTokenHash : undefined,
    createdBy: String(d.createdBy),
    createdAt: d.createdAt as Date,
    invitedOrgIds: strings(d.invitedOrgIds),
    joinedOrgIds: strings(d.joinedOrgIds),
  }) as CampaignRecord;
}

function toPairing(d: Doc): Pairing {
  return only({
    id: String(d._id),
    enterpriseOrgId: String(d.enterpriseOrgId),
    farmIds: strings(d.farmIds),
    villages: strings(d.villages),
    startsAt: d.startsAt as Date,
    endsAt: d.endsAt as Date,
    pledgeGrams: num(d.pledgeGrams),
    pledgeFen: num(d.pledgeFen),
    note: typeof d.note === 'string' ? d.note : undefined,
    status: d.status === 'ended' ? 'ended' : 'active',
    history: ((d.history as Record<string, unknown>[] | undefined) ?? []).map((s) =>
      only({
        action: s.action as 'pair' | 'pledge' | 'end',
        by: String(s.by),
        at: s.at as Date,
        note: typeof s.note === 'string' ? s.note : undefined,
        pledgeGrams: num(s.pledgeGrams),
        pledgeFen: num(s.pledgeFen),
      }),
    ),
    createdAt: d.createdAt as Date,
  }) as Pairing;
}

const toTopic = (d: Doc): ResearchTopic =>
  only({
    id: String(d._id),
    title: String(d.title),
    summary: typeof d.summary === 'string' ? d.summary : undefined,
    problemIds: strings(d.problemIds),
    createdBy: String(d.createdBy),
    createdAt: d.createdAt as Date,
  }) as ResearchTopic;

const toPlan = (d: Doc): RemediationPlan =>
  only({
    id: String(d._id),
    title: String(d.title),
    topicId: typeof d.topicId === 'string' ? d.topicId : undefined,
    problemIds: strings(d.problemIds),
    tasks: ((d.tasks as Record<string, unknown>[] | undefined) ?? []).map((t) =>
      only({
        title: String(t.title),
        owner: String(t.owner),
        dueOn: String(t.dueOn),
        doneAt: t.doneAt as Date | undefined,
      }),
    ),
    status: d.status as RemediationPlan['status'],
    createdBy: String(d.createdBy),
    createdAt: d.createdAt as Date,
    updatedAt: d.updatedAt as Date,
  }) as RemediationPlan;

const toOutcome = (d: Doc): ProgrammeOutcome =>
  only({
    id: String(d._id),
    title: String(d.title),
    description: typeof d.description === 'string' ? d.description : undefined,
    achievedOn: String(d.achievedOn),
    problemIds: strings(d.problemIds),
    planIds: strings(d.planIds),
    orderIds: strings(d.orderIds),
    campaignIds: strings(d.campaignIds),
    createdBy: String(d.createdBy),
    createdAt: d.createdAt as Date,
  }) as ProgrammeOutcome;

/** An organisation as the programme reads it. */
export interface OrgFacts {
  id: string;
  kind: string;
  name: string;
  verification: string;
  village?: string;
  township?: string;
  location?: { lat: number; lng: number };
}

function toOrg(d: Doc): OrgFacts {
  const address = (d.address ?? {}) as { village?: string; township?: string };
  const location = d.location as { lat?: number; lng?: number } | undefined;
  return only({
    id: String(d._id),
    kind: String(d.kind),
    name: String(d.name),
    verification: String(d.verification),
    village: address.village,
    township: address.township,
    location:
      location && typeof location.lat === 'number' && typeof location.lng === 'number'
        ? { lat: location.lat, lng: location.lng }
        : undefined,
  }) as OrgFacts;
}

const objectIds = (ids: readonly string[]) =>
  ids.filter((id) => Types.ObjectId.isValid(id)).map((id) => new Types.ObjectId(id));
const newId = () => new Types.ObjectId().toHexString();

export type ProgrammeRepository = ReturnType<typeof createProgrammeRepository>;

export function createProgrammeRepository(connection: Connection) {
  const { Campaign, Pairing, Topic, Plan, Outcome } = programmeModels(connection);
  const orders = () => connection.collection('orders');
  const organisations = () => connection.collection('organisations');

  const insert = async <T extends { id: string }>(model: typeof Campaign, value: T) => {
    const { id, ...rest } = value;
    await model.create({ _id: new Types.ObjectId(id), ...rest });
  };
  const byId = async (model: typeof Campaign, id: string) =>
    Types.ObjectId.isValid(id) ? model.findById(id).lean<Doc>() : null;
  const replace = async <T extends { id: string }>(model: typeof Campaign, value: T) => {
    const { id, ...rest } = value;
    await model.replaceOne({ _id: new Types.ObjectId(id) }, rest);
  };

  /** Orders → facts, with the seller's village looked up (one query for all sellers). */
  async function withVillages(docs: Record<string, unknown>[]): Promise<OrderFacts[]> {
    const sellers = [...new Set(docs.map((d) => String(d.sellerOrgId)))];
    const villages = await villagesOf(sellers);
    return docs.map(
      (d) =>
        only({
          id: String(d._id),
          buyerOrgId: String(d.buyerOrgId),
          sellerOrgId: String(d.sellerOrgId),
          productCode: String(d.productCode),
          quantityGrams: Number(d.quantityGrams),
          totalFen: Number(d.totalFen),
          status: d.status as OrderStatus,
          confirmedAt: (d.confirmedAt ?? d.createdAt) as Date,
          sellerVillage: villages.get(String(d.sellerOrgId)),
        }) as OrderFacts,
    );
  }

  async function villagesOf(orgIds: readonly string[]): Promise<Map<string, string>> {
    if (orgIds.length === 0) return new Map();
    const docs = await organisations()
      .find({ _id: { $in: objectIds(orgIds) } }, { projection: { 'address.village': 1 } })
      .toArray();
    const map = new Map<string, string>();
    for (const d of docs) {
      const village = (d.address as { village?: string } | undefined)?.village;
      if (village) map.set(String(d._id), village);
    }
    return map;
  }

  async function farmIdsInVillages(villages: readonly string[]): Promise<string[]> {
    const docs = await organisations()
      .find({ kind: 'farm', 'address.village': { $in: [...villages] } }, { projection: { _id: 1 } })
      .limit(1000)
      .toArray();
    return docs.map((d) => String(d._id));
  }

  const ORDER_FIELDS = {
    buyerOrgId: 1,
    sellerOrgId: 1,
    productCode: 1,
    quantityGrams: 1,
    totalFen: 1,
    status: 1,
    confirmedAt: 1,
    createdAt: 1,
  };

  /** A page of `model` newest first by `field` (a Date, or a calendar-day string), the id as tiebreak. */
  const newestPage = async (
    model: typeof Campaign,
    query: Record<string, unknown>,
    field: string,
    page: { limit: number; cursor?: PageCursor },
  ) => {
    const beyond = keysetAfter(
      field,
      -1,
      page.cursor,
      (key) => (typeof key === 'number' ? new Date(key) : key),
      objectIdOf,
    );
    return model.find(withKeyset(query, beyond)).sort(keysetSort(field, -1)).limit(page.limit).lean<Doc[]>();
  };

  return {
    newId,
    async ensureIndexes(): Promise<void> {
      await Promise.all([Campaign.init(), Pairing.init(), Topic.init(), Plan.init(), Outcome.init()]);
    },

    // ---------------------------------------------------------------- campaigns
    insertCampaign: (c: CampaignRecord) => insert(Campaign, c),
    async findCampaign(id: string): Promise<CampaignRecord | null> {
      const d = await byId(Campaign, id);
      return d ? toCampaign(d) : null;
    },
    /** Newest start first, the id as keyset tiebreak: `limit` after `cursor`. */
    async listCampaigns(page: { limit: number; cursor?: PageCursor }): Promise<CampaignRecord[]> {
      return (await newestPage(Campaign, {}, 'startsAt', page)).map(toCampaign);
    },
    /** Campaigns whose period contains `at` (for the live update of an order confirmed then). */
    async campaignsCovering(at: Date, limit = 200): Promise<CampaignRecord[]> {
      const docs = await Campaign.find({ startsAt: { $lte: at }, endsAt: { $gt: at } })
        .limit(limit)
        .lean<Doc[]>();
      return docs.map(toCampaign);
    },
    /** A new share token's hash for the poster (the old one stops working), or none (null: members-only). */
    async setPosterTokenHash(id: string, hash: string | null) {
      await Campaign.updateOne(
        { _id: new Types.ObjectId(id) },
        hash === null
          ? { $unset: { posterTokenHash: 1, posterToken: 1 } }
          : { $set: { posterTokenHash: hash }, $unset: { posterToken: 1 } },
      );
    },
    /**
     * Campaigns made before tokens were hashed kept `posterToken` in plain: each becomes its hash (the links
     * already handed out keep working), the plain token is removed. Each write is conditional on the plain
     * token still being there, so a rerun or a second process changes nothing. Returns how many moved.
     */
    async hashPlainPosterTokens(hash: (token: string) => string, batch = 500): Promise<number> {
      const docs = await Campaign.find({ posterToken: { $type: 'string' } }, { posterToken: 1 })
        .limit(batch)
        .lean<{ _id: Types.ObjectId; posterToken: string }[]>();
      for (const d of docs)
        await Campaign.updateOne(
          { _id: d._id, posterToken: d.posterToken },
          { $set: { posterTokenHash: hash(d.posterToken) }, $unset: { posterToken: 1 } },
        );
      return docs.length;
    },
    async setCampaignMembers(id: string, members: { invitedOrgIds?: string[]; joinedOrgIds?: string[] }) {
      await Campaign.updateOne({ _id: new Types.ObjectId(id) }, { $set: members });
    },

    // ---------------------------------------------------------------- pairings
    insertPairing: (p: Pairing) => insert(Pairing, p),
    savePairing: (p: Pairing) => replace(Pairing, p),
    async findPairing(id: string): Promise<Pairing | null> {
      const d = await byId(Pairing, id);
      return d ? toPairing(d) : null;
    },
    /** Newest first; `involving` limits to pairings naming the enterprise, the farm, or the village. */
    async listPairings(
      filter: { enterpriseOrgId?: string; farmId?: string; village?: string; status?: string },
      page: { limit: number; cursor?: PageCursor },
    ): Promise<Pairing[]> {
      const or: Record<string, unknown>[] = [];
      if (filter.enterpriseOrgId) or.push({ enterpriseOrgId: filter.enterpriseOrgId });
      if (filter.farmId) or.push({ farmIds: filter.farmId });
      if (filter.village) or.push({ villages: filter.village });
      const query: Record<string, unknown> = or.length > 0 ? { $or: or } : {};
      if (filter.status) query.status = filter.status;
      return (await newestPage(Pairing, query, 'createdAt', page)).map(toPairing);
    },

    // ---------------------------------------------------------------- topics, plans, outcomes
    insertTopic: (t: ResearchTopic) => insert(Topic, t),
    saveTopic: (t: ResearchTopic) => replace(Topic, t),
    async findTopic(id: string) {
      const d = await byId(Topic, id);
      return d ? toTopic(d) : null;
    },
    async listTopics(page: { limit: number; cursor?: PageCursor }) {
      return (await newestPage(Topic, {}, 'createdAt', page)).map(toTopic);
    },
    insertPlan: (p: RemediationPlan) => insert(Plan, p),
    savePlan: (p: RemediationPlan) => replace(Plan, p),
    async findPlan(id: string) {
      const d = await byId(Plan, id);
      return d ? toPlan(d) : null;
    },
    async listPlans(page: { limit: number; cursor?: PageCursor }) {
      return (await newestPage(Plan, {}, 'createdAt', page)).map(toPlan);
    },
    insertOutcome: (o: ProgrammeOutcome) => insert(Outcome, o),
    async listOutcomes(page: { limit: number; cursor?: PageCursor }) {
      return (await newestPage(Outcome, {}, 'achievedOn', page)).map(toOutcome);
    },

    // ---------------------------------------------------------------- the market's orders (read only)
    /**
     * The orders that may count for `scope`: counted statuses, confirmed in the period, narrowed by
     * product, buyer and seller where the scope names them (villages are resolved to their farms first).
     */
    async ordersInScope(scope: ProgrammeScope): Promise<{ orders: OrderFacts[]; truncated: boolean }> {
      const query: Record<string, unknown> = {
        status: { $in: [...COUNTED_STATUSES] },
        confirmedAt: { $gte: scope.startsAt, $lt: scope.endsAt },
      };
      if (scope.productCodes?.length) query.productCode = { $in: [...scope.productCodes] };
      if (scope.buyerOrgIds?.length) query.buyerOrgId = { $in: [...scope.buyerOrgIds] };
      if (scope.farmIds?.length || scope.villages?.length) {
        const inVillages = scope.villages?.length ? await farmIdsInVillages(scope.villages) : [];
        query.sellerOrgId = { $in: [...new Set([...(scope.farmIds ?? []), ...inVillages])] };
      }
      const docs = await orders()
        .find(query, { projection: ORDER_FIELDS })
        .limit(MAX_ORDERS_PER_QUERY + 1)
        .toArray();
      const truncated = docs.length > MAX_ORDERS_PER_QUERY;
      return { orders: await withVillages(docs.slice(0, MAX_ORDERS_PER_QUERY)), truncated };
    },
    async orderFacts(id: string): Promise<OrderFacts | null> {
      const doc = await orders().findOne({ _id: id as unknown as Types.ObjectId }, { projection: ORDER_FIELDS });
      return doc ? ((await withVillages([doc]))[0] ?? null) : null;
    },
    /** Counted orders confirmed in [from, to) (recommendation history, dashboard sales), newest first, bounded. */
    async countedOrdersBetween(from: Date, to: Date, limit = MAX_ORDERS_PER_QUERY): Promise<OrderFacts[]> {
      const docs = await orders()
        .find(
          { status: { $in: [...COUNTED_STATUSES] }, confirmedAt: { $gte: from, $lt: to } },
          { projection: ORDER_FIELDS },
        )
        .sort({ confirmedAt: -1 })
        .limit(limit)
        .toArray();
      return withVillages(docs);
    },

    // ---------------------------------------------------------------- the desk's records (read only, dashboard)
    async visitsBetween(from: string, to: string, limit = 5000) {
      const docs = await connection
        .collection('visits')
        .find({ visitedOn: { $gte: from, $lte: to } }, { projection: { orgId: 1, visitedOn: 1 } })
        .limit(limit)
        .toArray();
      return docs.map((d) => ({ orgId: String(d.orgId), visitedOn: String(d.visitedOn) }));
    },
    async problemsCreatedBetween(from: Date, to: Date, limit = 5000) {
      const docs = await connection
        .collection('problems')
        .find(
          { createdAt: { $gte: from, $lt: to } },
          { projection: { orgId: 1, createdAt: 1, status: 1, resolvedOnSite: 1, resolvedAt: 1 } },
        )
        .limit(limit)
        .toArray();
      return docs.map((d) =>
        only({
          orgId: String(d.orgId),
          createdAt: d.createdAt as Date,
          status: d.status as 'open' | 'in_progress' | 'resolved',
          resolvedOnSite: d.resolvedOnSite === true ? true : undefined,
          resolvedAt: d.resolvedAt as Date | undefined,
        }),
      );
    },
    /** Ledger entries (brokered sales, direct procurement) made in [from, to), not voided. */
    async ledgerSalesBetween(from: Date, to: Date, limit = MAX_ORDERS_PER_QUERY) {
      const docs = await connection
        .collection('ledger')
        .find({ createdAt: { $gte: from, $lt: to }, voidedAt: { $exists: false } })
        .limit(limit)
        .toArray();
      return docs.map((d) => {
        const farm = d.farm as { orgId: string; village?: string };
        return only({
          orderId: String(d.orderId),
          at: d.createdAt as Date,
          valueFen: Number(d.valueFen),
          grams: Number(d.quantityGrams),
          buyerOrgId: String((d.buyer as { orgId: string }).orgId),
          sellerOrgId: String(farm.orgId),
          village: farm.village,
        });
      });
    },
    async plansCreatedBetween(from: Date, to: Date) {
      return (
        await Plan.find({ createdAt: { $gte: from, $lt: to } })
          .limit(1000)
          .lean<Doc[]>()
      ).map(toPlan);
    },
    async outcomesBetween(from: string, to: string) {
      return (
        await Outcome.find({ achievedOn: { $gte: from, $lte: to } })
          .limit(1000)
          .lean<Doc[]>()
      ).map(toOutcome);
    },

    // ---------------------------------------------------------------- organisations (read only)
    farmIdsInVillages,
    async organisation(id: string): Promise<OrgFacts | null> {
      if (!Types.ObjectId.isValid(id)) return null;
      const doc = await organisations().findOne({ _id: new Types.ObjectId(id) });
      return doc ? toOrg(doc as Doc) : null;
    },
    async organisationsByIds(ids: readonly string[]): Promise<OrgFacts[]> {
      if (ids.length === 0) return [];
      const docs = await organisations()
        .find({ _id: { $in: objectIds(ids) } })
        .limit(1000)
        .toArray();
      return docs.map((d) => toOrg(d as Doc));
    },
    /** Verified organisations of the kinds given (recommendation candidates), at most `limit`. */
    async verifiedOfKinds(kinds: readonly string[], limit = 2000): Promise<OrgFacts[]> {
      const docs = await organisations()
        .find({ kind: { $in: [...kinds] }, verification: 'verified' })
        .limit(limit)
        .toArray();
      return docs.map((d) => toOrg(d as Doc));
    },
  };
}
