/**
 * The market as one signed-in person sees it: the board of open lots, their own lots, the offers and
 * orders they are party to (for chamber staff: the whole market's, read-only), and (for chamber staff) a
 * live feed of everything. DOM-free: the page
 * feeds it socket `market:update` events and a once-a-second tick.
 */
import type { EditLotBody, LotSort, MarketUpdate, OrderSort } from '../../../shared/schemas/market';
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
import { heldAtStart, mergeRead, olderThanHeld, type HeldAtStart } from './versions';

export type MarketRole = 'farm' | 'restaurant' | 'chamber';

export interface MarketState {
  role: MarketRole | null;
  organisationId: string | null;
  catalogue: CatalogueItem[];
  /** Open lots in the board's sort order (soonest expiry first unless sorted otherwise), the pages read so far. */
  board: Lot[];
  /** The product and region the board shows; the socket watches the same (`market:watch`). */
  boardFilter: BoardFilter;
  /** The farm's own lots, every status, soonest expiry first. */
  mine: Lot[];
  /** The caller's organisation's offers and orders; for the chamber, the market's (newest 200). */
  offers: Offer[];
  orders: Order[];
  /** What the board is searched for and sorted by (server-side: $text, expiry/price/distance). */
  boardSearch: BoardSearch;
  /** The cursor of the board's next page; null when every page is loaded. */
  boardNext: string | null;
  /** The orders page's search and sort, and its next page's cursor. */
  ordersSearch: OrdersSearch;
  ordersNext: string | null;
  /** Where the next page of the person's offers starts (newest made first); null when all are read. */
  offersNext: string | null;
  /** A next page is being read (board or orders). */
  loadingMore: boolean;
  /** The last market events (newest first), for the chamber's live view. */
  feed: MarketUpdate[];
  loading: boolean;
  error: ApiFailure | null;
  /** Milliseconds since the epoch; advanced by tick() so countdowns and clock prices move. */
  now: number;
}

const FEED_LENGTH = 50;
/** How many lots that left the board the store remembers the version of (the oldest is forgotten first). */
const LEFT_BOARD_MEMORY = 500;
/** Lots and orders per page; the page asks for the next one as its end scrolls into view. */
const LIST_PAGE = 30;

export interface BoardSearch {
  q: string;
  sort: LotSort;
}
export interface OrdersSearch {
  q: string;
  sort: OrderSort;
}

/** The board's order on the client, the same as the server's for the chosen sort (the id breaks ties). */
function boardOrder(sort: LotSort): (a: Lot, b: Lot) => number {
  const key = (l: Lot) =>
    sort === 'price' ? l.askPriceFenPerKg : sort === 'distance' ? (l.distanceKm ?? Infinity) : Date.parse(l.expiresAt);
  return (a, b) => key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
}

/** The orders page's order on the client, the same as the server's for the chosen sort. */
function ordersOrder(sort: OrderSort): (a: Order, b: Order) => number {
  const key = (o: Order) => (sort === 'price' ? o.priceFenPerKg : Date.parse(o.createdAt));
  const direction = sort === 'oldest' ? 1 : -1;
  return (a, b) => direction * (key(a) - key(b) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0));
}

/** Appends a next page, leaving out what is already shown (a live event may have brought it first). */
function appendNew<T extends { id: string }>(items: T[], more: T[]): T[] {
  const have = new Set(items.map((i) => i.id));
  return [...items, ...more.filter((i) => !have.has(i.id))];
}

const byExpiry = (a: Lot, b: Lot) => Date.parse(a.expiresAt) - Date.parse(b.expiresAt);
/** Offers read per page: the most the server gives, as one read gave before offers were paged. */
const OFFERS_PAGE = 200;

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

/** Sets `key` in a map that keeps at most `limit` entries, forgetting the longest-held first. */
function rememberBounded<V>(map: Map<string, V>, key: string, value: V, limit: number): void {
  map.delete(key);
  map.set(key, value);
  if (map.size > limit) map.delete(map.keys().next().value as string);
}

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
      boardSearch: { q: '', sort: 'expiry' },
      boardNext: null,
      ordersSearch: { q: '', sort: 'newest' },
      ordersNext: null,
      offersNext: null,
      loadingMore: false,
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
  /** The versions of lots that left the board (sold out, withdrawn, expired), so an older replayed event cannot bring one back. */
  readonly #leftBoard = new Map<string, { version: number }>();

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
    // Events may come in while the lists are read: what they brought stays if it is fresher (versions.ts).
    const atStart = this.#heldAtStart();
    const [catalogue, board, offers, orders, mine] = await Promise.all([
      this.state.catalogue.length ? null : this.api.catalogue(),
      this.api.lots(this.#boardQuery()),
      // The API answers chamber staff with the whole market's offers and orders.
      this.api.offers({ limit: OFFERS_PAGE }),
      this.api.orders(this.#ordersQuery()),
      role === 'farm' ? this.api.lots({ sellerOrgId: organisationId, limit: 200 }) : null,
    ]);
    const failed = [catalogue, board, offers, orders, mine].find(
      (r): r is { ok: false; error: ApiFailure } => r !== null && !r.ok,
    );
    this.setState({
      loading: false,
      error: failed ? failed.error : null,
      ...(catalogue?.ok ? { catalogue: catalogue.data.items } : {}),
      ...(board.ok
        ? { board: this.#boardRead(board.data.items, atStart.board), boardNext: board.data.nextCursor }
        : {}),
      ...(offers?.ok
        ? {
            offers: mergeRead(offers.data.items, this.state.offers, atStart.offers).sort(byNewest),
            offersNext: offers.data.nextCursor,
          }
        : {}),
      ...(orders?.ok
        ? {
            orders: mergeRead(orders.data.items, this.state.orders, atStart.orders).sort(
              ordersOrder(this.state.ordersSearch.sort),
            ),
            ordersNext: orders.data.nextCursor,
          }
        : {}),
      ...(mine?.ok ? { mine: mergeRead(mine.data.items, this.state.mine, atStart.mine).sort(byExpiry) } : {}),
    });
  }

  #heldAtStart() {
    const { board, mine, offers, orders } = this.state;
    return {
      board: heldAtStart(board),
      mine: heldAtStart(mine),
      offers: heldAtStart(offers),
      orders: heldAtStart(orders),
    };
  }

  /** The board's first page as read, merged with what events brought meanwhile; a lot that left the board stays away. */
  #boardRead(read: Lot[], atStart: HeldAtStart): Lot[] {
    const left = (id: string) => this.#leftBoard.get(id)?.version;
    return mergeRead(read, this.state.board, atStart, left).sort(boardOrder(this.state.boardSearch.sort));
  }

  /** Re-reads the board's first page; socket updates keep it live, this is the fallback after a missed event. */
  async refreshBoard(): Promise<void> {
    const atStart = heldAtStart(this.state.board);
    const board = await this.api.lots(this.#boardQuery());
    if (board.ok)
      this.setState({
        board: this.#boardRead(board.data.items, atStart),
        boardNext: board.data.nextCursor,
        error: null,
      });
    else this.setState({ error: board.error });
  }

  /** Searches and/or sorts the board (server-side) and shows its first page. */
  async searchBoard(patch: Partial<BoardSearch>): Promise<void> {
    this.setState({ boardSearch: { ...this.state.boardSearch, ...patch }, board: [], boardNext: null, loading: true });
    await this.refreshBoard();
    this.setState({ loading: false });
  }

  /** Reads the board's next page and appends it (infinite scroll, or the 加载更多 button). */
  async moreBoard(): Promise<void> {
    const cursor = this.state.boardNext;
    if (!cursor || this.state.loadingMore) return;
    this.setState({ loadingMore: true });
    const page = await this.api.lots({ ...this.#boardQuery(), cursor });
    this.setState({
      loadingMore: false,
      ...(page.ok
        ? { board: appendNew(this.state.board, page.data.items), boardNext: page.data.nextCursor }
        : { error: page.error }),
    });
  }

  /** Searches and/or sorts the orders (server-side) and shows their first page. */
  async searchOrders(patch: Partial<OrdersSearch>): Promise<void> {
    this.setState({ ordersSearch: { ...this.state.ordersSearch, ...patch }, loadingMore: true });
    const page = await this.api.orders(this.#ordersQuery());
    this.setState({
      loadingMore: false,
      ...(page.ok ? { orders: page.data.items, ordersNext: page.data.nextCursor, error: null } : { error: page.error }),
    });
  }

  /** Reads the next page of the person's offers (older ones) and adds them. */
  async moreOffers(): Promise<void> {
    const cursor = this.state.offersNext;
    if (!cursor || this.state.loadingMore) return;
    this.setState({ loadingMore: true });
    const page = await this.api.offers({ limit: OFFERS_PAGE, cursor });
    this.setState({
      loadingMore: false,
      ...(page.ok
        ? {
            offers: appendNew(this.state.offers, page.data.items).sort(byNewest),
            offersNext: page.data.nextCursor,
          }
        : { error: page.error }),
    });
  }

  async moreOrders(): Promise<void> {
    const cursor = this.state.ordersNext;
    if (!cursor || this.state.loadingMore) return;
    this.setState({ loadingMore: true });
    const page = await this.api.orders({ ...this.#ordersQuery(), cursor });
    this.setState({
      loadingMore: false,
      ...(page.ok
        ? { orders: appendNew(this.state.orders, page.data.items), ordersNext: page.data.nextCursor }
        : { error: page.error }),
    });
  }

  #boardQuery() {
    const { q, sort } = this.state.boardSearch;
    return { status: 'open' as const, limit: LIST_PAGE, sort, ...(q ? { q } : {}) };
  }

  #ordersQuery() {
    const { q, sort } = this.state.ordersSearch;
    return { limit: LIST_PAGE, sort, ...(q ? { q } : {}) };
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
      this.#putOrder(order);
    }
    if (update.type.startsWith('offer:') && isRecord(offer) && isOffer(offer)) {
      this.#putOffer(offer);
      const forMe = offer.sellerOrgId === this.state.organisationId && offer.turn === 'seller';
      return update.type === 'offer:made' && forMe ? 'bid' : null;
    }
    return null;
  }

  #putLot(lot: Lot, feed: MarketUpdate[] = this.state.feed): void {
    const { q, sort } = this.state.boardSearch;
    const shown = this.state.board.find((l) => l.id === lot.id);
    // A replayed event (socket.io recovery after a reconnect) may be older than a fresher read: keep the fresher.
    const left = this.#leftBoard.get(lot.id);
    if (olderThanHeld(lot, [shown, this.state.mine.find((l) => l.id === lot.id), left])) {
      this.setState({ feed });
      return;
    }
    if (lot.status !== 'open') rememberBounded(this.#leftBoard, lot.id, { version: lot.version }, LEFT_BOARD_MEMORY);
    // A searched or distance-sorted board cannot place a new lot itself (the server's $text and $geoNear do
    // that): it updates the lots it shows and leaves new ones to the next read.
    const placeable = shown !== undefined || (q === '' && sort !== 'distance');
    const board =
      lot.status !== 'open'
        ? this.state.board.filter((l) => l.id !== lot.id)
        : placeable
          ? upsert(
              this.state.board,
              shown?.distanceKm !== undefined ? { ...lot, distanceKm: shown.distanceKm } : lot,
            ).sort(boardOrder(sort))
          : this.state.board;
    const mine =
      lot.sellerOrgId === this.state.organisationId ? upsert(this.state.mine, lot).sort(byExpiry) : this.state.mine;
    this.setState({ feed, board, mine });
  }

  /** An order that changed: updated where shown; a new one placed in the list's order unless the list is searched. */
  #putOrder(order: Order): void {
    const { q, sort } = this.state.ordersSearch;
    const held = this.state.orders.find((o) => o.id === order.id);
    if (olderThanHeld(order, [held])) return;
    const shown = held !== undefined;
    if (!shown && q !== '') return;
    this.setState({ orders: upsert(this.state.orders, order).sort(ordersOrder(sort)) });
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
      this.#putOffer(r.data.offer);
      this.#putTrade(r.data);
    }
    return r;
  }

  #putTrade({ order, lot }: TradeResult): void {
    this.#putOrder(order);
    if (lot) this.#putLot(lot);
  }

  /** The farm's open lots a proposed order can be filled from: same product, enough left for the base, soonest expiry first. */
  lotsForProposal(order: Order): Lot[] {
    const base = order.standing?.baseGrams ?? order.quantityGrams;
    return this.state.mine.filter(
      (l) =>
        l.status === 'open' &&
        l.productCode === order.productCode &&
        l.remainingGrams >= base &&
        Date.parse(l.expiresAt) > this.state.now,
    );
  }

  async orderAction(orderId: string, action: OrderAction, body: OrderActionBody = {}): Promise<ApiResult<Order>> {
    const r = await this.api.orderAction(orderId, action, body);
    if (r.ok) this.#putOrder(r.data);
    return r;
  }

  async #offer(pending: Promise<ApiResult<Offer>>): Promise<ApiResult<Offer>> {
    const r = await pending;
    if (r.ok) this.#putOffer(r.data);
    return r;
  }

  /** An offer that changed (an event, or an action's answer), unless the store holds a fresher view of it. */
  #putOffer(offer: Offer): void {
    if (olderThanHeld(offer, [this.state.offers.find((o) => o.id === offer.id)])) return;
    this.setState({ offers: upsert(this.state.offers, offer).sort(byNewest) });
  }

  clear(): void {
    this.#watch = null;
    this.setState({
      role: null,
      organisationId: null,
      board: [],
      boardFilter: WHOLE_MARKET,
      boardSearch: { q: '', sort: 'expiry' },
      boardNext: null,
      ordersSearch: { q: '', sort: 'newest' },
      ordersNext: null,
      offersNext: null,
      mine: [],
      offers: [],
      orders: [],
      feed: [],
      error: null,
    });
  }
}
