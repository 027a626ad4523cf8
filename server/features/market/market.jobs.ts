/**
 * The market's scheduled work, derived entirely from the data so it survives restarts and
 * runs safely on several app nodes at once (every write is a conditional update):
 *  - lots past `expiresAt` become `expired`, their unsold stock recorded as `spoiledGrams`;
 *  - live offers past their validUntil (or their lot's expiry) become `expired`;
 *  - interrupted reservations are repaired (orders/reservation.ts, recoverPendingOrders);
 *  - accepted offers whose order was never confirmed are rolled forward;
 *  - delivered orders nobody disputed within 24 h complete;
 *  - confirmed orders from sell offers on demand are counted towards it and cancelled ones given back
 *    (missed fills and un-fills, idempotent per order);
 *  - open demand past its `neededBy` becomes `expired`;
 *  - an open lot with 0 g left and no pending order becomes `sold_out` (a crash between taking its
 *    last grams and marking it can leave it open; see repairSoldOut).
 *  - active standing orders' occurrences due within the lead time become proposed orders (standing-fill.ts).
 * It runs once at start-up and then every `intervalMs`.
 */
import type { Logger } from '../../logger';
import type { DemandService } from './demand/demand.service';
import type { LotsRepository } from './lots/lots.repository';
import { lotView } from './lots/lots.views';
import type { OffersService } from './offers/offers.service';
import type { OrdersService } from './orders/orders.service';
import type { OrdersRepository } from './orders/orders.repository';
import { recoverPendingOrders } from './orders/reservation';
import { repairSoldOut } from './sold-out-repair';
import type { StandingFill } from './orders/standing-fill';
import type { Now, Publish } from './kernel/market.types';

export interface MarketJobsDeps {
  lots: LotsRepository;
  orders: OrdersRepository;
  offersService: OffersService;
  ordersService: OrdersService;
  /** Absent: demand fills are not repaired (tests that build the jobs alone). */
  demandService?: Pick<DemandService, 'repairFills' | 'expireLapsed'>;
  now: Now;
  publish: Publish;
  logger?: Pick<Logger, 'info' | 'error'>;
  /** A pending order or unsettled offer untouched this long is considered interrupted. */
  staleAfterMs?: number;
  /** Standing orders' occurrences due within the lead time become proposed orders; absent: none are made. */
  standingFill?: Pick<StandingFill, 'generate'>;
  /** Lot photo retention (photos/photos.service.ts sweepExpired); absent: photos are not swept. */
  sweepPhotos?: () => Promise<number>;
}

export interface SweepReport {
  expiredLots: number;
  spoiledGrams: number;
  expiredOffers: number;
  confirmedOrders: number;
  failedOrders: number;
  settledOffers: number;
  completedOrders: number;
  repairedFills: number;
  expiredDemand: number;
  soldOutLots: number;
  proposedOrders: number;
  photoLotsCleared: number;
}

export function createMarketJobs(deps: MarketJobsDeps) {
  const staleAfterMs = deps.staleAfterMs ?? 30_000;
  let timer: NodeJS.Timeout | undefined;
  let running: Promise<SweepReport> | undefined;

  async function sweep(): Promise<SweepReport> {
    const now = deps.now();
    const expired = await deps.lots.expireDue(now, 200);
    for (const lot of expired) {
      deps.publish({
        type: 'lot:expired',
        lotId: lot.id,
        sellerOrgId: lot.sellerOrgId,
        productCode: lot.productCode,
        ...(lot.region ? { region: lot.region } : {}),
        data: { lot: lotView(lot, now) },
      });
    }
    const expiredOffers = await deps.offersService.expireLapsed();
    const recovered = await recoverPendingOrders({ lots: deps.lots, orders: deps.orders, now: deps.now }, staleAfterMs);
    const settledOffers = await deps.offersService.settleStale(staleAfterMs);
    const completedOrders = await deps.ordersService.completeUndisputed();
    // After settling: a fill the hook will still make is not "missed" (and counting twice is harmless anyway).
    const repairedFills = (await deps.demandService?.repairFills()) ?? 0;
    // After repairing: demand whose orders reached the quantity is filled, not expired.
    const expiredDemand = (await deps.demandService?.expireLapsed()) ?? 0;
    // After recovering pending orders: an order that failed has given its grams back.
    const soldOutLots = await repairSoldOut(deps);
    // Idempotent per occurrence (deterministic order id), so every node may run it.
    const proposedOrders = (await deps.standingFill?.generate()) ?? 0;
    const photoLotsCleared = (await deps.sweepPhotos?.()) ?? 0;
    const report = {
      expiredLots: expired.length,
      spoiledGrams: expired.reduce((sum, lot) => sum + (lot.spoiledGrams ?? 0), 0),
      expiredOffers,
      confirmedOrders: recovered.confirmed.length,
      failedOrders: recovered.failed.length,
      settledOffers,
      completedOrders,
      repairedFills,
      expiredDemand,
      soldOutLots,
      proposedOrders,
      photoLotsCleared,
    };
    if (Object.values(report).some((n) => n > 0)) deps.logger?.info({ sweep: report }, 'market sweep');
    return report;
  }

  /** One sweep at a time per process; callers share the one in flight. */
  function runOnce(): Promise<SweepReport> {
    running ??= sweep().finally(() => {
      running = undefined;
    });
    return running;
  }

  return {
    runOnce,
    start(intervalMs = 5_000): void {
      const tick = () => {
        runOnce().catch((err: unknown) => deps.logger?.error({ err }, 'market sweep failed'));
      };
      tick();
      timer = setInterval(tick, intervalMs);
      timer.unref();
    },
    async stop(): Promise<void> {
      if (timer) clearInterval(timer);
      timer = undefined;
      await running?.catch(() => undefined);
    },
  };
}
