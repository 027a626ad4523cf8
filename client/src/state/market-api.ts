/** Typed fetch for the market API (docs/market.md), on the same `request` helper as the accounts API. */
import type {
  CapacityBody,
  ClockSetupBody,
  CreateBidBody,
  CreateDemandBody,
  CreateLotBody,
  CreateSellOfferBody,
  CreateStandingOrderBody,
  LotSort,
  OrderSort,
  EditLotBody,
} from '../../../shared/schemas/market';
import type { MarketActionEvent, MarketActionPayload } from '../../../shared/schemas/market-socket';
import { request, type FetchLike } from '../api';
import type { ActionChannel } from '../socket';
import { normaliseFieldIssues, normaliseFields, type ApiFailure, type ApiResult } from './api-result';
import type { PageQuery, Paged } from './pages';
import type {
  CatalogueItem,
  Demand,
  FarmCapacity,
  FarmListing,
  Lot,
  Offer,
  Order,
  OutlookDay,
  StandingOrder,
} from './market-types';

export type { FarmListing } from './market-types';

/** Instants travel as ISO strings; the shared schemas' inferred types hold Dates after parsing. */
type Wire<T> = {
  [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K];
};

export type LotBody = Wire<CreateLotBody>;
export type BidBody = Wire<CreateBidBody>;
export type ClockBody = Wire<ClockSetupBody>;
export type DemandBody = Wire<CreateDemandBody>;
export type SellOfferBody = Wire<CreateSellOfferBody>;
export type StandingOrderBody = Wire<CreateStandingOrderBody>;
export interface CounterBody {
  quantityGrams?: number;
  priceFenPerKg?: number;
  validUntil?: string;
}
export type OrderAction =
  'dispatch' | 'deliver' | 'complete' | 'cancel' | 'dispute' | 'confirm-proposal' | 'decline' | 'delivery';
export type OrderActionBody =
  | Record<string, never>
  | { deliveredGrams: number }
  | { reason: string }
  | { note: string }
  | { lotId: string; quantityGrams: number }
  | { mode: 'delivery' | 'pickup'; address: string; slot?: { from: string; to: string } };

/** The answer to a trade (clock take, accept): the order, and the lot after it took its stock (absent if it has gone). */
export interface TradeResult {
  order: Order;
  lot?: Lot;
}

export interface MarketApi {
  catalogue(): Promise<ApiResult<{ items: CatalogueItem[] }>>;
  lots(query?: {
    status?: 'open';
    sellerOrgId?: string;
    productCode?: string;
    limit?: number;
    q?: string;
    sort?: LotSort;
    cursor?: string;
  }): Promise<ApiResult<Paged<Lot>>>;
  lot(id: string): Promise<ApiResult<Lot>>;
  postLot(body: LotBody): Promise<ApiResult<Lot>>;
  withdrawLot(id: string): Promise<ApiResult<Lot>>;
  startClock(id: string, body: ClockBody): Promise<ApiResult<Lot>>;
  /** The farm edits an open lot (prices, minimum take, total down only). */
  editLot(id: string, body: EditLotBody): Promise<ApiResult<Lot>>;
  stopClock(id: string): Promise<ApiResult<Lot>>;
  /** Uploads a photo (already shrunk in the browser), then its thumbnail. */
  addPhoto(lotId: string, photo: Blob): Promise<ApiResult<{ photoId: string; lot: Lot }>>;
  setPhotoThumb(lotId: string, photoId: string, thumb: Blob): Promise<ApiResult<Lot>>;
  deletePhoto(lotId: string, photoId: string): Promise<ApiResult<Lot>>;
  /** The order and the lot after it took its stock. */
  take(id: string, body: { quantityGrams: number; maxPriceFenPerKg?: number }): Promise<ApiResult<TradeResult>>;
  bid(lotId: string, body: BidBody): Promise<ApiResult<Offer>>;
  offers(query?: {
    lotId?: string;
    limit?: number;
    cursor?: string;
  }): Promise<ApiResult<{ items: Offer[]; nextCursor: string | null }>>;
  accept(offerId: string, quantityGrams?: number): Promise<ApiResult<TradeResult & { offer: Offer }>>;
  counter(offerId: string, body: CounterBody): Promise<ApiResult<Offer>>;
  reject(offerId: string, reason: string): Promise<ApiResult<Offer>>;
  withdrawOffer(offerId: string): Promise<ApiResult<Offer>>;
  orders(query?: { q?: string; sort?: OrderSort; cursor?: string; limit?: number }): Promise<ApiResult<Paged<Order>>>;
  orderAction(orderId: string, action: OrderAction, body: OrderActionBody): Promise<ApiResult<Order>>;
  /** One order with both parties' phones (the parties and the chamber only). */
  order(orderId: string): Promise<ApiResult<Order>>;
  capacity(): Promise<ApiResult<FarmCapacity>>;
  outlook(days: number): Promise<ApiResult<{ days: OutlookDay[] }>>;
  /** Newest placed first, a page at a time. */
  standingOrders(query?: PageQuery): Promise<ApiResult<Paged<StandingOrder>>>;
  putCapacity(body: CapacityBody): Promise<ApiResult<FarmCapacity>>;
  acceptStandingOrder(id: string): Promise<ApiResult<StandingOrder>>;
  declineStandingOrder(id: string, reason: string): Promise<ApiResult<StandingOrder>>;
  /** The restaurant (reason optional) or the farm ending an agreed one (reason required). */
  cancelStandingOrder(id: string, reason?: string): Promise<ApiResult<StandingOrder>>;
  /** The restaurant's own demand, newest posted first, a page at a time. */
  myDemand(query?: PageQuery): Promise<ApiResult<Paged<Demand>>>;
  /** Open demand still ahead, soonest first (what farms browse), a page at a time. */
  openDemand(query?: PageQuery): Promise<ApiResult<Paged<Demand>>>;
  postDemand(body: DemandBody): Promise<ApiResult<Demand>>;
  withdrawDemand(id: string): Promise<ApiResult<Demand>>;
  offerToDemand(demandId: string, body: SellOfferBody): Promise<ApiResult<Offer>>;
  proposeStandingOrder(body: StandingOrderBody): Promise<ApiResult<StandingOrder>>;
  /** Verified farms in the order they joined, a page at a time. */
  farms(query?: PageQuery): Promise<ApiResult<Paged<FarmListing>>>;
}

const enc = encodeURIComponent;
const qs = (query: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
};

/** How long a socket action waits for its ack before it is sent again over REST. */
export const ACTION_ACK_TIMEOUT_MS = 8000;

export interface MarketApiOptions {
  /** The live socket, if any: bids, counters, accepts, rejects, withdrawals and clock takes go over it while it is connected. */
  actions?: () => ActionChannel | null;
  ackTimeoutMs?: number;
  /** A fresh Idempotency-Key (tests pass their own). */
  newKey?: () => string;
  /** Offline handling (docs/offline.md, main.tsx): whether the app knows it is offline right now. */
  isOffline?: () => boolean;
  /** A keyed bid, accept or take got no answer: its outcome is asked for on reconnect (state/pending.ts). */
  onUnknown?: (key: string, action: 'bid' | 'accept' | 'take') => void;
  /** Queues a lot, sell offer or receipt made offline, with its key (state/outbox.ts); false when the outbox is full. */
  queue?: (item: { kind: 'lot' | 'sellOffer' | 'receipt'; path: string; body: unknown; key: string }) => boolean;
}

/** Codes the client makes itself for offline actions (views/market/bits.tsx words them). */
const OFFLINE_CODES = {
  /** Sent, no answer: shown as pending until the server says what happened. */
  unknown: 'OUTCOME_UNKNOWN',
  /** Saved on the phone, sent on reconnect. */
  queued: 'QUEUED_OFFLINE',
  outboxFull: 'OUTBOX_FULL',
  /** A bid, accept or take while offline: not sent; prices may move, so the person confirms again online. */
  confirmOnline: 'OFFLINE_CONFIRM_AGAIN',
} as const;

/** 128 random bits; `crypto.getRandomValues` exists in every browser context, secure or not, and in Node. */
export function newIdempotencyKey(): string {
  const bytes = crypto.getRandomValues(new Uint8Array(16));
  return `fl-${Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('')}`;
}

export function createMarketApi(
  fetchImpl: FetchLike = (input, init) => fetch(input, init),
  options: MarketApiOptions = {},
): MarketApi {
  const call = <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) =>
    request<T>(fetchImpl, method, path, body);
  const { ackTimeoutMs = ACTION_ACK_TIMEOUT_MS, newKey = newIdempotencyKey } = options;
  /** Sends an image's bytes as the body, with the image's own Content-Type (the server checks both). */
  const sendImage = <T>(method: 'POST' | 'PUT', path: string, image: Blob) =>
    request<T>(
      (input, init) =>
        fetchImpl(input, {
          ...init,
          headers: { ...(init.headers as Record<string, string>), 'content-type': image.type },
          body: image,
        }),
      method,
      path,
      {},
    );
  /** A POST carrying `Idempotency-Key`: a REST retry of a socket action the server may already have done. */
  const keyedPost = <T>(path: string, body: unknown, key: string) =>
    request<T>(
      (input, init) =>
        fetchImpl(input, { ...init, headers: { ...(init.headers as Record<string, string>), 'idempotency-key': key } }),
      'POST',
      path,
      body,
    );

  /**
   * Over the socket when it is connected, else over REST. When the ack does not come (timeout, or the socket
   * dropped meanwhile) the action is repeated over REST, which cannot do it twice: bids, accepts
   * and takes carry the same Idempotency-Key (the server answers a repeat with what the key already did),
   * and a counter, reject or withdraw that already happened is refused by the offer's state.
   */
  async function act<E extends MarketActionEvent, T>(
    event: E,
    payload: MarketActionPayload<E>,
    rest: () => Promise<ApiResult<T>>,
  ): Promise<ApiResult<T>> {
    const channel = options.actions?.();
    if (!channel?.connected) return rest();
    let ack;
    try {
      ack = await channel.send(event, payload, ackTimeoutMs);
    } catch {
      return rest();
    }
    if (ack.ok) return { ok: true, data: ack.data as T };
    const { fields, fieldIssues: rawIssues, ...details } = ack.error.details ?? {};
    const fieldIssues = normaliseFieldIssues(rawIssues);
    // Answered over the socket: there is no HTTP status (0), the code says what happened.
    return {
      ok: false,
      error: {
        status: 0,
        code: ack.error.code,
        message: ack.error.message,
        fields: normaliseFields(fields),
        ...(fieldIssues ? { fieldIssues } : {}),
        ...(typeof details.retryAfterSeconds === 'number' ? { retryAfterSeconds: details.retryAfterSeconds } : {}),
      },
    };
  }

  const offlineFailure = (code: string): { ok: false; error: ApiFailure } => ({
    ok: false,
    error: { status: 0, code, message: '', fields: {} },
  });
  /** A bid, accept or take: not sent while offline; a lost answer is pending, never "failed". */
  async function keyedTrade<T>(
    action: 'bid' | 'accept' | 'take',
    key: string,
    send: () => Promise<ApiResult<T>>,
  ): Promise<ApiResult<T>> {
    if (options.isOffline?.()) return offlineFailure(OFFLINE_CODES.confirmOnline);
    const r = await send();
    if (r.ok || r.error.code !== 'NETWORK') return r;
    options.onUnknown?.(key, action);
    return offlineFailure(OFFLINE_CODES.unknown);
  }
  /** A lot, sell offer or receipt: sent with a key; offline (or no answer), kept in the outbox and sent on reconnect. */
  async function queueable<T>(
    kind: 'lot' | 'sellOffer' | 'receipt',
    path: string,
    body: unknown,
  ): Promise<ApiResult<T>> {
    const key = newKey();
    if (!options.isOffline?.()) {
      const r = await keyedPost<T>(path, body, key);
      if (r.ok || r.error.code !== 'NETWORK' || !options.queue) return r;
    }
    if (!options.queue) return offlineFailure('NETWORK');
    return offlineFailure(options.queue({ kind, path, body, key }) ? OFFLINE_CODES.queued : OFFLINE_CODES.outboxFull);
  }

  return {
    catalogue: () => call('GET', '/api/catalogue'),
    lots: (query = {}) => call('GET', `/api/lots${qs(query)}`),
    lot: (id) => call('GET', `/api/lots/${enc(id)}`),
    postLot: (body) => queueable('lot', '/api/lots', body),
    withdrawLot: (id) => call('POST', `/api/lots/${enc(id)}/withdraw`, {}),
    startClock: (id, body) => call('POST', `/api/lots/${enc(id)}/clock`, body),
    editLot: (id, body) => request(fetchImpl, 'PATCH', `/api/lots/${enc(id)}`, body),
    stopClock: (id) => call('POST', `/api/lots/${enc(id)}/clock/stop`, {}),
    addPhoto: (lotId, photo) => sendImage('POST', `/api/lots/${enc(lotId)}/photos`, photo),
    setPhotoThumb: (lotId, photoId, thumb) =>
      sendImage('PUT', `/api/lots/${enc(lotId)}/photos/${enc(photoId)}/thumb`, thumb),
    deletePhoto: (lotId, photoId) => request(fetchImpl, 'DELETE', `/api/lots/${enc(lotId)}/photos/${enc(photoId)}`),
    take: (id, body) => {
      const key = newKey();
      return keyedTrade('take', key, () =>
        act('market:clockTake', { lotId: id, idempotencyKey: key, ...body }, () =>
          keyedPost(`/api/lots/${enc(id)}/clock/take`, body, key),
        ),
      );
    },
    bid: (lotId, body) => {
      const key = newKey();
      return keyedTrade('bid', key, () =>
        act('market:bid', { lotId, idempotencyKey: key, ...body }, () =>
          keyedPost(`/api/lots/${enc(lotId)}/bids`, body, key),
        ),
      );
    },
    offers: (query = {}) => call('GET', `/api/offers${qs(query)}`),
    accept: (offerId, quantityGrams) => {
      const key = newKey();
      const body = quantityGrams === undefined ? {} : { quantityGrams };
      return keyedTrade('accept', key, () =>
        act('market:accept', { offerId, idempotencyKey: key, ...body }, () =>
          keyedPost(`/api/bids/${enc(offerId)}/accept`, body, key),
        ),
      );
    },
    counter: (offerId, body) =>
      act('market:counter', { offerId, ...body }, () => call('POST', `/api/bids/${enc(offerId)}/counter`, body)),
    reject: (offerId, reason) =>
      act('market:reject', { offerId, reason }, () => call('POST', `/api/bids/${enc(offerId)}/reject`, { reason })),
    withdrawOffer: (offerId) =>
      act('market:withdraw', { offerId }, () => call('POST', `/api/bids/${enc(offerId)}/withdraw`, {})),
    orders: (query = {}) => call('GET', `/api/orders${qs(query)}`),
    // 确认收货 (deliver) is safe to send later as it is: offline it waits in the outbox with its key (the server
    // does a replay once); the other steps need the network.
    orderAction: (orderId, action, body) =>
      action === 'deliver'
        ? queueable('receipt', `/api/orders/${enc(orderId)}/deliver`, body)
        : call('POST', `/api/orders/${enc(orderId)}/${action}`, body),
    order: (orderId) => call('GET', `/api/orders/${enc(orderId)}`),
    capacity: () => call('GET', '/api/capacity'),
    outlook: (days) => call('GET', `/api/capacity/outlook${qs({ days })}`),
    standingOrders: (query = {}) => call('GET', `/api/standing-orders${qs({ ...query })}`),
    putCapacity: (body) => call('PUT', '/api/capacity', body),
    acceptStandingOrder: (id) => call('POST', `/api/standing-orders/${enc(id)}/accept`, {}),
    declineStandingOrder: (id, reason) => call('POST', `/api/standing-orders/${enc(id)}/decline`, { reason }),
    cancelStandingOrder: (id, reason) =>
      call('POST', `/api/standing-orders/${enc(id)}/cancel`, reason === undefined ? {} : { reason }),
    myDemand: (query = {}) => call('GET', `/api/demand${qs({ mine: 'true', ...query })}`),
    openDemand: (query = {}) => call('GET', `/api/demand${qs({ ...query })}`),
    postDemand: (body) => call('POST', '/api/demand', body),
    withdrawDemand: (id) => call('POST', `/api/demand/${enc(id)}/withdraw`, {}),
    // A retried sell offer (a lost answer, a double tap) replays the key's offer instead of making a second one.
    // Offline, it waits in the outbox and is sent on reconnect with the same key.
    offerToDemand: (demandId, body) => queueable('sellOffer', `/api/demand/${enc(demandId)}/offers`, body),
    proposeStandingOrder: (body) => call('POST', '/api/standing-orders', body),
    farms: (query = {}) => call('GET', `/api/farms${qs({ ...query })}`),
  };
}
