/** The market API's shapes as the client sees them (docs/market.md); instants are ISO strings. */
import type { Urgency } from '../../../shared/domain/spoilage';

export type LotStatus = 'open' | 'sold_out' | 'withdrawn' | 'expired';
export type ClockPhase = 'scheduled' | 'falling' | 'at_floor' | 'ended';

export interface LotClock {
  startPriceFenPerKg: number;
  floorPriceFenPerKg: number;
  startsAt: string;
  floorAt: string;
  endsAt: string;
  stepMinutes?: number;
  minTakeGrams: number;
  phase: ClockPhase;
  priceFenPerKg: number | null;
  nextChangeAt?: string;
}

export interface Lot {
  id: string;
  sellerOrgId: string;
  productCode: string;
  productNameZh: string;
  productNameEn: string;
  quantityGrams: number;
  remainingGrams: number;
  soldGrams: number;
  spoiledGrams?: number;
  harvestedAt: string;
  storage: 'cold' | 'ambient';
  reservePriceFenPerKg: number;
  askPriceFenPerKg: number;
  grade?: string;
  expiresAt: string;
  hoursLeft: number;
  urgency: Urgency;
  status: LotStatus;
  pickup?: { name: string; address: string };
  clock?: LotClock;
  createdAt: string;
}

export type OfferStatus = 'open' | 'countered' | 'accepted' | 'rejected' | 'withdrawn' | 'expired';

export interface Offer {
  id: string;
  kind: 'bid' | 'sell_offer';
  lotId: string;
  buyerOrgId: string;
  sellerOrgId: string;
  makerSide: 'buyer' | 'seller';
  status: OfferStatus;
  turn: 'buyer' | 'seller';
  quantityGrams: number;
  priceFenPerKg: number;
  validUntil: string;
  acceptedGrams?: number;
  closedReason?: string;
  orderId?: string;
  createdAt: string;
  updatedAt: string;
}

export type OrderStatus = 'confirmed' | 'dispatched' | 'delivered' | 'completed' | 'cancelled' | 'disputed';

export interface Order {
  id: string;
  lotId: string;
  buyerOrgId: string;
  sellerOrgId: string;
  source?: string;
  productCode: string;
  quantityGrams: number;
  deliveredGrams?: number;
  priceFenPerKg: number;
  totalFen: number;
  status: OrderStatus;
  dispatchedAt?: string;
  deliveredAt?: string;
  completedAt?: string;
  cancelReason?: string;
  disputeNote?: string;
  createdAt: string;
  updatedAt: string;
}

export interface CatalogueItem {
  code: string;
  nameZh: string;
  nameEn: string;
  category: string;
  shelfLifeHours: { cold: number; ambient: number };
  quotedPer: 'jin' | 'kg';
}

export interface FarmCapacity {
  production: { productCode: string; dailyGrams: number; weekdays?: number[] }[];
  coldStorageGrams: number;
  dispatchGramsPerDay: number;
  pickup?: { name: string; address: string; lat?: number; lng?: number };
}

export interface OutlookDay {
  date: string;
  weekday: number;
  lines: { productCode: string; expectedGrams: number; committedGrams: number; surplusGrams: number }[];
  totalSurplusGrams: number;
  totalCommittedGrams: number;
  dispatchOverGrams: number;
  storableSurplusGrams: number;
}

export interface StandingOrder {
  id: string;
  buyerOrgId: string;
  sellerOrgId?: string;
  productCode: string;
  gramsPerOccurrence: number;
  weekdays: number[];
  priceFenPerKg: number;
  startDate: string;
  endDate?: string;
  deliverBy: string;
  tolerance?: { extraPercent: number; discountPercent: number };
  status: 'proposed' | 'active' | 'declined' | 'cancelled';
  declineReason?: string;
  cancelledBy?: 'buyer' | 'seller';
  cancelReason?: string;
  /** In lists: the parties' names. */
  buyerName?: string;
  sellerName?: string;
}

export interface Demand {
  id: string;
  buyerOrgId: string;
  productCode: string;
  quantityGrams: number;
  maxPriceFenPerKg: number;
  neededBy: string;
  status: string;
}
