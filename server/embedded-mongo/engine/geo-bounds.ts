import { isPlainObject, toNumber, typeClass, type Value } from './bson-values';
import {
  crossV,
  EARTH_RADIUS_METERS,
  onArc,
  ring,
  toPoint,
  toShape,
  toVec,
  type NearSpec,
  type Point,
  type Shape,
  type Vec,
} from './geo';

/**
 * Bounding boxes in coordinate space (longitude/latitude for GeoJSON, the plane for legacy
 * pairs): what a geo index (geo-index.ts) covers with cells. Every box is a superset of the
 * region a predicate in geo.ts can accept, so reading the cells that cover it misses nothing;
 * the predicate then decides exactly. Infinite sides mean "to the edge of the grid".
 */
export interface Box {
  x1: number;
  y1: number;
  x2: number;
  y2: number;
}

const ALL: Box = { x1: -Infinity, y1: -Infinity, x2: Infinity, y2: Infinity };

/** Widened a little, so that rounding in the spherical formulas cannot drop a point on the edge. */
function inflate(b: Box): Box {
  const e = (v: number): number => 1e-7 + 1e-9 * (Number.isFinite(v) ? Math.abs(v) : 0);
  return { x1: b.x1 - e(b.x1), y1: b.y1 - e(b.y1), x2: b.x2 + e(b.x2), y2: b.y2 + e(b.y2) };
}

function extend(b: Box, x: number, y: number): void {
  b.x1 = Math.min(b.x1, x);
  b.x2 = Math.max(b.x2, x);
  b.y1 = Math.min(b.y1, y);
  b.y2 = Math.max(b.y2, y);
}

function norm(v: Vec): Vec | undefined {
  const n = Math.hypot(...v);
  return n < 1e-15 ? undefined : [v[0] / n, v[1] / n, v[2] / n];
}

const DEG = 180 / Math.PI;

/**
 * A shape's box, its edges taken as great-circle arcs (as $geoIntersects takes them): an arc may
 * rise above its end points toward a pole, and one spanning 180° of longitude or more may cross
 * the antimeridian (its box then spans every longitude).
 */
export function shapeBox(shape: Shape): Box {
  const b: Box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  for (const [x, y] of shape.points) extend(b, x, y);
  for (const [p, q] of shape.segments) {
    if (Math.abs(p[0] - q[0]) >= 180) {
      b.x1 = -Infinity;
      b.x2 = Infinity;
    }
    const a = toVec(p);
    const c = toVec(q);
    const n = norm(crossV(a, c));
    if (!n) {
      // Antipodal (or equal) end points: the arc is not defined by them; take every latitude.
      if (p[0] !== q[0] || p[1] !== q[1]) Object.assign(b, { y1: -90, y2: 90, x1: -Infinity, x2: Infinity });
      continue;
    }
    // The great circle's highest point: the pole's direction projected onto the circle's plane.
    const top = norm([-n[0] * n[2], -n[1] * n[2], 1 - n[2] * n[2]]);
    if (!top) continue;
    for (const v of [top, [-top[0], -top[1], -top[2]] as Vec]) {
      if (onArc(v, a, c)) extend(b, p[0], Math.asin(Math.max(-1, Math.min(1, v[2]))) * DEG);
    }
  }
  return inflate(b);
}

/**
 * Boxes holding every point within `r` radians of `center` on the sphere: a latitude band,
 * and a longitude range widened by 1/cos(latitude), split in two where it crosses the
 * antimeridian; every longitude once the cap reaches a pole. Coordinates outside the
 * longitude/latitude ranges (a 2d index with wider bounds) are included, as their haversine
 * distance may be anything.
 */
function sphereBoxes(center: Point, r: number): Box[] {
  const lat0 = center[1];
  if (!(r < Math.PI) || !(Math.abs(lat0) <= 90) || !Number.isFinite(center[0])) return [ALL];
  const lng0 = ((((center[0] + 180) % 360) + 360) % 360) - 180;
  const rd = r * DEG;
  const outside: Box[] = [
    { x1: -Infinity, x2: -180 - 1e-7, y1: -Infinity, y2: Infinity },
    { x1: 180 + 1e-7, x2: Infinity, y1: -Infinity, y2: Infinity },
    { x1: -Infinity, x2: Infinity, y1: -Infinity, y2: -90 - 1e-7 },
    { x1: -Infinity, x2: Infinity, y1: 90 + 1e-7, y2: Infinity },
  ];
  const y1 = lat0 - rd;
  const y2 = lat0 + rd;
  if (y1 <= -90 || y2 >= 90) {
    const band = { x1: -Infinity, x2: Infinity, y1: y1 <= -90 ? -Infinity : y1, y2: y2 >= 90 ? Infinity : y2 };
    return [inflate(band), ...outside];
  }
  const s = Math.sin(r) / Math.cos(lat0 / DEG);
  if (s >= 1) return [inflate({ x1: -Infinity, x2: Infinity, y1, y2 }), ...outside];
  const dl = Math.asin(s) * DEG;
  const x1 = lng0 - dl;
  const x2 = lng0 + dl;
  const boxes: Box[] = [];
  if (x1 < -180) boxes.push({ x1: x1 + 360, x2: 180, y1, y2 }, { x1: -180, x2, y1, y2 });
  else if (x2 > 180) boxes.push({ x1, x2: 180, y1, y2 }, { x1: -180, x2: x2 - 360, y1, y2 });
  else boxes.push({ x1, x2, y1, y2 });
  return [...boxes.map(inflate), ...outside];
}

/** Boxes holding every geometry within distance `d` (in the query's units) of a $near point. */
export function nearBoxes(spec: NearSpec, d: number): Box[] {
  const [x, y] = spec.point;
  if (!spec.spherical) return [inflate({ x1: x - d, x2: x + d, y1: y - d, y2: y + d })];
  return sphereBoxes(spec.point, spec.meters ? d / EARTH_RADIUS_METERS : d);
}

function pointsBox(points: Point[]): Box {
  const b: Box = { x1: Infinity, y1: Infinity, x2: -Infinity, y2: -Infinity };
  for (const [x, y] of points) extend(b, x, y);
  return inflate(b);
}

function num(v: Value): number | undefined {
  return typeClass(v) === 'number' ? toNumber(v) : undefined;
}

/**
 * Boxes holding every geometry a $geoWithin argument accepts (every point of an accepted
 * geometry lies in the region), or undefined for an argument the predicate rejects anyway.
 */
export function withinBoxes(arg: Value): Box[] | undefined {
  if (!isPlainObject(arg)) return undefined;
  try {
    if (arg.$box !== undefined) {
      const [lo, hi] = ring(arg.$box);
      return lo && hi ? [pointsBox([lo, hi])] : undefined;
    }
    if (arg.$center !== undefined || arg.$centerSphere !== undefined) {
      const spec = arg.$centerSphere ?? arg.$center;
      if (!Array.isArray(spec) || spec.length !== 2) return undefined;
      const center = toPoint(spec[0]);
      const r = num(spec[1]);
      if (!center || r === undefined) return undefined;
      if (arg.$centerSphere !== undefined) return sphereBoxes(center, r);
      return [inflate({ x1: center[0] - r, x2: center[0] + r, y1: center[1] - r, y2: center[1] + r })];
    }
    if (arg.$polygon !== undefined) return [pointsBox(ring(arg.$polygon))];
    if (arg.$geometry !== undefined) {
      const g = toShape(arg.$geometry);
      return g && g.polygons.length > 0 ? [pointsBox(g.polygons.flat(2))] : undefined;
    }
  } catch {
    return undefined;
  }
  return undefined;
}

/** The box of a $geoIntersects geometry (a stored geometry meeting it has a point in it). */
export function intersectsBoxes(arg: Value): Box[] | undefined {
  if (!isPlainObject(arg) || !isPlainObject(arg.$geometry)) return undefined;
  try {
    const g = toShape(arg.$geometry);
    return g && g.points.length > 0 ? [shapeBox(g)] : undefined;
  } catch {
    return undefined;
  }
}
