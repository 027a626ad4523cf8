import type { IndexSpec } from '../storage/types';
import { isPlainObject, toNumber, typeClass, type Doc, type Value } from './bson-values';
import { nearBoxes, shapeBox, type Box } from './geo-bounds';
import { toPoint, toShape, type NearSpec, type Shape } from './geo';
import type { BodyRange, Index } from './indexes';
import { branchValues } from './path';

/**
 * Geo index entries: quadtree cells of a fixed grid, in Z-order (Morton) so that a cell and
 * all its descendants are one contiguous key range.
 *
 * The grid is longitude [-180, 180] × latitude [-90, 90] for `2dsphere`, the index's
 * `min`/`max` bounds (default [-180, 180] on both axes) for `2d`. Level L splits each axis
 * into 2^L parts; an entry's body is its level (1 byte) and its cell's Morton code at that
 * level (8 bytes, big-endian). A point is stored in its cell at level 26 (about 0.6 m of
 * longitude on the sphere); a line or polygon in the (at most 2×2) cells of the coarsest level
 * that covers its bounding box (great-circle edges included, geo-bounds.ts); a geometry with a
 * coordinate outside the grid in a bucket every query reads. A query covers its region's boxes
 * with at most 4×4 cells of one level q, then for each level ℓ that holds entries reads the
 * descendants of those cells (ℓ ≥ q, one key range each) or their ancestor (ℓ < q).
 *
 * `$near` reads outward: the cells of a box around the point whose radius doubles each round;
 * after a round every document closer than that radius has been read, so those are handed on
 * in order of distance (ties by _id) and the rest wait for a later round. A first page of 20
 * reads a few cells, not the collection.
 */
const POINT_LEVEL = 26;
/** The first radius of a $near search: about one level-16 cell (600 m on the sphere). */
const FIRST_LEVEL = 16;
const ANYWHERE = 0xfe;

export interface Grid {
  minX: number;
  maxX: number;
  minY: number;
  maxY: number;
}

/** The field a geo index is on and its grid, for a `2d`/`2dsphere` key pattern. */
export function geoGridOf(spec: IndexSpec): { field: string; grid: Grid; spherical: boolean } | undefined {
  for (const [field, kind] of Object.entries(spec.key)) {
    if (kind === '2dsphere') return { field, grid: { minX: -180, maxX: 180, minY: -90, maxY: 90 }, spherical: true };
    if (kind === '2d') {
      const min = typeClass(spec.min) === 'number' ? toNumber(spec.min) : -180;
      const max = typeClass(spec.max) === 'number' ? toNumber(spec.max) : 180;
      return { field, grid: { minX: min, maxX: max, minY: min, maxY: max }, spherical: false };
    }
  }
  return undefined;
}

function cellIndex(v: number, lo: number, hi: number, level: number): number {
  const n = 2 ** level;
  const i = Math.floor(((v - lo) / (hi - lo)) * n);
  return Math.min(n - 1, Math.max(0, Number.isFinite(i) ? i : v < lo ? 0 : n - 1));
}

function morton(cx: number, cy: number, level: number): number {
  let code = 0;
  for (let i = level - 1; i >= 0; i--) code = code * 4 + ((cx >>> i) & 1) * 2 + ((cy >>> i) & 1);
  return code;
}

function body(level: number, code: number): Buffer {
  const b = Buffer.allocUnsafe(9);
  b[0] = level;
  b.writeUInt32BE(Math.floor(code / 2 ** 32), 1);
  b.writeUInt32BE(code % 2 ** 32, 5);
  return b;
}

function inGrid([x, y]: [number, number], g: Grid): boolean {
  return x >= g.minX && x <= g.maxX && y >= g.minY && y <= g.maxY;
}

/** The geometries a geo predicate tests on a field: each value, or each element of an array of geometries. */
function geometriesOf(doc: Doc, field: string): Shape[] {
  const out: Shape[] = [];
  const add = (v: Value): void => {
    try {
      const s = toShape(v);
      if (s) out.push(s);
    } catch {
      // Not a geometry the predicates accept either.
    }
  };
  for (const v of branchValues(doc, field)) {
    add(v);
    if (Array.isArray(v) && toPoint(v) === undefined) for (const e of v) add(e);
  }
  return out;
}

interface Cover {
  level: number;
  cells: Array<[number, number]>;
}

/** The cells of the finest level at which `box` (clipped to the grid) spans at most `perAxis` cells a side. */
function cover(box: Box, g: Grid, perAxis: number): Cover | undefined {
  const x1 = Math.max(box.x1, g.minX);
  const x2 = Math.min(box.x2, g.maxX);
  const y1 = Math.max(box.y1, g.minY);
  const y2 = Math.min(box.y2, g.maxY);
  if (!(x1 <= x2 && y1 <= y2)) return undefined;
  for (let level = POINT_LEVEL; level >= 0; level--) {
    const [cx1, cx2] = [cellIndex(x1, g.minX, g.maxX, level), cellIndex(x2, g.minX, g.maxX, level)];
    const [cy1, cy2] = [cellIndex(y1, g.minY, g.maxY, level), cellIndex(y2, g.minY, g.maxY, level)];
    if (cx2 - cx1 >= perAxis || cy2 - cy1 >= perAxis) continue;
    const cells: Array<[number, number]> = [];
    for (let cx = cx1; cx <= cx2; cx++) for (let cy = cy1; cy <= cy2; cy++) cells.push([cx, cy]);
    return { level, cells };
  }
  return undefined;
}

/** The entry bodies of a document in a geo index. */
export function geoBodiesOf(doc: Doc, field: string, g: Grid): Buffer[] {
  const bodies = new Map<string, Buffer>();
  const add = (b: Buffer): void => {
    bodies.set(b.toString('latin1'), b);
  };
  for (const shape of geometriesOf(doc, field)) {
    if (shape.points.length === 0) continue;
    if (!shape.points.every((p) => inGrid(p, g))) {
      add(Buffer.from([ANYWHERE]));
      continue;
    }
    if (shape.segments.length === 0 && shape.polygons.length === 0) {
      for (const [x, y] of shape.points) {
        const cx = cellIndex(x, g.minX, g.maxX, POINT_LEVEL);
        const cy = cellIndex(y, g.minY, g.maxY, POINT_LEVEL);
        add(body(POINT_LEVEL, morton(cx, cy, POINT_LEVEL)));
      }
      continue;
    }
    const c = cover(shapeBox(shape), g, 2);
    if (!c) {
      add(Buffer.from([ANYWHERE]));
      continue;
    }
    for (const [cx, cy] of c.cells) add(body(c.level, morton(cx, cy, c.level)));
  }
  return [...bodies.values()];
}

/** Which levels hold entries (and the anywhere bucket): found once by a seek per level, then kept up by writes. */
function levelsInUse(index: Index): Set<number> {
  if (index.geoLevels) return index.geoLevels;
  const levels = new Set<number>();
  for (let level = 0; level <= POINT_LEVEL; level++) {
    for (const _ of index.walk({ start: Buffer.from([level]), end: Buffer.from([level + 1]) })) {
      levels.add(level);
      break;
    }
  }
  levels.add(ANYWHERE);
  index.geoLevels = levels;
  return levels;
}

/** The key ranges of the entries that may lie in `boxes`. */
function rangesFor(index: Index, g: Grid, boxes: Box[]): BodyRange[] {
  const levels = levelsInUse(index);
  const out: BodyRange[] = [{ start: Buffer.from([ANYWHERE]), end: Buffer.from([ANYWHERE + 1]) }];
  for (const box of boxes) {
    const c = cover(box, g, 4);
    if (!c) continue;
    const q = c.level;
    for (const level of levels) {
      if (level === ANYWHERE) continue;
      const spans: Array<[number, number]> = c.cells.map(([cx, cy]) => {
        const m = morton(cx, cy, q);
        if (level >= q) {
          const f = 4 ** (level - q);
          return [m * f, (m + 1) * f];
        }
        const a = Math.floor(m / 4 ** (q - level));
        return [a, a + 1];
      });
      spans.sort((a, b) => a[0] - b[0]);
      let cur: [number, number] | undefined;
      for (const s of spans) {
        if (cur && s[0] <= cur[1]) cur[1] = Math.max(cur[1], s[1]);
        else {
          if (cur) out.push({ start: body(level, cur[0]), end: body(level, cur[1]) });
          cur = [s[0], s[1]];
        }
      }
      if (cur) out.push({ start: body(level, cur[0]), end: body(level, cur[1]) });
    }
  }
  return out;
}

/** Document keys whose entries may lie in `boxes` (a key may come more than once). */
function* keysIn(index: Index, g: Grid, boxes: Box[]): Generator<string> {
  for (const range of rangesFor(index, g, boxes)) yield* index.walk(range);
}

/** The distinct candidate keys for a $geoWithin/$geoIntersects region, in _id order (as a scan gives them). */
export function geoCandidates(index: Index, g: Grid, boxes: Box[]): string[] {
  return [...new Set(keysIn(index, g, boxes))].sort((a, b) => (a < b ? -1 : a > b ? 1 : 0));
}

function coversGrid(boxes: Box[], g: Grid): boolean {
  return boxes.some((b) => b.x1 <= g.minX && b.x2 >= g.maxX && b.y1 <= g.minY && b.y2 >= g.maxY);
}

/**
 * The keys of the documents a $near/$nearSphere matches, nearest first (ties in _id order),
 * read in rounds of a doubling radius. `distanceOf` is the distance the query sorts by.
 */
export function* nearKeys(
  index: Index,
  g: Grid,
  spec: NearSpec,
  get: (key: string) => Doc | undefined,
  distanceOf: (doc: Doc) => number | undefined,
): Generator<string> {
  const seen = new Set<string>();
  let waiting: Array<{ key: string; d: number }> = [];
  const cell = (g.maxX - g.minX) / 2 ** FIRST_LEVEL;
  let radius = !spec.spherical ? cell : (cell * Math.PI) / 180;
  if (spec.meters) radius *= 6378100;
  for (;;) {
    const boxes = nearBoxes(spec, radius);
    for (const key of keysIn(index, g, boxes)) {
      if (seen.has(key)) continue;
      seen.add(key);
      const doc = get(key);
      const d = doc === undefined ? undefined : distanceOf(doc);
      if (d === undefined || (spec.max !== undefined && d > spec.max) || (spec.min !== undefined && d < spec.min))
        continue;
      waiting.push({ key, d });
    }
    waiting.sort((a, b) => a.d - b.d || (a.key < b.key ? -1 : a.key > b.key ? 1 : 0));
    const done = coversGrid(boxes, g) || (spec.max !== undefined && radius >= spec.max) || !(radius < Infinity);
    let i = 0;
    while (i < waiting.length && (done || waiting[i].d <= radius)) yield waiting[i++].key;
    if (done) return;
    waiting = waiting.slice(i);
    radius *= 2;
  }
}

/** A `2d`/`2dsphere` spec is usable for candidates: no partial filter (it would leave documents out). */
export function geoIndexUsable(index: Index): boolean {
  return index.spec.hidden !== true && !isPlainObject(index.spec.partialFilterExpression);
}
