/**
 * Campaigns (消费帮扶行动) and pairings (结对帮扶): load, call the domain rule, save, publish.
 * Progress is always computed from the orders (programme.repository.ts ordersInScope), never stored.
 */
import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import type {
  CreateCampaignBody,
  CreatePairingBody,
  LeaderRowView,
  PairingProgressEvent,
  PairingViewData,
} from '../../../shared/schemas/programme';
import { isBuyerKind, isChamberStaff, type Principal } from '../../../shared/domain/permissions';
import {
  campaignScope,
  campaignStatus,
  changePledge,
  endPairing,
  inPlaceAndProduct,
  inviteToCampaign,
  joinCampaign,
  leaderboard,
  newCampaign,
  newPairing,
  pairingScope,
  permilleOf,
  pledgeProgress,
  sumOrders,
  type Pairing,
  type OrderFacts,
  type Progress,
} from '../../../shared/domain/programme';
import { pageOf } from '../../../shared/domain/paging';
import type { ProgrammePageQuery } from '../../../shared/schemas/programme';
import type { OrganisationKind } from '../../../shared/schemas/accounts';
import type { Result } from '../../outcome';
import { programmeFail } from './programme.http';
import type { CampaignRecord, OrgFacts, ProgrammeRepository } from './programme.repository';

/** Where progress goes live: the chamber's room and the campaign's own (programme.socket.ts). */
export interface ProgrammePublisher {
  campaignProgress(payload: {
    campaignId: string;
    progress: Progress;
    orderId: string;
    change: 'confirmed' | 'cancelled';
    at: string;
  }): void;
  /** To the chamber and to every organisation in `orgIds` (the enterprise and the paired farms). */
  pairingChanged(payload: PairingProgressEvent, orgIds: readonly string[]): void;
}

export interface CampaignsDeps {
  repo: ProgrammeRepository;
  publisher: ProgrammePublisher;
}

const iso = (d: Date) => d.toISOString();

/** A poster share token: 32 random bytes, URL-safe (unguessable; the chamber replaces or removes it). */
const newShareToken = () => randomBytes(32).toString('base64url');
/**
 * Only the token's SHA-256 is stored (`posterTokenHash`, hex): a copy of the database opens no poster. The
 * plain token is in the answer that made it (creation, a new link) and nowhere else.
 */
const posterTokenHash = (token: string) => createHash('sha256').update(token).digest('hex');
/** Constant-time comparison of a presented token's hash with the stored hash (none stored: never matches). */
const tokenMatches = (storedHash: string | undefined, presented: string | undefined) =>
  !!storedHash &&
  !!presented &&
  timingSafeEqual(Buffer.from(storedHash, 'hex'), Buffer.from(posterTokenHash(presented), 'hex'));

export function createCampaignsService({ repo, publisher }: CampaignsDeps) {
  const namesOf = async (ids: readonly string[]) => {
    const orgs = await repo.organisationsByIds([...new Set(ids)]);
    const map = new Map(orgs.map((o) => [o.id, o.name]));
    return (id: string) => map.get(id) ?? id;
  };

  async function checkFarms(farmIds: readonly string[] | undefined): Promise<Result<{ farms: OrgFacts[] }>> {
    if (!farmIds?.length) return { ok: true, farms: [] };
    const farms = await repo.organisationsByIds(farmIds);
    const missing = farmIds.filter((id) => !farms.some((f) => f.id === id && f.kind === 'farm'));
    if (missing.length > 0)
      return programmeFail('NOT_A_FARM', `Not a farm: ${missing.join(', ')}`, { field: 'farmIds' });
    return { ok: true, farms };
  }

  async function progressOfCampaign(campaign: CampaignRecord) {
    const { orders, truncated } = await repo.ordersInScope(campaignScope(campaign));
    return { orders, truncated, progress: sumOrders(orders) };
  }

  async function campaignView(campaign: CampaignRecord, viewer: Principal | null, now: Date, withDetail: boolean) {
    const { orders, truncated, progress } = await progressOfCampaign(campaign);
    const base = {
      id: campaign.id,
      name: campaign.name,
      startsAt: iso(campaign.startsAt),
      endsAt: iso(campaign.endsAt),
      status: campaignStatus(campaign, now),
      ...(campaign.productCodes ? { productCodes: campaign.productCodes } : {}),
      ...(campaign.farmIds ? { farmIds: campaign.farmIds } : {}),
      ...(campaign.villages ? { villages: campaign.villages } : {}),
      ...(campaign.targetValueFen !== undefined ? { targetValueFen: campaign.targetValueFen } : {}),
      ...(campaign.targetGrams !== undefined ? { targetGrams: campaign.targetGrams } : {}),
      inviteOnly: campaign.inviteOnly === true,
      progress,
      valuePermille: permilleOf(progress.valueFen, campaign.targetValueFen),
      gramsPermille: permilleOf(progress.grams, campaign.targetGrams),
      joinedCount: campaign.joinedOrgIds.length,
      ...(viewer
        ? {
            invited: campaign.invitedOrgIds.includes(viewer.organisationId),
            joined: campaign.joinedOrgIds.includes(viewer.organisationId),
          }
        : {}),
      ...(viewer && isChamberStaff(viewer)
        ? {
            invitedOrgIds: campaign.invitedOrgIds,
            joinedOrgIds: campaign.joinedOrgIds,
            // Whether a share link exists; the link itself was shown once, when it was made.
            posterShared: campaign.posterTokenHash !== undefined,
          }
        : {}),
      truncated,
    };
    if (!withDetail) return base;
    const nameOf = await namesOf([
      ...orders.map((o) => o.buyerOrgId),
      ...orders.map((o) => o.sellerOrgId),
      ...campaign.joinedOrgIds,
    ]);
    const named = (rows: ReturnType<typeof leaderboard>, by: 'buyer' | 'village'): LeaderRowView[] =>
      rows.map((r) => ({ ...r, name: by === 'buyer' ? nameOf(r.key) : villageName(r.key, nameOf) }));
    return {
      ...base,
      leaderboard: {
        enterprises: named(leaderboard(orders, 'buyer'), 'buyer'),
        villages: named(leaderboard(orders, 'village'), 'village'),
      },
      joinedEnterprises: campaign.joinedOrgIds.map((id) => ({ id, name: nameOf(id) })),
    };
  }

  /** A village's leaderboard key is its name; a seller without a village is keyed by its id. */
  const villageName = (key: string, nameOf: (id: string) => string) => (/^[a-f0-9]{24}$/.test(key) ? nameOf(key) : key);

  function orderRow(o: OrderFacts, nameOf: (id: string) => string) {
    return {
      id: o.id,
      buyerOrgId: o.buyerOrgId,
      buyerName: nameOf(o.buyerOrgId),
      sellerOrgId: o.sellerOrgId,
      sellerName: nameOf(o.sellerOrgId),
      ...(o.sellerVillage ? { village: o.sellerVillage } : {}),
      productCode: o.productCode,
      quantityGrams: o.quantityGrams,
      totalFen: o.totalFen,
      status: o.status,
      confirmedAt: iso(o.confirmedAt),
    };
  }

  async function pairingView(pairing: Pairing): Promise<PairingViewData> {
    const { orders } = await repo.ordersInScope(pairingScope(pairing));
    const progress = sumOrders(orders);
    const nameOf = await namesOf([pairing.enterpriseOrgId, ...pairing.farmIds]);
    return {
      id: pairing.id,
      enterpriseOrgId: pairing.enterpriseOrgId,
      enterpriseName: nameOf(pairing.enterpriseOrgId),
      farms: pairing.farmIds.map((id) => ({ id, name: nameOf(id) })),
      villages: pairing.villages,
      startsAt: iso(pairing.startsAt),
      endsAt: iso(pairing.endsAt),
      ...(pairing.pledgeGrams !== undefined ? { pledgeGrams: pairing.pledgeGrams } : {}),
      ...(pairing.pledgeFen !== undefined ? { pledgeFen: pairing.pledgeFen } : {}),
      ...(pairing.note ? { note: pairing.note } : {}),
      status: pairing.status,
      progress,
      ...pledgeProgress(pairing, progress),
      history: pairing.history.map((h) => ({ ...h, at: iso(h.at) })),
      createdAt: iso(pairing.createdAt),
    };
  }

  /** Both sides of a pairing: the enterprise, the paired farms and the farms in the paired villages. */
  async function sidesOf(pairing: Pairing): Promise<string[]> {
    const inVillages = pairing.villages.length ? await repo.farmIdsInVillages(pairing.villages) : [];
    return [...new Set([pairing.enterpriseOrgId, ...pairing.farmIds, ...inVillages])];
  }

  /** A pairing changed: its view goes to the chamber and to both sides, live. */
  async function publishPairing(pairing: Pairing, change: PairingProgressEvent['change'], orderId?: string) {
    const view = await pairingView(pairing);
    publisher.pairingChanged(
      {
        pairingId: pairing.id,
        enterpriseOrgId: pairing.enterpriseOrgId,
        change,
        progress: view.progress,
        ...(orderId ? { orderId } : {}),
        pairing: view,
      },
      await sidesOf(pairing),
    );
    return view;
  }

  /** Who sees a pairing: the chamber, the paired enterprise, and the paired farms (or farms in the paired villages). */
  async function maySeePairing(pairing: Pairing, viewer: Principal): Promise<boolean> {
    if (isChamberStaff(viewer) || pairing.enterpriseOrgId === viewer.organisationId) return true;
    if (viewer.kind !== 'farm') return false;
    if (pairing.farmIds.includes(viewer.organisationId)) return true;
    const me = await repo.organisation(viewer.organisationId);
    return !!me?.village && pairing.villages.includes(me.village);
  }

  async function getCampaign(id: string, viewer: Principal | null, now: Date) {
    const campaign = await repo.findCampaign(id);
    if (!campaign) return programmeFail('NOT_FOUND', 'No such campaign');
    return { ok: true as const, campaign: await campaignView(campaign, viewer, now, true) };
  }

  return {
    async createCampaign(body: CreateCampaignBody, actor: Principal, now: Date) {
      const farms = await checkFarms(body.farmIds);
      if (!farms.ok) return farms;
      const { inviteOnly, ...input } = body;
      const made = newCampaign({ ...input, id: repo.newId(), createdBy: actor.userId }, now);
      if (!made.ok) return programmeFail.refused(made);
      const posterToken = newShareToken();
      const campaign: CampaignRecord = {
        ...made.campaign,
        ...(inviteOnly ? { inviteOnly: true } : {}),
        posterTokenHash: posterTokenHash(posterToken),
      };
      await repo.insertCampaign(campaign);
      // The one answer that carries the share token in plain (the database keeps only its hash).
      return { ok: true as const, campaign: { ...(await campaignView(campaign, actor, now, true)), posterToken } };
    },

    getCampaign,

    /** Newest start first, a page at a time (every member sees every campaign). */
    async listCampaigns(page: ProgrammePageQuery, viewer: Principal, now: Date) {
      const rows = await repo.listCampaigns({ ...page, limit: page.limit + 1 });
      const { items, nextCursor } = pageOf(rows, page.limit, (c) => ({
        sort: 'campaigns-newest',
        keys: [c.startsAt.getTime()],
        id: c.id,
      }));
      return { items: await Promise.all(items.map((c) => campaignView(c, viewer, now, false))), nextCursor };
    },

    /**
     * The read-only poster: totals, villages and the enterprises that joined; no one's order lines. A signed-in
     * member sees it; anyone else only with the campaign's current share token (otherwise: no such campaign).
     */
    async poster(id: string, token: string | undefined, viewer: Principal | null, now: Date) {
      const stored = await repo.findCampaign(id);
      if (!stored || (!viewer && !tokenMatches(stored.posterTokenHash, token)))
        return programmeFail('NOT_FOUND', 'No such campaign');
      const got = await getCampaign(id, null, now);
      if (!got.ok) return got;
      const {
        leaderboard: board,
        joinedEnterprises,
        truncated: _t,
        ...rest
      } = got.campaign as Awaited<ReturnType<typeof campaignView>> & {
        leaderboard: { villages: LeaderRowView[] };
        joinedEnterprises: { name: string }[];
      };
      return {
        ok: true as const,
        poster: { ...rest, villageBoard: board.villages, enterprises: joinedEnterprises.map((e) => e.name) },
      };
    },

    /**
     * Start-up: campaigns from before share tokens were hashed get their plain token hashed in place, so
     * links already handed out keep working (at most 20 batches of 500 per start; the rest on the next).
     */
    async hashPlainPosterTokens(): Promise<void> {
      for (let batch = 0; batch < 20; batch++) if ((await repo.hashPlainPosterTokens(posterTokenHash)) < 500) return;
    },

    /** A new share link for the poster (the old link stops working), or none at all (`share: false`). */
    async resharePoster(id: string, share: boolean) {
      const campaign = await repo.findCampaign(id);
      if (!campaign) return programmeFail('NOT_FOUND', 'No such campaign');
      const posterToken = share ? newShareToken() : null;
      await repo.setPosterTokenHash(id, posterToken === null ? null : posterTokenHash(posterToken));
      return { ok: true as const, posterToken };
    },

    /**
     * The campaign's orders the viewer may see (chamber: all; an enterprise: its own), newest confirmed first
     * (then by id), a page at a time. The scope is computed from the market (at most 20,000 orders a campaign,
     * as the progress is), so the page is cut from it here by the same keyset.
     */
    async campaignOrders(id: string, page: ProgrammePageQuery, viewer: Principal) {
      const campaign = await repo.findCampaign(id);
      if (!campaign) return programmeFail('NOT_FOUND', 'No such campaign');
      const { orders } = await progressOfCampaign(campaign);
      const visible = isChamberStaff(viewer)
        ? orders
        : orders.filter((o) => o.buyerOrgId === viewer.organisationId || o.sellerOrgId === viewer.organisationId);
      const newest = [...visible].sort(
        (a, b) => b.confirmedAt.getTime() - a.confirmedAt.getTime() || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0),
      );
      const after = page.cursor;
      const rest = after
        ? newest.filter((o) => {
            const at = o.confirmedAt.getTime();
            return at < Number(after.keys[0]) || (at === Number(after.keys[0]) && o.id > after.id);
          })
        : newest;
      const shown = pageOf(rest.slice(0, page.limit + 1), page.limit, (o) => ({
        sort: 'campaign-orders-newest',
        keys: [o.confirmedAt.getTime()],
        id: o.id,
      }));
      const nameOf = await namesOf(shown.items.flatMap((o) => [o.buyerOrgId, o.sellerOrgId]));
      return {
        ok: true as const,
        items: shown.items.map((o) => orderRow(o, nameOf)),
        nextCursor: shown.nextCursor,
        total: visible.length,
      };
    },

    async invite(id: string, orgIds: string[]) {
      const campaign = await repo.findCampaign(id);
      if (!campaign) return programmeFail('NOT_FOUND', 'No such campaign');
      const orgs = await repo.organisationsByIds(orgIds);
      const notBuyers = orgIds.filter((o) => !orgs.some((x) => x.id === o && isBuyerKind(x.kind as OrganisationKind)));
      if (notBuyers.length > 0)
        return programmeFail('NOT_A_BUYER', `Not a buyer: ${notBuyers.join(', ')}`, { field: 'orgIds' });
      const invited = inviteToCampaign(campaign, orgIds);
      if (!invited.ok) return programmeFail.refused(invited);
      await repo.setCampaignMembers(id, { invitedOrgIds: invited.invitedOrgIds });
      return { ok: true as const, invitedOrgIds: invited.invitedOrgIds, added: invited.added };
    },

    async join(id: string, viewer: Principal, now: Date) {
      if (!isBuyerKind(viewer.kind)) return programmeFail('FORBIDDEN', 'Only buying enterprises join a campaign');
      const campaign = await repo.findCampaign(id);
      if (!campaign) return programmeFail('NOT_FOUND', 'No such campaign');
      const joined = joinCampaign(campaign, viewer.organisationId, now, campaign.inviteOnly !== true);
      if (!joined.ok) return programmeFail.refused(joined);
      if (joined.changed) await repo.setCampaignMembers(id, { joinedOrgIds: joined.joinedOrgIds });
      return { ok: true as const, joined: true, changed: joined.changed };
    },

    // ---------------------------------------------------------------- pairings
    async createPairing(body: CreatePairingBody, actor: Principal, now: Date) {
      const enterprise = await repo.organisation(body.enterpriseOrgId);
      if (!enterprise || !isBuyerKind(enterprise.kind as OrganisationKind))
        return programmeFail('NOT_A_BUYER', 'The enterprise must be a buying member enterprise', {
          field: 'enterpriseOrgId',
        });
      const farms = await checkFarms(body.farmIds);
      if (!farms.ok) return farms;
      const made = newPairing({ ...body, id: repo.newId(), by: actor.userId }, now);
      if (!made.ok) return programmeFail.refused(made);
      await repo.insertPairing(made.pairing);
      return { ok: true as const, pairing: await publishPairing(made.pairing, 'created') };
    },

    /** Newest first, a page at a time: chamber staff see all; a farm those naming it or its village; a buyer its own. */
    async listPairings(page: ProgrammePageQuery, viewer: Principal) {
      let filter: Parameters<ProgrammeRepository['listPairings']>[0] = {};
      if (!isChamberStaff(viewer)) {
        if (viewer.kind === 'farm') {
          const me = await repo.organisation(viewer.organisationId);
          filter = { farmId: viewer.organisationId, ...(me?.village ? { village: me.village } : {}) };
        } else filter = { enterpriseOrgId: viewer.organisationId };
      }
      const rows = await repo.listPairings(filter, { ...page, limit: page.limit + 1 });
      const { items, nextCursor } = pageOf(rows, page.limit, (p) => ({
        sort: 'pairings-newest',
        keys: [p.createdAt.getTime()],
        id: p.id,
      }));
      return { items: await Promise.all(items.map(pairingView)), nextCursor };
    },

    async getPairing(id: string, viewer: Principal) {
      const pairing = await repo.findPairing(id);
      if (!pairing || !(await maySeePairing(pairing, viewer))) return programmeFail('NOT_FOUND', 'No such pairing');
      return { ok: true as const, pairing: await pairingView(pairing) };
    },

    async changePledge(
      id: string,
      change: { pledgeGrams?: number | null; pledgeFen?: number | null; note?: string },
      actor: Principal,
      now: Date,
    ) {
      const pairing = await repo.findPairing(id);
      if (!pairing) return programmeFail('NOT_FOUND', 'No such pairing');
      const changed = changePledge(pairing, { ...change, by: actor.userId }, now);
      if (!changed.ok) return programmeFail.refused(changed);
      await repo.savePairing(changed.pairing);
      return { ok: true as const, pairing: await publishPairing(changed.pairing, 'pledge') };
    },

    async endPairing(id: string, note: string | undefined, actor: Principal, now: Date) {
      const pairing = await repo.findPairing(id);
      if (!pairing) return programmeFail('NOT_FOUND', 'No such pairing');
      const ended = endPairing(pairing, actor.userId, now, note);
      if (!ended.ok) return programmeFail.refused(ended);
      await repo.savePairing(ended.pairing);
      return { ok: true as const, pairing: await publishPairing(ended.pairing, 'ended') };
    },

    /**
     * A market order was confirmed or cancelled: every campaign (and active pairing) whose scope holds it
     * gets its progress recomputed and published. Returns the campaigns touched (tests await it).
     */
    async onOrderChanged(orderId: string, change: 'confirmed' | 'cancelled', now: Date): Promise<string[]> {
      const order = await repo.orderFacts(orderId);
      if (!order) return [];
      const covering = await repo.campaignsCovering(order.confirmedAt);
      const touched = covering.filter((c) => inPlaceAndProduct(campaignScope(c), order));
      for (const campaign of touched) {
        const { progress } = await progressOfCampaign(campaign);
        publisher.campaignProgress({ campaignId: campaign.id, progress, orderId, change, at: iso(now) });
      }
      const pairings = await repo.listPairings({ enterpriseOrgId: order.buyerOrgId, status: 'active' }, { limit: 50 });
      for (const pairing of pairings.filter((p) => inPlaceAndProduct(pairingScope(p), order)))
        await publishPairing(pairing, 'order', orderId);
      return touched.map((c) => c.id);
    },
  };
}

export type CampaignsService = ReturnType<typeof createCampaignsService>;
