/**
 * Lot photos: the farm (or chamber staff acting for it) adds up to LOT_PHOTO_LIMITS.perLot photos to an
 * open lot, each with a small thumbnail the browser made; anyone signed in sees them; the farm deletes them.
 * The bytes live in GridFS (photos.repository.ts), the list on the lot (so the lot's view names them).
 *
 * Retention: a photo's files go PHOTO_RETENTION_DAYS after its lot's expiry (every lot expires, whether it
 * sold out, was withdrawn or spoiled), by the market sweep (`sweepExpired`), so storage never grows without
 * bound; orders keep their own copy of what was sold, not the photo.
 */
import { LOT_PHOTO_LIMITS, LOT_PHOTO_TYPES } from '../../../../shared/schemas/market';
import { forbidden, notFound, type Now, type Publish, type Trader } from '../kernel/market.types';
import type { LotRecord, LotsRepository } from '../lots/lots.repository';
import { lotView, type LotView } from '../lots/lots.views';
import type { PhotoVariant, PhotosRepository, StoredPhotoFile } from './photos.repository';
import type { Failed } from '../../../outcome';
import { marketFail } from '../kernel/market.failures';

const PHOTO_RETENTION_DAYS = 30;
const DAY_MS = 24 * 60 * 60 * 1000;

type PhotoType = (typeof LOT_PHOTO_TYPES)[number];

/** The image type the bytes really are (JPEG, PNG, WebP signatures), whatever the request claimed. */
function sniffImageType(bytes: Uint8Array): PhotoType | null {
  const at = (i: number, ...sig: number[]) => sig.every((b, k) => bytes[i + k] === b);
  if (at(0, 0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (at(0, 0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a)) return 'image/png';
  if (at(0, 0x52, 0x49, 0x46, 0x46) && at(8, 0x57, 0x45, 0x42, 0x50)) return 'image/webp';
  return null;
}

export interface PhotosServiceDeps {
  lots: LotsRepository;
  photos: PhotosRepository;
  now: Now;
  newId: () => string;
  publish: Publish;
}

export type PhotoUpload = { contentType: string | undefined; bytes: Buffer };

export function createPhotosService(deps: PhotosServiceDeps) {
  const { lots, photos, publish } = deps;

  async function ownLot(trader: Trader, lotId: string): Promise<{ ok: true; lot: LotRecord } | Failed> {
    const lot = await lots.findById(lotId);
    if (!lot) return notFound('Lot');
    if (lot.sellerOrgId !== trader.organisationId) return forbidden('Only the farm that posted this lot may do that');
    return { ok: true, lot };
  }

  function checkImage(upload: PhotoUpload, maxBytes: number): { ok: true; type: PhotoType } | Failed {
    if (upload.bytes.length > maxBytes) return tooLarge(maxBytes);
    const type = sniffImageType(upload.bytes);
    const declared = upload.contentType?.split(';')[0]?.trim().toLowerCase();
    if (!type || declared !== type) {
      return marketFail('PHOTO_TYPE', 'photo must be a JPEG, PNG or WebP image, sent with its own Content-Type', {
        field: 'photo',
      });
    }
    return { ok: true, type };
  }

  function changed(lot: LotRecord): LotView {
    const view = lotView(lot, deps.now());
    publish({
      type: 'lot:edited',
      lotId: lot.id,
      sellerOrgId: lot.sellerOrgId,
      productCode: lot.productCode,
      ...(lot.region ? { region: lot.region } : {}),
      data: { lot: view },
    });
    return view;
  }

  return {
    /** Stores the photo, then names it on the lot (at most perLot; a full lot gets 409 and nothing stays). */
    async add(
      trader: Trader,
      lotId: string,
      upload: PhotoUpload,
    ): Promise<{ ok: true; lot: LotView; photoId: string } | Failed> {
      const own = await ownLot(trader, lotId);
      if (!own.ok) return own;
      if (own.lot.status !== 'open') return marketFail('LOT_NOT_OPEN', 'The lot is no longer open');
      if ((own.lot.photos?.length ?? 0) >= LOT_PHOTO_LIMITS.perLot) return tooMany();
      const image = checkImage(upload, LOT_PHOTO_LIMITS.photoBytes);
      if (!image.ok) return image;
      const photoId = deps.newId();
      const now = deps.now();
      await photos.save({
        photoId,
        variant: 'full',
        lotId,
        lotExpiresAt: own.lot.expiresAt,
        contentType: image.type,
        bytes: upload.bytes,
      });
      const photo = { id: photoId, contentType: image.type, bytes: upload.bytes.length, thumb: false, at: now };
      const lot = await lots.addPhoto(lotId, photo, LOT_PHOTO_LIMITS.perLot);
      if (!lot) {
        await photos.remove(photoId);
        return tooMany();
      }
      return { ok: true, lot: changed(lot), photoId };
    },

    /** The photo's small version (the board's cards); until it exists the full photo stands in. */
    async setThumb(
      trader: Trader,
      lotId: string,
      photoId: string,
      upload: PhotoUpload,
    ): Promise<{ ok: true; lot: LotView } | Failed> {
      const own = await ownLot(trader, lotId);
      if (!own.ok) return own;
      if (!own.lot.photos?.some((p) => p.id === photoId)) return notFound('Photo');
      const image = checkImage(upload, LOT_PHOTO_LIMITS.thumbBytes);
      if (!image.ok) return image;
      await photos.save({
        photoId,
        variant: 'thumb',
        lotId,
        lotExpiresAt: own.lot.expiresAt,
        contentType: image.type,
        bytes: upload.bytes,
      });
      const lot = await lots.markPhotoThumb(lotId, photoId);
      if (!lot) {
        await photos.remove(photoId);
        return notFound('Photo');
      }
      return { ok: true, lot: changed(lot) };
    },

    async remove(trader: Trader, lotId: string, photoId: string): Promise<{ ok: true; lot: LotView } | Failed> {
      const own = await ownLot(trader, lotId);
      if (!own.ok) return own;
      // The lot stops naming it first: a crash before the files go leaves an orphan the retention sweep removes.
      const lot = await lots.removePhoto(lotId, photoId);
      if (!lot) return notFound('Photo');
      await photos.remove(photoId);
      return { ok: true, lot: changed(lot) };
    },

    /** A photo's bytes, for anyone signed in, only while its lot names it. */
    async read(
      lotId: string,
      photoId: string,
      variant: PhotoVariant,
    ): Promise<({ ok: true } & StoredPhotoFile) | Failed> {
      const lot = await lots.findById(lotId);
      const photo = lot?.photos?.find((p) => p.id === photoId);
      // Until its thumbnail is stored a photo has no thumb URL (the view points at the full photo instead).
      if (!photo || (variant === 'thumb' && !photo.thumb)) return notFound('Photo');
      const file = await photos.read(photoId, variant);
      return file ? { ok: true, ...file } : notFound('Photo');
    },

    /** Retention: removes the files of lots that expired over PHOTO_RETENTION_DAYS ago; returns how many lots. */
    async sweepExpired(batch = 200): Promise<number> {
      const before = new Date(deps.now().getTime() - PHOTO_RETENTION_DAYS * DAY_MS);
      const lotIds = await photos.removeExpired(before, batch);
      await lots.forgetPhotos(lotIds);
      return lotIds.length;
    },
  };
}

const tooLarge = (maxBytes: number): Failed =>
  marketFail('PHOTO_TOO_LARGE', `photo may be at most ${maxBytes} bytes; the app shrinks photos before sending`, {
    field: 'photo',
  });
const tooMany = (): Failed =>
  marketFail('TOO_MANY_PHOTOS', `A lot shows at most ${LOT_PHOTO_LIMITS.perLot} photos; delete one first`, {
    field: 'photo',
  });

export type PhotosService = ReturnType<typeof createPhotosService>;
