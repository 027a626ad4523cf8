/** Typed fetch for the market API (docs/market.md), on the same `request` helper as the accounts API. */
import type { ClockSetupBody, CreateBidBody, CreateDemandBody, CreateLotBody, CreateSellOfferBody, CreateStandingOrderBody } from '../../../shared/schemas/market';
import { request, type FetchLike } from '../api';
import type { ApiResult } from './apiResult';
import type { CatalogueItem, Demand, FarmCapacity, Lot, Offer, Order, OutlookDay, StandingOrder } from './marketTypes';

/** Instants travel as ISO strings; the shared schemas' inferred types hold Dates after parsing. */
type Wire<T> = { [K in keyof T]: T[K] extends Date ? string : T[K] extends Date | undefined ? string | undefined : T[K] };

export type LotBody = Wire<CreateLotBody>;
export type BidBody = Wire<CreateBidBody>;
export type ClockBody = Wire<ClockSetupBody>;
export type DemandBody = Wire<CreateDemandBody>;
export type SellOfferBody = Wire<CreateSellOfferBody>;
export type StandingOrderBody = Wire<CreateStandingOrderBody>;
/** A verified farm a restaurant may name in a standing order (GET /api/farms). */
export interface FarmListing {
  id: string;
  name: string;
  region: string;
}
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
  myDemand(): Promise<ApiResult<{ items: Demand[] }>>;
  /** Open demand still ahead, soonest first (what farms browse). */
  openDemand(): Promise<ApiResult<{ items: Demand[] }>>;
  postDemand(body: DemandBody): Promise<ApiResult<Demand>>;
  withdrawDemand(id: string): Promise<ApiResult<Demand>>;
  offerToDemand(demandId: string, body: SellOfferBody): Promise<ApiResult<Offer>>;
  proposeStandingOrder(body: StandingOrderBody): Promise<ApiResult<StandingOrder>>;
  cancelStandingOrder(id: string): Promise<ApiResult<StandingOrder>>;
  farms(): Promise<ApiResult<{ items: FarmListing[] }>>;
}

const enc = encodeURIComponent;
const qs = (query: Record<string, string | number | undefined>) => {
  const params = new URLSearchParams();
  for (const [k, v] of Object.entries(query)) if (v !== undefined && v !== '') params.set(k, String(v));
  const s = params.toString();
  return s ? `?${s}` : '';
};

export function createMarketApi(fetchImpl: FetchLike = (input, init) => fetch(input, init)): MarketApi {
  const call = <T>(method: 'GET' | 'POST', path: string, body?: unknown) => request<T>(fetchImpl, method, path, body);
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
    myDemand: () => call('GET', '/api/demand?mine=true'),
    openDemand: () => call('GET', '/api/demand?limit=200'),
    postDemand: (body) => call('POST', '/api/demand', body),
    withdrawDemand: (id) => call('POST', `/api/demand/${enc(id)}/withdraw`, {}),
    offerToDemand: (demandId, body) => call('POST', `/api/demand/${enc(demandId)}/offers`, body),
    proposeStandingOrder: (body) => call('POST', '/api/standing-orders', body),
    cancelStandingOrder: (id) => call('POST', `/api/standing-orders/${enc(id)}/cancel`, {}),
    farms: () => call('GET', '/api/farms'),
  };
}
