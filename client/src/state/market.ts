/**
 * The market as one signed-in person sees it: the board of open lots, their own lots, the offers and
 * orders they are party to (for chamber staff: the whole market's, read-only), and (for chamber staff) a
 * live feed of everything. DOM-free: the page
 * feeds it socket `market:update` events and a once-a-second tick.
 */
import type { EditLotBody, MarketUpdate } from '../../../shared/schemas/market';
import type { ApiFailure, ApiResult } from './api-result';
import { WHOLE_MARKET, watchPayloadOf, widens, type BoardFilter, type WatchChannel } from './board-watch';
import type {
  BidBody,
  ClockBody,
  CounterBody,
  LotBody,
  MarketApi,
  OrderAction,
  OrderActionBody,
  TradeResult,
} from './market-api';
import type { CatalogueItem, FarmCapacity, Lot, Offer, Order } from './market-types';
import { Store } from './store';

export type MarketRole = 'farm' | 'restaurant' | 'chamber';

export interface MarketState {
  role: MarketRole | null;
  organisationId: string | null;
  catalogue: CatalogueItem[];
  /** Open lots, soonest expiry first. */
  board: Lot[];
  /** The product and region the board shows; the socket watches the same (`market:watch`). */
  boardFilter: BoardFilter;
  /** The farm's own lots, every status, soonest expiry first. */
  mine: Lot[];
  /** The caller's organisation's offers and orders; for the chamber, the market's (newest 200). */
  offers: Offer[];
  orders: Order[];
  /** The last market events (newest first), for the chamber's live view. */
  feed: MarketUpdate[];
  loading: boolean;
  error: ApiFailure | null;
  /** Milliseconds since the epoch; advanced by tick() so countdowns and clock prices move. */
  now: number;
}

const FEED_LENGTH = 50;

const byExpiry = (a: Lot, b: Lot) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt);
const byNewest = <T extends { updatedAt: string }>(a: T, b: T) => Date.parse(b.updatedAt) - Date.parse(a.updatedAt);

function upsert<T extends { id: string }>(items: T[], item: T): T[] {
  const i = items.findIndex((x) => x.id === item.id);
  if (i === -1) return [item, ...items];
  const copy = items.slice();
  copy[i] = item;
  return copy;
}

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null;
const isLot = (d: Record<string, unknown>): d is Record<string, unknown> & Lot =>
  typeof d.expiresAt === 'string' && typeof d.remainingGrams === 'number';
const isOffer = (d: Record<string, unknown>): d is Record<string, unknown> & Offer =>
  typeof d.turn === 'string' && typeof d.lotId === 'string';
const isOrder = (d: Record<string, unknown>): d is Record<string, unknown> & Order =>
  typeof d.totalFen === 'number' && typeof d.lotId === 'string';

export class MarketStore extends Store<MarketState> {
  constructor(
    private readonly api: MarketApi,
    now: number = Date.now(),
  ) {
    super({
      role: null,
      organisationId: null,
      catalogue: [],
      board: [],
      boardFilter: WHOLE_MARKET,
      mine: [],
      offers: [],
      orders: [],
      feed: [],
      loading: false,
      error: null,
      now,
    });
  }

  #watch: WatchChannel | null = null;

  /** The socket the board's choice goes over (socket.ts `keepBoardWatch`); null once signed out. */
  useWatchChannel(channel: WatchChannel | null): void {
    this.#watch = channel;
  }

  /** Shows only this product and/or region and tells the server to send only their updates. */
  async filterBoard(patch: Partial<BoardFilter>): Promise<void> {
    const before = this.state.boardFilter;
    const next = { ...before, ...patch };
    this.setState({ boardFilter: next });
    await this.sendWatch();
    // Lots outside the old choice went unheard meanwhile: read them afresh.
    if (widens(before, next)) await this.refreshBoard();
  }

  /** Sends the board's choice; also on every (re)connect, since the server forgets it with the socket. */
  async sendWatch(): Promise<boolean> {
    if (!this.#watch) return false;
    const ack = await this.#watch.watch(watchPayloadOf(this.state.boardFilter)).catch(() => null);
    return ack?.ok === true;
  }

  tick(now: number): void {
    this.setState({ now });
  }

  /** Everything the person's pages need, once after sign-in (and again after a reconnect). */
  async load(role: MarketRole, organisationId: string): Promise<void> {
    this.setState({ role, organisationId, loading: true, error: null });
    const [catalogue, board, offers, orders, mine] = await Promise.all([
      this.state.catalogue.length ? null : this.api.catalogue(),
      this.api.lots({ status: 'open', limit: 200 }),
      // The API answers chamber staff with the whole market's offers and orders.
      this.api.offers(),
      this.api.orders(),
      role === 'farm' ? this.api.lots({ sellerOrgId: organisationId, limit: 200 }) : null,
    ]);
    const failed = [catalogue, board, offers, orders, mine].find(
      (r): r is { ok: false; error: ApiFailure } => r !== null && !r.ok,
    );
    this.setState({
      loading: false,
      error: failed ? failed.error : null,
      ...(catalogue?.ok ? { catalogue: catalogue.data.items } : {}),
      ...(board.ok ? { board: board.data.items.slice().sort(byExpiry) } : {}),
      ...(offers?.ok ? { offers: offers.data.items.slice().sort(byNewest) } : {}),
      ...(orders?.ok ? { orders: orders.data.items.slice().sort(byNewest) } : {}),
      ...(mine?.ok ? { mine: mine.data.items.slice().sort(byExpiry) } : {}),
    });
  }

  /** Re-reads the board; socket updates keep it live, this is the fallback after a missed event. */
  async refreshBoard(): Promise<void> {
    const board = await this.api.lots({ status: 'open', limit: 200 });
    if (board.ok) this.setState({ board: board.data.items.slice().sort(byExpiry) });
  }

  /**
   * Applies one socket event as it is, without asking the server again: `data` holds the `lot`, `offer` and/or
   * `order` that changed, as the REST API shows them (every lot event carries its lot; an order that moved a
   * lot's stock carries the lot too). Returns 'bid' when a new bid waits for this farm (the page may beep).
   */
  applyUpdate(update: MarketUpdate): 'bid' | null {
    const feed = [update, ...this.state.feed].slice(0, FEED_LENGTH);
    const { lot, offer, order } = update.data;
    if (isRecord(lot) && isLot(lot)) this.#putLot(lot, feed);
    else this.setState({ feed });
    if (update.type.startsWith('order:') && isRecord(order) && isOrder(order)) {
      this.setState({ orders: upsert(this.state.orders, order).sort(byNewest) });
    }
    if (update.type.startsWith('offer:') && isRecord(offer) && isOffer(offer)) {
      this.setState({ offers: upsert(this.state.offers, offer).sort(byNewest) });
      const forMe = offer.sellerOrgId === this.state.organisationId && offer.turn === 'seller';
      return update.type === 'offer:made' && forMe ? 'bid' : null;
    }
    return null;
  }

  #putLot(lot: Lot, feed: MarketUpdate[] = this.state.feed): void {
    const board =
      lot.status === 'open'
        ? upsert(this.state.board, lot).sort(byExpiry)
        : this.state.board.filter((l) => l.id !== lot.id);
    const mine =
      lot.sellerOrgId === this.state.organisationId ? upsert(this.state.mine, lot).sort(byExpiry) : this.state.mine;
    this.setState({ feed, board, mine });
  }

  lot(id: string): Lot | undefined {
    return this.state.board.find((l) => l.id === id) ?? this.state.mine.find((l) => l.id === id);
  }

  async fetchLot(id: string): Promise<ApiResult<Lot>> {
    const r = await this.api.lot(id);
    if (r.ok) this.#putLot(r.data);
    return r;
  }

  async postLot(body: LotBody): Promise<ApiResult<Lot>> {
    const r = await this.api.postLot(body);
    if (r.ok) this.#putLot(r.data);
    return r;
  }

  async withdrawLot(id: string): Promise<ApiResult<Lot>> {
    const r = await this.api.withdrawLot(id);
    if (r.ok) this.#putLot(r.data);
    return r;
  }

  /** The farm's registered capacity (a warning when posting beyond it); a failure when none is registered. */
  registeredCapacity(): Promise<ApiResult<FarmCapacity>> {
    return this.api.capacity();
  }

  async editLot(id: string, body: EditLotBody): Promise<ApiResult<Lot>> {
    return this.#lotChange(this.api.editLot(id, body));
  }

  async stopClock(id: string): Promise<ApiResult<Lot>> {
    return this.#lotChange(this.api.stopClock(id));
  }

  /** The photo, then its thumbnail; the lot shows the photo as soon as the first is stored. */
  async addPhoto(lotId: string, photo: Blob, thumb: Blob): Promise<ApiResult<Lot>> {
    const added = await this.api.addPhoto(lotId, photo);
    if (!added.ok) return added;
    this.#putLot(added.data.lot);
    return this.#lotChange(this.api.setPhotoThumb(lotId, added.data.photoId, thumb));
  }

  async deletePhoto(lotId: string, photoId: string): Promise<ApiResult<Lot>> {
    return this.#lotChange(this.api.deletePhoto(lotId, photoId));
  }

  async #lotChange(pending: Promise<ApiResult<Lot>>): Promise<ApiResult<Lot>> {
    const r = await pending;
    if (r.ok) this.#putLot(r.data);
    return r;
  }

  async startClock(id: string, body: ClockBody): Promise<ApiResult<Lot>> {
    const r = await this.api.startClock(id, body);
    if (r.ok) this.#putLot(r.data);
    return r;
  }

  /** The answer carries the lot after the take: nothing is read again. */
  async take(lotId: string, quantityGrams: number, maxPriceFenPerKg: number): Promise<ApiResult<TradeResult>> {
    const r = await this.api.take(lotId, { quantityGrams, maxPriceFenPerKg });
    if (r.ok) this.#putTrade(r.data);
    return r;
  }

  async bid(lotId: string, body: BidBody): Promise<ApiResult<Offer>> {
    return this.#offer(this.api.bid(lotId, body));
  }

  async counter(offerId: string, body: CounterBody): Promise<ApiResult<Offer>> {
    return this.#offer(this.api.counter(offerId, body));
  }

  async reject(offerId: string, reason: string): Promise<ApiResult<Offer>> {
    return this.#offer(this.api.reject(offerId, reason));
  }

  async withdrawOffer(offerId: string): Promise<ApiResult<Offer>> {
    return this.#offer(this.api.withdrawOffer(offerId));
  }

  /** As take: the answer carries the order, the offer and the lot after it. */
  async accept(offer: Offer, quantityGrams?: number): Promise<ApiResult<TradeResult & { offer: Offer }>> {
    const r = await this.api.accept(offer.id, quantityGrams);
    if (r.ok) {
      this.setState({ offers: upsert(this.state.offers, r.data.offer) });
      this.#putTrade(r.data);
    }
    return r;
  }

  #putTrade({ order, lot }: TradeResult): void {
    this.setState({ orders: upsert(this.state.orders, order) });
    if (lot) this.#putLot(lot);
  }

  async orderAction(orderId: string, action: OrderAction, body: OrderActionBody = {}): Promise<ApiResult<Order>> {
    const r = await this.api.orderAction(orderId, action, body);
    if (r.ok) this.setState({ orders: upsert(this.state.orders, r.data) });
    return r;
  }

  async #offer(pending: Promise<ApiResult<Offer>>): Promise<ApiResult<Offer>> {
    const r = await pending;
    if (r.ok) this.setState({ offers: upsert(this.state.offers, r.data).sort(byNewest) });
    return r;
  }

  clear(): void {
    this.#watch = null;
    this.setState({
      role: null,
      organisationId: null,
      board: [],
      boardFilter: WHOLE_MARKET,
      mine: [],
      offers: [],
      orders: [],
      feed: [],
      error: null,
    });
  }
}
