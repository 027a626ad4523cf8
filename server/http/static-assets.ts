/**
 * The built client (client/dist), served with the compressed copies made at build time
 * (scripts/precompress.ts): `.br` when the browser accepts brotli, else `.gz`, else the file itself,
 * always with `Vary: Accept-Encoding`. Hashed files under assets/ never change (`immutable`, one year);
 * everything else (index.html names the current hashes) is revalidated each time.
 */
import fs from 'node:fs';
import path from 'node:path';
import express, { type RequestHandler } from 'express';

type Encoding = 'br' | 'gzip';
const SUFFIX: Record<Encoding, string> = { br: '.br', gzip: '.gz' };

/** `/assets/index-abc.js` → the encodings it has a compressed copy in. Built once at start. */
function compressedCopies(root: string): Map<string, Set<Encoding>> {
  const found = new Map<string, Set<Encoding>>();
  const walk = (dir: string) => {
    for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
      const full = path.join(dir, entry.name);
      if (entry.isDirectory()) walk(full);
      else {
        const encoding: Encoding | undefined = entry.name.endsWith('.br')
          ? 'br'
          : entry.name.endsWith('.gz')
            ? 'gzip'
            : undefined;
        if (!encoding) continue;
        const original = full.slice(0, -SUFFIX[encoding].length);
        if (!fs.existsSync(original)) continue;
        const urlPath = `/${path.relative(root, original).split(path.sep).join('/')}`;
        const set = found.get(urlPath) ?? new Set<Encoding>();
        set.add(encoding);
        found.set(urlPath, set);
      }
    }
  };
  walk(root);
  return found;
}

const cacheControlFor = (urlPath: string) =>
  urlPath.startsWith('/assets/') ? 'public, max-age=31536000, immutable' : 'no-cache';

export function staticAssets(root: string): RequestHandler[] {
  const copies = compressedCopies(root);
  const precompressed: RequestHandler = (req, res, next) => {
    if (req.method !== 'GET' && req.method !== 'HEAD') return next();
    const urlPath = req.path === '/' ? '/index.html' : req.path;
    const available = copies.get(urlPath);
    if (!available) return next();
    res.vary('Accept-Encoding');
    // Brotli whenever the browser takes it (smaller), else gzip; `br;q=0` and the like are honoured.
    const wanted = (['br', 'gzip'] as const).find((e) => available.has(e) && req.acceptsEncodings(e) === e);
    if (!wanted) return next();
    // The type of the original file, not of `.br`/`.gz`; send keeps a Content-Type already set.
    res.type(path.extname(urlPath));
    res.setHeader('Content-Encoding', wanted);
    res.setHeader('Cache-Control', cacheControlFor(urlPath));
    res.sendFile(`${urlPath.slice(1)}${SUFFIX[wanted]}`, { root, dotfiles: 'deny', cacheControl: false }, (err) => {
      if (err) next(err);
    });
  };
  const plain = express.static(root, {
    index: 'index.html',
    setHeaders: (res, filePath) => {
      const urlPath = `/${path.relative(root, filePath).split(path.sep).join('/')}`;
      if (copies.has(urlPath)) res.vary('Accept-Encoding');
      res.setHeader('Cache-Control', cacheControlFor(urlPath));
    },
  });
  return [precompressed, plain];
}
