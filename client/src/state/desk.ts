/**
 * The brokering desk (issue 5): the at-risk board, proposals the broker reviews, edits and sends as
 * brokered offers, and a deal log that follows those offers live (`market:update` events reach chamber
 * staff for every offer and order). DOM-free: main.tsx feeds it socket events and a refresh timer.
 */
import type { DealLogSort } from '../../../shared/schemas/desk';
import type { MarketUpdate } from '../../../shared/schemas/market';
import { totalFen } from '../../../shared/domain/units';
import type { ApiFailure } from './api-result';
import type { DeskApi } from './desk-api';
import type { AtRiskBoard, BrokeredOfferRow, Proposal } from './desk-types';
import type { OrderStatus } from './market-types';
import { Store } from './store';

type DraftStatus = 'draft' | 'sending' | 'sent' | 'failed';
/** The brokered offer's life after sending, as the market reports it. */
type DealStatus = 'open' | 'countered' | 'accepted' | 'rejected' | 'withdrawn' | 'expired';

export interface Draft {
  key: string;
  proposal: Proposal;
  selected: boolean;
  quantityGrams: number;
  priceFenPerKg: number;
  status: DraftStatus;
  error: ApiFailure | null;
}

/** Who and what a deal is about: what the log shows of the proposal it was sent from. */
type DealParties = Pick<Proposal, 'lotId' | 'demandId' | 'sellerOrgId' | 'sellerName' | 'buyerOrgId' | 'buyerName'> & {
  productCode: string | null;
};

export interface Deal {
  offerId: string;
  proposal: DealParties;
  quantityGrams: number;
  priceFenPerKg: number;
  sentAt: string;
  status: DealStatus;
  orderId: string | null;
  orderStatus: OrderStatus | null;
  orderTotalFen: number | null;
  /** The versions of the offer and the order last applied (every write bumps them): an older view is ignored. */
  offerVersion: number;
  orderVersion: number | null;
}

export interface DeskState {
  board: AtRiskBoard | null;
  boardError: ApiFailure | null;
  loadingBoard: boolean;
  /** Which run the drafts came from: one lot's find-buyers, or match-all. */
  plan: { kind: 'lot'; lotId: string } | { kind: 'all' } | null;
  drafts: Draft[];
  planning: boolean;
  planError: ApiFailure | null;
  /** Brokered offers (loaded from the server, then sent from this desk), newest first. */
  deals: Deal[];
  dealsError: ApiFailure | null;
  /** The board's lot search; the pages are read with it. */
  boardQuery: string;
  loadingMoreBoard: boolean;
  /** The deal log's search (party names) and order, and where its next page starts (null: all shown). */
  dealsQuery: { q: string; sort: DealLogSort };
  dealsCursor: string | null;
  loadingMoreDeals: boolean;
}

/** Rows a desk list reads per page. */
const DESK_PAGE = 50;
/** A reload reads at most this many rows at once (the server's largest page), so pages read so far stay. */
const DESK_MAX_PAGE = 200;

const draftKey = (p: Pick<Proposal, 'lotId' | 'demandId'>): string => `${p.lotId}:${p.demandId}`;
export const draftValueFen = (d: Pick<Draft, 'quantityGrams' | 'priceFenPerKg'>): number =>
  totalFen(d.quantityGrams, d.priceFenPerKg);

const DEAL_STATUSES: readonly string[] = ['open', 'countered', 'accepted', 'rejected', 'withdrawn', 'expired'];
const ORDER_STATUSES: readonly string[] = [
  'confirmed',
  'dispatched',
  'delivered',
  'completed',
  'cancelled',
  'disputed',
];
const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;

export class DeskStore extends Store<DeskState> {
  constructor(private readonly api: DeskApi) {
    super({
      board: null,
      boardError: null,
      loadingBoard: false,
      plan: null,
      drafts: [],
      planning: false,
      planError: null,
      deals: [],
      dealsError: null,
      boardQuery: '',
      loadingMoreBoard: false,
      dealsQuery: { q: '', sort: 'newest' },
      dealsCursor: null,
      loadingMoreDeals: false,
    });
  }

  /** Reads the board again from its first lot, as many lots as were shown (live refresh keeps the pages read). */
  async loadBoard(): Promise<void> {
    this.setState({ loadingBoard: true });
    const shown = this.state.board?.items.length ?? 0;
    const limit = Math.min(DESK_MAX_PAGE, Math.max(DESK_PAGE, shown));
    const q = this.state.boardQuery;
    const r = await this.api.atRisk({ limit, ...(q ? { q } : {}) });
    this.setState(
      r.ok ? { board: r.data, boardError: null, loadingBoard: false } : { boardError: r.error, loadingBoard: false },
    );
  }

  /** The board's lots whose product or farm contains `q` ('' for all), from the first page. */
  async searchBoard(q: string): Promise<void> {
    this.setState({ boardQuery: q, board: null });
    await this.loadBoard();
  }

  /** Appends the next page of lots at risk. */
  async loadMoreBoard(): Promise<void> {
    const board = this.state.board;
    if (!board?.nextCursor || this.state.loadingMoreBoard) return;
    this.setState({ loadingMoreBoard: true });
    const q = this.state.boardQuery;
    const r = await this.api.atRisk({ limit: DESK_PAGE, cursor: board.nextCursor, ...(q ? { q } : {}) });
    if (!r.ok) {
      this.setState({ boardError: r.error, loadingMoreBoard: false });
      return;
    }
    const known = new Set(board.items.map((l) => l.lotId));
    this.setState({
      board: { ...r.data, items: [...board.items, ...r.data.items.filter((l) => !known.has(l.lotId))] },
      boardError: null,
      loadingMoreBoard: false,
    });
  }

  async findBuyers(lotId: string): Promise<void> {
    this.setState({ planning: true, planError: null, plan: { kind: 'lot', lotId } });
    this.#takePlan(await this.api.findBuyers(lotId));
  }

  async matchAll(): Promise<void> {
    this.setState({ planning: true, planError: null, plan: { kind: 'all' } });
    this.#takePlan(await this.api.matchAll());
  }

  #takePlan(r: Awaited<ReturnType<DeskApi['matchAll']>>): void {
    if (!r.ok) return this.setState({ planning: false, planError: r.error, drafts: [] });
    const drafts = r.data.proposals.map<Draft>((p) => ({
      key: draftKey(p),
      proposal: p,
      selected: true,
      quantityGrams: p.quantityGrams,
      priceFenPerKg: p.priceFenPerKg,
      status: 'draft',
      error: null,
    }));
    this.setState({ planning: false, drafts });
  }

  #patchDraft(key: string, patch: Partial<Draft>): void {
    this.setState({ drafts: this.state.drafts.map((d) => (d.key === key ? { ...d, ...patch } : d)) });
  }

  toggle(key: string, selected: boolean): void {
    this.#patchDraft(key, { selected });
  }

  /** The broker's edit; the server checks it against the lot's stock and the demand when sent. */
  edit(key: string, change: { quantityGrams?: number; priceFenPerKg?: number }): void {
    const patch: Partial<Draft> = {};
    if (change.quantityGrams !== undefined && Number.isInteger(change.quantityGrams) && change.quantityGrams > 0)
      patch.quantityGrams = change.quantityGrams;
    if (change.priceFenPerKg !== undefined && Number.isInteger(change.priceFenPerKg) && change.priceFenPerKg > 0)
      patch.priceFenPerKg = change.priceFenPerKg;
    this.#patchDraft(key, { ...patch, error: null, status: 'draft' });
  }

  /** Sends every selected draft not yet sent, one at a time (each is its own offer; one refusal does not stop the rest). */
  async sendSelected(now: () => Date = () => new Date()): Promise<{ sent: number; failed: number }> {
    let sent = 0;
    let failed = 0;
    for (const d of this.state.drafts.filter((x) => x.selected && x.status !== 'sent' && x.status !== 'sending')) {
      this.#patchDraft(d.key, { status: 'sending', error: null });
      const r = await this.api.send({
        lotId: d.proposal.lotId,
        demandId: d.proposal.demandId,
        quantityGrams: d.quantityGrams,
        priceFenPerKg: d.priceFenPerKg,
      });
      if (!r.ok) {
        failed++;
        this.#patchDraft(d.key, { status: 'failed', error: r.error });
        continue;
      }
      sent++;
      this.#patchDraft(d.key, { status: 'sent' });
      const deal: Deal = {
        offerId: r.data.offerId,
        proposal: d.proposal,
        quantityGrams: d.quantityGrams,
        priceFenPerKg: d.priceFenPerKg,
        sentAt: now().toISOString(),
        status: 'open',
        orderId: null,
        orderStatus: null,
        orderTotalFen: null,
        // A brokered offer is made at version 1; the events of its later steps carry higher ones.
        offerVersion: 1,
        orderVersion: null,
      };
      this.setState({ deals: [deal, ...this.state.deals.filter((x) => x.offerId !== deal.offerId)] });
    }
    if (sent > 0) void this.loadBoard();
    return { sent, failed };
  }

  /**
   * A market event: moves a sent offer's status, attaches the order it became, and tells the caller
   * whether the board may have changed (lots and demand move with offers and orders). An event older than
   * what the deal shows (replayed after a reconnect) changes nothing.
   */
  applyMarketUpdate(update: MarketUpdate): boolean {
    const { offer, order } = update.data;
    if (
      isRecord(offer) &&
      typeof offer.id === 'string' &&
      typeof offer.status === 'string' &&
      DEAL_STATUSES.includes(offer.status)
    ) {
      const status = offer.status as DealStatus;
      const orderId = typeof offer.orderId === 'string' ? offer.orderId : null;
      // An event without a version (an older server) is applied as it comes.
      const version = versionOf(offer);
      this.#patchDeal(offer.id, (d) =>
        version !== null && version < d.offerVersion
          ? d
          : { ...d, status, orderId: orderId ?? d.orderId, offerVersion: version ?? d.offerVersion },
      );
    }
    if (
      isRecord(order) &&
      typeof order.id === 'string' &&
      typeof order.status === 'string' &&
      ORDER_STATUSES.includes(order.status)
    ) {
      const id = order.id;
      const status = order.status as OrderStatus;
      const total = typeof order.totalFen === 'number' ? order.totalFen : null;
      const offerId = typeof order.offerId === 'string' ? order.offerId : null;
      const version = versionOf(order);
      const olderThanShown = (d: Deal) =>
        d.orderId === id && d.orderVersion !== null && version !== null && version < d.orderVersion;
      this.setState({
        deals: this.state.deals.map((d) =>
          (d.orderId === id || (offerId !== null && d.offerId === offerId)) && !olderThanShown(d)
            ? {
                ...d,
                orderId: id,
                orderStatus: status,
                orderTotalFen: total ?? d.orderTotalFen,
                orderVersion: version ?? d.orderVersion,
              }
            : d,
        ),
      });
    }
    return (
      update.type.startsWith('lot:') ||
      update.type.startsWith('order:') ||
      update.type.startsWith('offer:') ||
      update.type.startsWith('demand:')
    );
  }

  /**
   * The deal log's history from the server (it survives a reload), merged with what live events told us
   * meanwhile: of a row and a deal, the fresher offer and order (by version) win (dealFromRow).
   */
  async loadDeals(limit = DESK_PAGE): Promise<void> {
    const { q, sort } = this.state.dealsQuery;
    const r = await this.api.brokeredOffers({ limit, sort, ...(q ? { q } : {}) });
    if (!r.ok) {
      this.setState({ dealsError: r.error });
      return;
    }
    const known = new Map(this.state.deals.map((d) => [d.offerId, d]));
    const loaded = r.data.items.map((row) => dealFromRow(row, known.get(row.offerId)));
    const loadedIds = new Set(loaded.map((d) => d.offerId));
    // Deals sent from this desk that the first page does not hold stay, unless a search or order is chosen.
    const kept = q || sort !== 'newest' ? [] : this.state.deals.filter((d) => !loadedIds.has(d.offerId));
    const deals = [...loaded, ...kept].sort((a, b) =>
      sort === 'oldest' ? a.sentAt.localeCompare(b.sentAt) : b.sentAt.localeCompare(a.sentAt),
    );
    this.setState({ deals, dealsError: null, dealsCursor: r.data.nextCursor });
  }

  /** The deal log searched by party name and/or in another order, from its first page. */
  async searchDeals(patch: { q?: string; sort?: DealLogSort }): Promise<void> {
    this.setState({ dealsQuery: { ...this.state.dealsQuery, ...patch }, deals: [], dealsCursor: null });
    await this.loadDeals();
  }

  /** Appends the deal log's next page. */
  async loadMoreDeals(): Promise<void> {
    const cursor = this.state.dealsCursor;
    if (!cursor || this.state.loadingMoreDeals) return;
    this.setState({ loadingMoreDeals: true });
    const { q, sort } = this.state.dealsQuery;
    const r = await this.api.brokeredOffers({ limit: DESK_PAGE, sort, cursor, ...(q ? { q } : {}) });
    if (!r.ok) {
      this.setState({ dealsError: r.error, loadingMoreDeals: false });
      return;
    }
    const known = new Set(this.state.deals.map((d) => d.offerId));
    const more = r.data.items.filter((row) => !known.has(row.offerId)).map((row) => dealFromRow(row, undefined));
    this.setState({
      deals: [...this.state.deals, ...more],
      dealsCursor: r.data.nextCursor,
      dealsError: null,
      loadingMoreDeals: false,
    });
  }

  #patchDeal(offerId: string, change: (d: Deal) => Deal): void {
    if (!this.state.deals.some((d) => d.offerId === offerId)) return;
    this.setState({ deals: this.state.deals.map((d) => (d.offerId === offerId ? change(d) : d)) });
  }

  clearPlan(): void {
    this.setState({ plan: null, drafts: [], planError: null });
  }

  clear(): void {
    this.setState({
      board: null,
      boardError: null,
      plan: null,
      drafts: [],
      planError: null,
      deals: [],
      dealsError: null,
    });
  }
}

const versionOf = (view: Record<string, unknown>): number | null =>
  typeof view.version === 'number' ? view.version : null;

/**
 * A deal as the server lists it, unless live events already showed a fresher offer or order: a row read
 * before an event came in does not take the deal back. (Rows of older servers carry no versions: their offer
 * status wins, the order an event showed stays.)
 */
function dealFromRow(row: BrokeredOfferRow, known: Deal | undefined): Deal {
  const offerVersion = row.offerVersion ?? 0;
  const knownOfferFresher = known !== undefined && row.offerVersion !== undefined && known.offerVersion > offerVersion;
  const status =
    knownOfferFresher || !DEAL_STATUSES.includes(row.status) ? (known?.status ?? 'open') : (row.status as DealStatus);
  const orderId = row.orderId ?? known?.orderId ?? null;
  const sameOrder = known !== undefined && known.orderId === orderId;
  const rowOrderVersion = row.orderVersion ?? 0;
  // What an event showed of the order stays unless the row's order is newer.
  const knownOrder = sameOrder && known.orderStatus !== null && (known.orderVersion ?? 0) >= rowOrderVersion;
  return {
    offerId: row.offerId,
    proposal: {
      lotId: row.lotId,
      demandId: row.demandId ?? '',
      sellerOrgId: row.sellerOrgId,
      sellerName: row.sellerName,
      buyerOrgId: row.buyerOrgId,
      buyerName: row.buyerName,
      productCode: row.productCode,
    },
    quantityGrams: row.quantityGrams,
    priceFenPerKg: row.priceFenPerKg,
    sentAt: row.sentAt,
    status,
    orderId,
    // The server's status after a reload; a live event newer than the load may already know better.
    orderStatus:
      row.orderStatus && ORDER_STATUSES.includes(row.orderStatus) && !knownOrder
        ? (row.orderStatus as OrderStatus)
        : sameOrder
          ? known.orderStatus
          : null,
    orderTotalFen: knownOrder
      ? (known.orderTotalFen ?? row.orderTotalFen ?? null)
      : (row.orderTotalFen ?? (sameOrder ? known.orderTotalFen : null)),
    offerVersion: knownOfferFresher ? known.offerVersion : offerVersion,
    orderVersion: knownOrder
      ? known.orderVersion
      : row.orderStatus
        ? rowOrderVersion
        : sameOrder
          ? known.orderVersion
          : null,
  };
}
