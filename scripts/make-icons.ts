/**
 * Draws the app icons (client/public/*.png) with no image library: a green tile with a white leaf, written
 * as PNG by hand (zlib + CRC). Run `npx tsx scripts/make-icons.ts` after changing the design; the PNGs are
 * committed, so neither the build nor the browser downloads anything.
 */
import { writeFileSync } from 'node:fs';
import { deflateSync } from 'node:zlib';

const GREEN: [number, number, number] = [0x1f, 0x6f, 0x3d];
const WHITE: [number, number, number] = [0xff, 0xff, 0xff];
const LIGHT: [number, number, number] = [0x9b, 0xe5, 0x9f];

function crc32(buf: Buffer): number {
  let c = ~0;
  for (const b of buf) {
    c ^= b;
    for (let k = 0; k < 8; k++) c = c & 1 ? (c >>> 1) ^ 0xedb88320 : c >>> 1;
  }
  return ~c >>> 0;
}

function chunk(type: string, data: Buffer): Buffer {
  const len = Buffer.alloc(4);
  len.writeUInt32BE(data.length);
  const body = Buffer.concat([Buffer.from(type, 'ascii'), data]);
  const crc = Buffer.alloc(4);
  crc.writeUInt32BE(crc32(body));
  return Buffer.concat([len, body, crc]);
}

/** `maskable`: the leaf stays inside the central 80 % safe zone and the green runs to the edges. */
function icon(size: number, maskable: boolean): Buffer {
  const raw = Buffer.alloc((size * 3 + 1) * size);
  const scale = maskable ? 0.3 : 0.38;
  const radius = maskable ? 0 : size * 0.18;
  for (let y = 0; y < size; y++) {
    raw[y * (size * 3 + 1)] = 0;
    for (let x = 0; x < size; x++) {
      // Rounded-square tile (transparent corners are drawn white for simplicity of RGB).
      const cx = Math.min(Math.max(x, radius), size - radius);
      const cy = Math.min(Math.max(y, radius), size - radius);
      const outside = radius > 0 && Math.hypot(x - cx, y - cy) > radius;
      // A leaf: the intersection of two discs, tilted 45°, with a light midrib.
      const u = (x - size / 2) / (size * scale);
      const v = (y - size / 2) / (size * scale);
      const a = (u + v) / Math.SQRT2;
      const b = (v - u) / Math.SQRT2;
      const leaf = Math.hypot(a, b - 0.55) < 1 && Math.hypot(a, b + 0.55) < 1;
      const rib = leaf && Math.abs(b) < 0.05 && Math.abs(a) < 0.75;
      const colour = outside ? WHITE : rib ? LIGHT : leaf ? WHITE : GREEN;
      raw.set(colour, y * (size * 3 + 1) + 1 + x * 3);
    }
  }
  const header = Buffer.alloc(13);
  header.writeUInt32BE(size, 0);
  header.writeUInt32BE(size, 4);
  header[8] = 8; // bit depth
  header[9] = 2; // RGB
  return Buffer.concat([
    Buffer.from([0x89, 0x50, 0x4e, 0x47, 0x0d, 0x0a, 0x1a, 0x0a]),
    chunk('IHDR', header),
    chunk('IDAT', deflateSync(raw, { level: 9 })),
    chunk('IEND', Buffer.alloc(0)),
  ]);
}

const out = 'client/public';
writeFileSync(`${out}/icon-192.png`, icon(192, false));
writeFileSync(`${out}/icon-512.png`, icon(512, false));
writeFileSync(`${out}/icon-maskable-512.png`, icon(512, true));
writeFileSync(`${out}/apple-touch-icon.png`, icon(180, true));
