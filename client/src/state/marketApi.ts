/** Typed fetch for the market API (docs/market.md), on the same `request` helper as the accounts API. */
import type { CapacityBody, ClockSetupBody, CreateBidBody, CreateLotBody } from '../../../shared/schemas/market';
import { request, type FetchLike } from '../api';
import type { ApiResult } from './apiResult';
import type { CatalogueItem, Demand, FarmCapacity, Lot, Offer, Order, OutlookDay, StandingOrder } from './marketTypes';

/** Instants travel as ISO strings; the shared schemas' inferred types hold Dates after parsing. */
type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K] };

export type LotBody = Wire<CreateLotBody>;
export type BidBody = Wire<CreateBidBody>;
export type ClockBody = Wire<ClockSetupBody>;
export interface CounterBody {
  quantityGrams?: number;
  priceFenPerKg?: number;
  validUntil?: string;
}
export type OrderAction = 'dispatch' | 'deliver' | 'complete' | 'cancel' | 'dispute';
export type OrderActionBody = Record<string, never> | { deliveredGrams: number } | { reason: string } | { note: string };

export interface MarketApi {
  catalogue(): Promise<ApiResult<{ items: CatalogueItem[] }>>;
  lots(query?: { status?: 'open'; sellerOrgId?: string; productCode?: string; limit?: number }): Promise<ApiResult<{ items: Lot[] }>>;
  lot(id: string): Promise<ApiResult<Lot>>;
  postLot(body: LotBody): Promise<ApiResult<Lot>>;
  withdrawLot(id: string): Promise<ApiResult<Lot>>;
  startClock(id: string, body: ClockBody): Promise<ApiResult<Lot>>;
  take(id: string, body: { quantityGrams: number; maxPriceFenPerKg?: number }): Promise<ApiResult<{ order: Order }>>;
  bid(lotId: string, body: BidBody): Promise<ApiResult<Offer>>;
  offers(query?: { lotId?: string }): Promise<ApiResult<{ items: Offer[] }>>;
  accept(offerId: string, quantityGrams?: number): Promise<ApiResult<{ order: Order; offer: Offer }>>;
  counter(offerId: string, body: CounterBody): Promise<ApiResult<Offer>>;
  reject(offerId: string, reason: string): Promise<ApiResult<Offer>>;
  withdrawOffer(offerId: string): Promise<ApiResult<Offer>>;
  orders(): Promise<ApiResult<{ items: Order[] }>>;
  orderAction(orderId: string, action: OrderAction, body: OrderActionBody): Promise<ApiResult<Order>>;
  capacity(): Promise<ApiResult<FarmCapacity>>;
  outlook(days: number): Promise<ApiResult<{ days: OutlookDay[] }>>;
  standingOrders(): Promise<ApiResult<{ items: StandingOrder[] }>>;
  putCapacity(body: CapacityBody): Promise<ApiResult<FarmCapacity>>;
  acceptStandingOrder(id: string): Promise<ApiResult<StandingOrder>>;
  declineStandingOrder(id: string, reason: string): Promise<ApiResult<StandingOrder>>;
  /** The restaurant (reason optional) or the farm ending an agreed one (reason required). */
  cancelStandingOrder(id: string, reason?: string): Promise<ApiResult<StandingOrder>>;
  myDemand(): Promise<ApiResult<{ items: Demand[] }>>;
}

const enc = encodeURIComponent;
const qs = (query: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
};

export function createMarketApi(fetchImpl: FetchLike = (input, init) => fetch(input, init)): MarketApi {
  const call = <T>(method: 'GET' | 'POST' | 'PUT', path: string, body?: unknown) => request<T>(fetchImpl, method, path, body);
  return {
    catalogue: () => call('GET', '/api/catalogue'),
    lots: (query = {}) => call('GET', `/api/lots${qs(query)}`),
    lot: (id) => call('GET', `/api/lots/${enc(id)}`),
    postLot: (body) => call('POST', '/api/lots', body),
    withdrawLot: (id) => call('POST', `/api/lots/${enc(id)}/withdraw`, {}),
    startClock: (id, body) => call('POST', `/api/lots/${enc(id)}/clock`, body),
    take: (id, body) => call('POST', `/api/lots/${enc(id)}/clock/take`, body),
    bid: (lotId, body) => call('POST', `/api/lots/${enc(lotId)}/bids`, body),
    offers: (query = {}) => call('GET', `/api/offers${qs(query)}`),
    accept: (offerId, quantityGrams) => call('POST', `/api/bids/${enc(offerId)}/accept`, quantityGrams === undefined ? {} : { quantityGrams }),
    counter: (offerId, body) => call('POST', `/api/bids/${enc(offerId)}/counter`, body),
    reject: (offerId, reason) => call('POST', `/api/bids/${enc(offerId)}/reject`, { reason }),
    withdrawOffer: (offerId) => call('POST', `/api/bids/${enc(offerId)}/withdraw`, {}),
    orders: () => call('GET', '/api/orders'),
    orderAction: (orderId, action, body) => call('POST', `/api/orders/${enc(orderId)}/${action}`, body),
    capacity: () => call('GET', '/api/capacity'),
    outlook: (days) => call('GET', `/api/capacity/outlook${qs({ days })}`),
    standingOrders: () => call('GET', '/api/standing-orders'),
    putCapacity: (body) => call('PUT', '/api/capacity', body),
    acceptStandingOrder: (id) => call('POST', `/api/standing-orders/${enc(id)}/accept`, {}),
    declineStandingOrder: (id, reason) => call('POST', `/api/standing-orders/${enc(id)}/decline`, { reason }),
    cancelStandingOrder: (id, reason) => call('POST', `/api/standing-orders/${enc(id)}/cancel`, reason === undefined ? {} : { reason }),
    myDemand: () => call('GET', '/api/demand?mine=true'),
  };
}
