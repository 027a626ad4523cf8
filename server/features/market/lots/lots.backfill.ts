/**
 * Start-up migration: lots posted before the board's search and distance sort (issue 11) have no
 * `productNames` (what `$text` finds besides farm and place) and no `pickupPoint` (what `$geoNear` measures).
 * This fills them as a new lot would get them: the catalogue's names, and the lot's own pickup coordinates
 * else its farm's location. Idempotent (each write is conditional on the field still missing, so a second run
 * or a second node changes nothing), batched (walks the lots by id, `batchSize` at a time) and bounded
 * (`maxBatches` per start-up; the rest waits for the next start, and the log says so). A lot whose product
 * is unknown or whose farm has no location keeps the field missing, as a new lot would.
 */
import { findProduct } from '../../../../shared/domain/catalogue';
import type { Logger } from '../../../logger';
import type { OrganisationLocation } from '../kernel/market.types';
import type { LotRecord, LotsRepository } from './lots.repository';

export interface BackfillReport {
  scanned: number;
  productNames: number;
  pickupPoints: number;
  /** False when it stopped at `maxBatches` with lots possibly left to look at. */
  finished: boolean;
}

export interface BackfillDeps {
  lots: Pick<LotsRepository, 'withoutSearchFields' | 'fillSearchFields'>;
  organisationLocation: OrganisationLocation;
  logger?: Pick<Logger, 'info'>;
  batchSize?: number;
  maxBatches?: number;
}

function pickupCoordinates(lot: LotRecord): { lat: number; lng: number } | undefined {
  const { pickup } = lot;
  return typeof pickup?.lat === 'number' && typeof pickup.lng === 'number'
    ? { lat: pickup.lat, lng: pickup.lng }
    : undefined;
}

export async function backfillLotSearchFields(deps: BackfillDeps): Promise<BackfillReport> {
  const batchSize = deps.batchSize ?? 200;
  const maxBatches = deps.maxBatches ?? 50;
  const report: BackfillReport = { scanned: 0, productNames: 0, pickupPoints: 0, finished: false };
  const farmLocations = new Map<string, Promise<{ lat: number; lng: number } | undefined>>();
  const farmLocation = (orgId: string) => {
    let found = farmLocations.get(orgId);
    if (!found) farmLocations.set(orgId, (found = deps.organisationLocation(orgId)));
    return found;
  };
  let afterId: string | undefined;
  for (let batch = 0; batch < maxBatches; batch++) {
    const lots = await deps.lots.withoutSearchFields(afterId, batchSize);
    for (const lot of lots) {
      const product = lot.productNames ? undefined : findProduct(lot.productCode);
      const point = lot.pickupPoint ? undefined : (pickupCoordinates(lot) ?? (await farmLocation(lot.sellerOrgId)));
      const filled = await deps.lots.fillSearchFields(lot.id, {
        ...(product ? { productNames: [product.nameZh, product.nameEn] } : {}),
        ...(point ? { pickupPoint: { type: 'Point', coordinates: [point.lng, point.lat] } } : {}),
      });
      report.productNames += filled.productNames ? 1 : 0;
      report.pickupPoints += filled.pickupPoint ? 1 : 0;
    }
    report.scanned += lots.length;
    const last = lots[lots.length - 1];
    if (!last || lots.length < batchSize) {
      report.finished = true;
      break;
    }
    afterId = last.id;
  }
  if (report.productNames + report.pickupPoints > 0 || !report.finished)
    deps.logger?.info({ backfill: report }, 'lots: search names and pickup points filled');
  return report;
}
