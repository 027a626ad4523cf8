/**
 * The lot listing served from cached reply bytes (issue 11). One entry per query shape (the parsed
 * query), holding the serialised JSON, its gzip copy (made once, on first demand) and an ETag; an entry
 * is dropped by any invalidation of lots (a market event that touches a lot, on any process) and is never
 * older than `maxAgeMs` (1 s), since lots also leave the open listing merely by time passing.
 * `If-None-Match` with the current ETag → 304. Anything the cache does not understand (anonymous caller,
 * an invalid query) falls through to the real route, which answers as before. Only first pages are cached
 * (no `cursor`), and not a distance sort measured from the caller's own organisation (no `lat`/`lng`).
 */
import { createHash } from 'node:crypto';
import zlib from 'node:zlib';
import type { RequestHandler } from 'express';
import { listLotsQuery, type ListLotsQuery } from '../../shared/schemas/market';
import type { InvalidationBus } from '../realtime/invalidations';

interface Entry {
  at: number;
  generation: number;
  reply: Promise<{ body: Buffer; etag: string; gzip?: Buffer }>;
}

export interface ListingCacheOptions {
  maxAgeMs?: number;
  maxEntries?: number;
  nowMs?: () => number;
}

const COMPRESS_ABOVE = 1024;

export function lotListingCache(
  list: (query: ListLotsQuery) => Promise<object>,
  bus: Pick<InvalidationBus, 'subscribe'>,
  options: ListingCacheOptions = {},
): RequestHandler {
  const maxAgeMs = options.maxAgeMs ?? 1_000;
  const maxEntries = options.maxEntries ?? 500;
  const nowMs = options.nowMs ?? (() => performance.now());
  const entries = new Map<string, Entry>();
  let generation = 0;
  bus.subscribe((change) => {
    if (change.kind === 'lots') {
      generation += 1;
      entries.clear();
    }
  });

  const build = async (query: ListLotsQuery) => {
    const body = Buffer.from(JSON.stringify(await list(query)));
    const etag = `W/"${createHash('sha1').update(body).digest('base64url')}"`;
    return { body, etag } as { body: Buffer; etag: string; gzip?: Buffer };
  };

  return async (req, res, next) => {
    if (!req.user) return next();
    const parsed = listLotsQuery.safeParse(req.query);
    if (!parsed.success) return next();
    if (parsed.data.cursor || (parsed.data.sort === 'distance' && parsed.data.lat === undefined)) return next();
    const key = JSON.stringify(parsed.data);
    const now = nowMs();
    let entry = entries.get(key);
    if (!entry || entry.generation !== generation || now - entry.at >= maxAgeMs) {
      if (entries.size >= maxEntries && !entries.has(key)) entries.delete(entries.keys().next().value as string);
      entry = { at: now, generation, reply: build(parsed.data) };
      entries.set(key, entry);
      const made = entry;
      made.reply.catch(() => {
        if (entries.get(key) === made) entries.delete(key);
      });
    }
    const reply = await entry.reply;
    res.setHeader('ETag', reply.etag);
    res.setHeader('Cache-Control', 'private, no-cache');
    res.setHeader('Vary', 'Accept-Encoding, Cookie, Authorization');
    if (req.headers['if-none-match'] === reply.etag) {
      res.status(304).end();
      return;
    }
    res.setHeader('Content-Type', 'application/json; charset=utf-8');
    if (reply.body.length > COMPRESS_ABOVE && req.acceptsEncodings('gzip') === 'gzip') {
      reply.gzip ??= zlib.gzipSync(reply.body, { level: 6 });
      res.setHeader('Content-Encoding', 'gzip');
      res.end(reply.gzip);
      return;
    }
    res.end(reply.body);
  };
}
