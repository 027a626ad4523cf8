/**
 * Pre-compresses the built client (issue 11): every text asset over 1 kB gets a `.br` (brotli, best) and a
 * `.gz` (gzip, best) beside it, kept only when smaller. server/http/static-assets.ts serves them with the
 * matching Content-Encoding, so the server never compresses the bundle at request time.
 * Runs as a Vite plugin at the end of `vite build` (client/vite.config.ts), or alone:
 * `tsx scripts/precompress.ts client/dist`.
 */
import fs from 'node:fs';
import path from 'node:path';
import zlib from 'node:zlib';

const COMPRESSIBLE = /\.(js|mjs|css|html|svg|json|webmanifest|txt|map|xml|ico)$/;
const MIN_BYTES = 1024;

export interface PrecompressReport {
  files: number;
  bytes: number;
  brotliBytes: number;
  gzipBytes: number;
}

function* walk(dir: string): Generator<string> {
  for (const entry of fs.readdirSync(dir, { withFileTypes: true })) {
    const full = path.join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(full);
    else if (entry.isFile()) yield full;
  }
}

export function precompressDir(dir: string): PrecompressReport {
  const report: PrecompressReport = { files: 0, bytes: 0, brotliBytes: 0, gzipBytes: 0 };
  for (const file of walk(dir)) {
    if (!COMPRESSIBLE.test(file)) continue;
    const raw = fs.readFileSync(file);
    if (raw.length < MIN_BYTES) continue;
    const br = zlib.brotliCompressSync(raw, {
      params: {
        [zlib.constants.BROTLI_PARAM_QUALITY]: zlib.constants.BROTLI_MAX_QUALITY,
        [zlib.constants.BROTLI_PARAM_SIZE_HINT]: raw.length,
      },
    });
    const gz = zlib.gzipSync(raw, { level: 9 });
    report.files += 1;
    report.bytes += raw.length;
    report.brotliBytes += Math.min(br.length, raw.length);
    report.gzipBytes += Math.min(gz.length, raw.length);
    if (br.length < raw.length) fs.writeFileSync(`${file}.br`, br);
    if (gz.length < raw.length) fs.writeFileSync(`${file}.gz`, gz);
  }
  return report;
}

/** The Vite plugin: after the bundle is written, compress the output directory. */
interface PrecompressPlugin {
  name: string;
  apply: 'build';
  configResolved(config: { root: string; build: { outDir: string } }): void;
  closeBundle(): void;
}

export function precompressPlugin(): PrecompressPlugin {
  let outDir = 'dist';
  let root = process.cwd();
  return {
    name: 'freshlink-precompress',
    apply: 'build',
    configResolved(config) {
      root = config.root;
      outDir = config.build.outDir;
    },
    closeBundle() {
      const dir = path.resolve(root, outDir);
      if (!fs.existsSync(dir)) return;
      const r = precompressDir(dir);
      const kb = (n: number) => `${(n / 1024).toFixed(1)} kB`;
      process.stdout.write(
        `precompressed ${r.files} files: ${kb(r.bytes)} → brotli ${kb(r.brotliBytes)}, gzip ${kb(r.gzipBytes)}\n`,
      );
    },
  };
}

if (require.main === module) {
  const dir = process.argv[2] ?? path.resolve(__dirname, '..', 'client', 'dist');
  const r = precompressDir(dir);
  process.stdout.write(`precompressed ${r.files} files (${r.bytes} B → br ${r.brotliBytes} B, gz ${r.gzipBytes} B)\n`);
}
