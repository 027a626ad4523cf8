/** What clients see of a lot: no reservation internals, plus derived freshness and clock price. */
import { findProduct } from '../../../../shared/domain/catalogue';
import { currentPrice, type ClockPhase } from '../../../../shared/domain/clock';
import { atRiskThresholdHours, hoursLeft, urgency, type Urgency } from '../../../../shared/domain/spoilage';
import type { Lot, SerialisesTo } from '../../../../shared/schemas/market-views';
import { minTakeOf } from '../../../../shared/domain/lots';
import type { LotRecord } from './lots.repository';

interface LotPhotoView {
  id: string;
  url: string;
  thumbUrl: string;
  contentType: string;
  at: Date;
}

export interface LotView {
  id: string;
  sellerOrgId: string;
  sellerName?: string;
  region?: string;
  productCode: string;
  productNameZh: string;
  productNameEn: string;
  quantityGrams: number;
  remainingGrams: number;
  soldGrams: number;
  spoiledGrams?: number;
  harvestedAt: Date;
  storage: 'cold' | 'ambient';
  reservePriceFenPerKg: number;
  askPriceFenPerKg: number;
  grade?: string;
  expiresAt: Date;
  hoursLeft: number;
  urgency: Urgency;
  status: LotRecord['status'];
  pickup?: LotRecord['pickup'];
  delivery?: LotRecord['delivery'];
  clock?: NonNullable<LotRecord['clock']> & { phase: ClockPhase; priceFenPerKg: number | null; nextChangeAt?: Date };
  minTakeGrams: number;
  photos?: LotPhotoView[];
  createdAt: Date;
  /** Bumped by every write of the lot: of two views, the higher version is the fresher. */
  version: number;
  pickupPoint?: { lat: number; lng: number };
  /** Only in a listing sorted by distance. */
  distanceKm?: number;
}

/** Photo URLs name the photo id, so they never change meaning (served with immutable caching). */
function photoViews(lot: LotRecord): LotPhotoView[] | undefined {
  if (!lot.photos || lot.photos.length === 0) return undefined;
  return lot.photos.map((p) => {
    const url = `/api/lots/${encodeURIComponent(lot.id)}/photos/${encodeURIComponent(p.id)}`;
    return { id: p.id, url, thumbUrl: p.thumb ? `${url}/thumb` : url, contentType: p.contentType, at: p.at };
  });
}

export function lotView(lot: LotRecord, now: Date): LotView {
  const product = findProduct(lot.productCode);
  const threshold = product ? atRiskThresholdHours(product, lot.storage) : 48;
  const reserved = lot.reservations.reduce((sum, r) => sum + r.grams, 0);
  const photos = photoViews(lot);
  return {
    id: lot.id,
    sellerOrgId: lot.sellerOrgId,
    ...(lot.sellerName ? { sellerName: lot.sellerName } : {}),
    ...(lot.region ? { region: lot.region } : {}),
    productCode: lot.productCode,
    productNameZh: product?.nameZh ?? lot.productCode,
    productNameEn: product?.nameEn ?? lot.productCode,
    quantityGrams: lot.quantityGrams,
    remainingGrams: lot.remainingGrams,
    soldGrams: reserved,
    ...(lot.spoiledGrams !== undefined ? { spoiledGrams: lot.spoiledGrams } : {}),
    harvestedAt: lot.harvestedAt,
    storage: lot.storage,
    reservePriceFenPerKg: lot.reservePriceFenPerKg,
    askPriceFenPerKg: lot.askPriceFenPerKg,
    ...(lot.grade ? { grade: lot.grade } : {}),
    expiresAt: lot.expiresAt,
    hoursLeft: Math.round(hoursLeft(lot.expiresAt, now) * 10) / 10,
    urgency: lot.status === 'expired' ? 'expired' : urgency(lot.expiresAt, now, threshold),
    status: lot.status,
    ...(lot.pickup ? { pickup: lot.pickup } : {}),
    ...(lot.delivery ? { delivery: lot.delivery } : {}),
    ...(lot.clock ? { clock: { ...lot.clock, ...currentPrice({ ...lot.clock, lotId: lot.id }, now) } } : {}),
    minTakeGrams: minTakeOf(lot),
    ...(photos ? { photos } : {}),
    createdAt: lot.createdAt,
    version: lot.version,
    ...(lot.pickupPoint
      ? { pickupPoint: { lat: lot.pickupPoint.coordinates[1], lng: lot.pickupPoint.coordinates[0] } }
      : {}),
  };
}

/** Compile-time: a LotView, as JSON, is exactly the `Lot` the API documents (shared/schemas/market-views.ts). */
const _lotViewIsTheWireLot: SerialisesTo<LotView, Lot> = true;
