import type { Request, Response } from 'express';
import { Router } from 'express';
import { LOT_PHOTO_LIMITS } from '../../../../shared/schemas/market';
import { FailureError } from '../../../errors';
import { orThrow } from '../../../http/failure-status';
import { requireAuth, requireVerified } from '../../../http/guards';
import { marketFail } from '../kernel/market.failures';
import type { TraderOf } from '../kernel/market.types';
import { reply } from '../kernel/market.http';
import type { PhotoVariant } from './photos.repository';
import type { PhotoUpload, PhotosService } from './photos.service';

/**
 * Reads the raw request body, refusing (400 naming `photo`) as soon as it passes `maxBytes`, so an
 * oversized upload is never held in memory whole.
 */
async function readUpload(req: Request, maxBytes: number): Promise<PhotoUpload> {
  const tooLarge = () =>
    new FailureError(marketFail('PHOTO_TOO_LARGE', `photo may be at most ${maxBytes} bytes`, { field: 'photo' }).error);
  const declared = Number(req.get('content-length'));
  if (Number.isFinite(declared) && declared > maxBytes) {
    req.resume();
    throw tooLarge();
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > maxBytes) {
      req.resume();
      throw tooLarge();
    }
    chunks.push(chunk as Buffer);
  }
  return { contentType: req.get('content-type'), bytes: Buffer.concat(chunks) };
}

/** A photo id never names other bytes, so its URL is cached for a year; the ETag answers revalidations. */
const IMMUTABLE = 'private, max-age=31536000, immutable';

export function photosRoutes({ photos, trader }: { photos: PhotosService; trader: TraderOf }): Router {
  const router = Router();

  router.post('/lots/:id/photos', requireVerified, async (req, res) => {
    const who = await trader(req);
    const upload = await readUpload(req, LOT_PHOTO_LIMITS.photoBytes);
    reply(res, 201, await photos.add(who, String(req.params.id), upload), (r) => ({
      photoId: r.photoId,
      lot: r.lot,
    }));
  });

  router.put('/lots/:id/photos/:photoId/thumb', requireVerified, async (req, res) => {
    const who = await trader(req);
    const upload = await readUpload(req, LOT_PHOTO_LIMITS.thumbBytes);
    reply(
      res,
      200,
      await photos.setThumb(who, String(req.params.id), String(req.params.photoId), upload),
      (r) => r.lot,
    );
  });

  router.delete('/lots/:id/photos/:photoId', requireVerified, async (req, res) => {
    const outcome = await photos.remove(await trader(req), String(req.params.id), String(req.params.photoId));
    reply(res, 200, outcome, (r) => r.lot);
  });

  const serve = (variant: PhotoVariant) => async (req: Request, res: Response) => {
    const photoId = String(req.params.photoId);
    const etag = `"${photoId}-${variant}"`;
    const outcome = orThrow(await photos.read(String(req.params.id), photoId, variant));
    res.set({ 'Cache-Control': IMMUTABLE, ETag: etag, 'X-Content-Type-Options': 'nosniff' });
    if (req.get('if-none-match') === etag) {
      res.status(304).end();
      return;
    }
    res.type(outcome.contentType).send(outcome.bytes);
  };
  router.get('/lots/:id/photos/:photoId', requireAuth, serve('full'));
  router.get('/lots/:id/photos/:photoId/thumb', requireAuth, serve('thumb'));

  return router;
}
