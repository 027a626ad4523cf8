/**
 * What the desk needs from the market, as a port: desk.market-adapter.ts implements it over the
 * market's repositories and services (lots, demand, offers, capacity); tests pass an in-memory
 * market; `emptyMarket` serves an app built without a market.
 */
import type { PageCursor } from '../../../../shared/domain/paging';
import type { FarmCapacity } from '../../../../shared/domain/capacity';
import type { BoardDemand, BoardLot, BoardOffer, FarmOutlook } from '../../../../shared/domain/desk/at-risk';
import type { DeskDemand, DeskLot } from '../../../../shared/domain/desk/proposals';
import type { DailyOutcome } from '../../../../shared/domain/desk/sell-through';
import type { CalendarDate } from '../../../../shared/domain/calendar';
import type { Failed } from '../../../outcome';

export type MarketLot = DeskLot & BoardLot;
export type MarketDemand = DeskDemand & BoardDemand;

interface BrokeredOfferRequest {
  lotId: string;
  demandId: string;
  quantityGrams: number;
  priceFenPerKg: number;
  validUntil?: Date;
  broker: { userId: string; name: string };
}

/** An offer a broker made (or answered) on a party's behalf, as the deal log shows it. */
interface BrokeredOffer {
  offerId: string;
  lotId: string;
  demandId: string | null;
  productCode: string | null;
  sellerOrgId: string;
  buyerOrgId: string;
  quantityGrams: number;
  priceFenPerKg: number;
  status: string;
  orderId: string | null;
  /** The order's status and total now (so the deal log shows them after a reload); null without an order. */
  orderStatus: string | null;
  orderTotalFen: number | null;
  /** The offer's and the order's versions (bumped by every write): the deal log keeps the fresher of a row and an event. */
  offerVersion: number;
  orderVersion: number | null;
  /** When the offer was made (ISO). */
  sentAt: string;
  brokerUserId: string | null;
}

export interface MarketPort {
  /** Lots with status 'open' (expired ones may be included; the rules filter them). */
  openLots(): Promise<MarketLot[]>;
  lot(id: string): Promise<MarketLot | null>;
  /** Demand still wanted (status 'open'). */
  openDemand(): Promise<MarketDemand[]>;
  /** Offers made on these demands, any state. */
  offersOnDemand(demandIds: readonly string[]): Promise<(BoardOffer & { demandId: string })[]>;
  /** Farms' capacity profiles (dispatch limits for matching). */
  capacities(): Promise<FarmCapacity[]>;
  /** Each farm's outlook (expected production − commitments) from `from` for `days` days. */
  outlooks(from: CalendarDate, days: number): Promise<FarmOutlook[]>;
  /** Per farm and Shanghai day: grams sold (orders confirmed) and spoiled (lots expired unsold). */
  dailyOutcomes(from: CalendarDate, to: CalendarDate, farmId?: string): Promise<DailyOutcome[]>;
  /**
   * Sends a reviewed proposal as a brokered offer through the market's offer machine
   * (the offer's history records the broker, viaBroker: true). Absent until the market has it.
   */
  /**
   * Offers with a broker step, by creation time (newest or oldest first), after the cursor, whose seller or
   * buyer name contains `partyName`; `limit` rows at most.
   */
  brokeredOffers(query: {
    limit: number;
    order: 'newest' | 'oldest';
    after?: PageCursor;
    partyName?: string;
  }): Promise<BrokeredOffer[]>;
  sendBrokeredOffer?(request: BrokeredOfferRequest, now: Date): Promise<{ ok: true; offerId: string } | Failed>;
}

export const emptyMarket: MarketPort = {
  openLots: async () => [],
  lot: async () => null,
  openDemand: async () => [],
  offersOnDemand: async () => [],
  capacities: async () => [],
  outlooks: async () => [],
  dailyOutcomes: async () => [],
  brokeredOffers: async () => [],
};
