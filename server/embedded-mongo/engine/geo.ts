import { isPlainObject, toNumber, typeClass, type Doc, type Value } from './bson-values';
import { badValue, MongoServerError } from './errors';
import { hasOwn } from './own';

/**
 * Geospatial predicates (a 2d/2dsphere index narrows the candidates first: geo-index.ts): legacy coordinate
 * pairs on a flat plane (`2d`: $box, $center, $polygon, $near) and GeoJSON on the sphere
 * (`2dsphere`: $centerSphere, $geometry, $nearSphere, $geoIntersects). Spherical distance
 * is the haversine great-circle distance on mongod's earth radius, 6378.1 km.
 * Polygon containment and intersection treat longitude/latitude as planar coordinates,
 * which matches mongod's geodesic edges closely for the small regions an app asks about.
 */
export const EARTH_RADIUS_METERS = 6378100;

export type Point = [number, number];
export interface Shape {
  points: Point[];
  segments: Array<[Point, Point]>;
  /** Polygons as rings (the first the outer ring, others holes). */
  polygons: Point[][][];
}

function num(v: Value): number | undefined {
  return typeClass(v) === 'number' ? toNumber(v) : undefined;
}

/** A legacy pair `[x, y]` or `{x, y}` (the first two fields), or a GeoJSON Point. */
export function toPoint(v: Value): Point | undefined {
  if (Array.isArray(v)) {
    const x = num(v[0]);
    const y = num(v[1]);
    return x !== undefined && y !== undefined && v.length >= 2 ? [x, y] : undefined;
  }
  if (isPlainObject(v)) {
    if (v.type === 'Point' && Array.isArray(v.coordinates)) return toPoint(v.coordinates);
    if (hasOwn(v, 'type')) return undefined;
    const vals = Object.keys(v).map((k) => v[k]);
    if (vals.length < 2) return undefined;
    const x = num(vals[0]);
    const y = num(vals[1]);
    return x !== undefined && y !== undefined ? [x, y] : undefined;
  }
  return undefined;
}

export function ring(v: Value): Point[] {
  if (!Array.isArray(v)) throw badValue('GeoJSON coordinates must be an array');
  return v.map((p) => {
    const pt = toPoint(p);
    if (!pt) throw badValue('GeoJSON coordinates must be an array of numbers');
    return pt;
  });
}

function segmentsOf(points: Point[]): Array<[Point, Point]> {
  const out: Array<[Point, Point]> = [];
  for (let i = 0; i + 1 < points.length; i++) out.push([points[i], points[i + 1]]);
  return out;
}

/** A GeoJSON geometry (or legacy point) as points, segments and polygons; undefined if not geometry. */
export function toShape(v: Value): Shape | undefined {
  const pt = toPoint(v);
  if (pt) return { points: [pt], segments: [], polygons: [] };
  if (!isPlainObject(v) || typeof v.type !== 'string') return undefined;
  const c = v.coordinates;
  switch (v.type) {
    case 'MultiPoint': {
      const pts = ring(c);
      return { points: pts, segments: [], polygons: [] };
    }
    case 'LineString': {
      const pts = ring(c);
      return { points: pts, segments: segmentsOf(pts), polygons: [] };
    }
    case 'MultiLineString': {
      if (!Array.isArray(c)) return undefined;
      const lines = c.map(ring);
      return { points: lines.flat(), segments: lines.flatMap(segmentsOf), polygons: [] };
    }
    case 'Polygon': {
      if (!Array.isArray(c)) return undefined;
      const rings = c.map(ring);
      return { points: rings.flat(), segments: rings.flatMap(segmentsOf), polygons: [rings] };
    }
    case 'MultiPolygon': {
      if (!Array.isArray(c)) return undefined;
      const polys = c.map((p) => (Array.isArray(p) ? p.map(ring) : []));
      return { points: polys.flat(2), segments: polys.flat().flatMap(segmentsOf), polygons: polys };
    }
    case 'GeometryCollection': {
      if (!Array.isArray(v.geometries)) return undefined;
      const parts = v.geometries.map(toShape).filter((s): s is Shape => s !== undefined);
      return {
        points: parts.flatMap((s) => s.points),
        segments: parts.flatMap((s) => s.segments),
        polygons: parts.flatMap((s) => s.polygons),
      };
    }
    default:
      return undefined;
  }
}

function planarDistance(a: Point, b: Point): number {
  return Math.hypot(a[0] - b[0], a[1] - b[1]);
}

/** Great-circle distance in radians between two [longitude, latitude] points in degrees. */
function sphericalDistance(a: Point, b: Point): number {
  const rad = Math.PI / 180;
  const dLat = (b[1] - a[1]) * rad;
  const dLng = (b[0] - a[0]) * rad;
  const h = Math.sin(dLat / 2) ** 2 + Math.cos(a[1] * rad) * Math.cos(b[1] * rad) * Math.sin(dLng / 2) ** 2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(h)));
}

function inRing(p: Point, r: Point[]): boolean {
  let inside = false;
  for (let i = 0, j = r.length - 1; i < r.length; j = i++) {
    const [xi, yi] = r[i];
    const [xj, yj] = r[j];
    if (yi > p[1] !== yj > p[1] && p[0] < ((xj - xi) * (p[1] - yi)) / (yj - yi) + xi) inside = !inside;
  }
  return inside || r.some((q, i) => i > 0 && onSegment(p, [r[i - 1], q]));
}

function inPolygon(p: Point, rings: Point[][]): boolean {
  if (rings.length === 0 || !inRing(p, rings[0])) return false;
  return !rings
    .slice(1)
    .some((hole) => inRing(p, hole) && !hole.some((q, i) => i > 0 && onSegment(p, [hole[i - 1], q])));
}

function cross(o: Point, a: Point, b: Point): number {
  return (a[0] - o[0]) * (b[1] - o[1]) - (a[1] - o[1]) * (b[0] - o[0]);
}

function onSegment(p: Point, [a, b]: [Point, Point]): boolean {
  return (
    Math.abs(cross(a, b, p)) < 1e-12 &&
    p[0] >= Math.min(a[0], b[0]) - 1e-12 &&
    p[0] <= Math.max(a[0], b[0]) + 1e-12 &&
    p[1] >= Math.min(a[1], b[1]) - 1e-12 &&
    p[1] <= Math.max(a[1], b[1]) + 1e-12
  );
}

function samePoint(a: Point, b: Point): boolean {
  return a[0] === b[0] && a[1] === b[1];
}

export type Vec = [number, number, number];

export function toVec([lng, lat]: Point): Vec {
  const rad = Math.PI / 180;
  return [Math.cos(lat * rad) * Math.cos(lng * rad), Math.cos(lat * rad) * Math.sin(lng * rad), Math.sin(lat * rad)];
}

export function crossV(a: Vec, b: Vec): Vec {
  return [a[1] * b[2] - a[2] * b[1], a[2] * b[0] - a[0] * b[2], a[0] * b[1] - a[1] * b[0]];
}

function angle(a: Vec, b: Vec): number {
  const c = crossV(a, b);
  return Math.atan2(Math.hypot(...c), a[0] * b[0] + a[1] * b[1] + a[2] * b[2]);
}

export function onArc(p: Vec, a: Vec, b: Vec): boolean {
  return Math.abs(angle(a, p) + angle(p, b) - angle(a, b)) < 1e-9;
}

/** Whether two edges, taken as great-circle arcs (GeoJSON's edges on the sphere), meet. */
function arcsIntersect(s: [Point, Point], t: [Point, Point]): boolean {
  const [a, b, c, d] = [toVec(s[0]), toVec(s[1]), toVec(t[0]), toVec(t[1])];
  if (onArc(a, c, d) || onArc(b, c, d) || onArc(c, a, b) || onArc(d, a, b)) return true;
  const n = crossV(crossV(a, b), crossV(c, d));
  const len = Math.hypot(...n);
  if (len < 1e-15) return false;
  const p: Vec = [n[0] / len, n[1] / len, n[2] / len];
  const q: Vec = [-p[0], -p[1], -p[2]];
  return (onArc(p, a, b) && onArc(p, c, d)) || (onArc(q, a, b) && onArc(q, c, d));
}

function onArcPoint(p: Point, s: [Point, Point]): boolean {
  return onArc(toVec(p), toVec(s[0]), toVec(s[1]));
}

function intersects(a: Shape, b: Shape): boolean {
  if (a.points.some((p) => b.points.some((q) => samePoint(p, q)))) return true;
  if (a.points.some((p) => b.segments.some((s) => onArcPoint(p, s)))) return true;
  if (b.points.some((p) => a.segments.some((s) => onArcPoint(p, s)))) return true;
  if (a.segments.some((s) => b.segments.some((t) => arcsIntersect(s, t)))) return true;
  if (a.points.some((p) => b.polygons.some((poly) => inPolygon(p, poly)))) return true;
  if (b.points.some((p) => a.polygons.some((poly) => inPolygon(p, poly)))) return true;
  return false;
}

/** Every point of the shape inside one of the polygons (edges not crossing out). */
function withinPolygons(shape: Shape, polygons: Point[][][]): boolean {
  if (shape.points.length === 0) return false;
  return polygons.some(
    (poly) =>
      shape.points.every((p) => inPolygon(p, poly)) &&
      !shape.segments.some((s) => poly.flatMap(segmentsOf).some((e) => properCross(s, e))),
  );
}

function properCross(s: [Point, Point], t: [Point, Point]): boolean {
  const [a, b] = s;
  const [c, d] = t;
  const d1 = cross(c, d, a);
  const d2 = cross(c, d, b);
  const d3 = cross(a, b, c);
  const d4 = cross(a, b, d);
  return ((d1 > 0 && d2 < 0) || (d1 < 0 && d2 > 0)) && ((d3 > 0 && d4 < 0) || (d3 < 0 && d4 > 0));
}

/** Compiles a $geoWithin / $within argument into a test on one stored geometry. */
export function compileWithin(arg: Value): (v: Value) => boolean {
  if (!isPlainObject(arg)) throw badValue('$geoWithin argument must be an object');
  if (arg.$box !== undefined) {
    const [lo, hi] = ring(arg.$box);
    if (!lo || !hi) throw badValue('$box needs two points');
    const [x1, x2] = [Math.min(lo[0], hi[0]), Math.max(lo[0], hi[0])];
    const [y1, y2] = [Math.min(lo[1], hi[1]), Math.max(lo[1], hi[1])];
    return (v) => {
      const s = toShape(v);
      return (
        s !== undefined && s.points.length > 0 && s.points.every(([x, y]) => x >= x1 && x <= x2 && y >= y1 && y <= y2)
      );
    };
  }
  if (arg.$center !== undefined || arg.$centerSphere !== undefined) {
    const spherical = arg.$centerSphere !== undefined;
    const spec = spherical ? arg.$centerSphere : arg.$center;
    if (!Array.isArray(spec) || spec.length !== 2) throw badValue('$center needs [center, radius]');
    const center = toPoint(spec[0]);
    const radius = num(spec[1]);
    if (!center || radius === undefined || radius < 0)
      throw badValue('$center needs a point and a non-negative radius');
    const dist = spherical ? sphericalDistance : planarDistance;
    return (v) => {
      const s = toShape(v);
      return s !== undefined && s.points.length > 0 && s.points.every((p) => dist(center, p) <= radius);
    };
  }
  if (arg.$polygon !== undefined) {
    const r = ring(arg.$polygon);
    if (r.length < 3) throw badValue('Polygon must have at least 3 points');
    const poly = [[...r, r[0]]];
    return (v) => {
      const s = toShape(v);
      return s !== undefined && withinPolygons(s, [poly]);
    };
  }
  if (arg.$geometry !== undefined) {
    const g = toShape(arg.$geometry);
    if (!g || g.polygons.length === 0) {
      throw new MongoServerError(2, '$geoWithin not supported with provided geometry: only Polygon and MultiPolygon');
    }
    return (v) => {
      const s = toShape(v);
      return s !== undefined && withinPolygons(s, g.polygons);
    };
  }
  throw badValue(`unknown geo specifier: ${Object.keys(arg)[0] ?? ''}`);
}

export function compileIntersects(arg: Value): (v: Value) => boolean {
  if (!isPlainObject(arg) || !isPlainObject(arg.$geometry)) throw badValue('$geoIntersects needs a $geometry');
  const g = toShape(arg.$geometry);
  if (!g) throw badValue(`Point must be an array or object, instead got type ${typeClass(arg.$geometry)}`);
  return (v) => {
    const s = toShape(v);
    return s !== undefined && intersects(s, g);
  };
}

export interface NearSpec {
  point: Point;
  spherical: boolean;
  /** Distances in meters (GeoJSON) rather than radians (legacy $nearSphere) or flat units. */
  meters: boolean;
  min?: number;
  max?: number;
}

/** Parses `$near`/`$nearSphere` (with its sibling $minDistance/$maxDistance) in any of their forms. */
export function parseNear(op: string, cond: Doc): NearSpec {
  const arg = cond[op];
  let point: Point | undefined;
  let meters = false;
  let min = num(cond.$minDistance);
  let max = num(cond.$maxDistance);
  if (isPlainObject(arg) && hasOwn(arg, '$geometry')) {
    point = toPoint(arg.$geometry);
    meters = true;
    min = num(arg.$minDistance) ?? min;
    max = num(arg.$maxDistance) ?? max;
  } else point = toPoint(arg);
  if (!point) throw badValue(`invalid point in ${op}`);
  if ((min !== undefined && min < 0) || (max !== undefined && max < 0)) {
    throw badValue('$minDistance and $maxDistance must be non-negative');
  }
  return { point, spherical: op === '$nearSphere' || meters, meters, min, max };
}

/** Distance from the query point to a stored geometry (nearest of its points), in the query's units. */
export function nearDistance(spec: NearSpec, v: Value): number | undefined {
  const s = toShape(v);
  if (!s || s.points.length === 0) return undefined;
  let best = Infinity;
  for (const p of s.points) {
    const d = spec.spherical ? sphericalDistance(spec.point, p) : planarDistance(spec.point, p);
    if (d < best) best = d;
  }
  return spec.meters ? best * EARTH_RADIUS_METERS : best;
}

export function withinNear(spec: NearSpec, d: number | undefined): boolean {
  if (d === undefined) return false;
  return (spec.min === undefined || d >= spec.min) && (spec.max === undefined || d <= spec.max);
}
