import { T, type DataType, isNumber } from '../../types/data-type.js';
import { DbError } from '../../errors/index.js';
import type { Value } from '../../columns/values.js';
import type { ScalarFunction } from '../function.js';
import { illegalType } from '../core/args.js';
import { rowwise } from '../core/rowwise.js';

const CATEGORY = 'Geo';

const EARTH_RADIUS = 6372797.560856;
/** Mean Earth radius that WGS-84 distances use beyond the local (ellipsoid-corrected) approximation. */
const WGS84_MEAN_RADIUS = 6371008.8;
const RAD = Math.PI / 180;

function numArg(name: string, t: DataType, i: number): void {
  if (!isNumber(t)) throw illegalType(name, t, i);
}

/** Central angle in radians between two points given in degrees (haversine). */
function centralAngle(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const dLat = (lat2 - lat1) * RAD;
  const dLon = (lon2 - lon1) * RAD;
  const s1 = Math.sin(dLat / 2);
  const s2 = Math.sin(dLon / 2);
  const a = s1 * s1 + Math.cos(lat1 * RAD) * Math.cos(lat2 * RAD) * s2 * s2;
  return 2 * Math.asin(Math.min(1, Math.sqrt(a)));
}

/** WGS-84 local approximation: metres per degree of latitude / longitude at a latitude (ClickHouse's polynomial). */
function wgs84Planar(lon1: number, lat1: number, lon2: number, lat2: number): number {
  const lat = ((lat1 + lat2) / 2) * RAD;
  const kLat = 111132.92 - 559.82 * Math.cos(2 * lat) + 1.175 * Math.cos(4 * lat) - 0.0023 * Math.cos(6 * lat);
  const kLon = 111412.84 * Math.cos(lat) - 93.5 * Math.cos(3 * lat) + 0.118 * Math.cos(5 * lat);
  let dLon = Math.abs(lon2 - lon1);
  if (dLon > 180) dLon = 360 - dLon;
  const dy = (lat2 - lat1) * kLat;
  const dx = dLon * kLon;
  return Math.sqrt(dx * dx + dy * dy);
}

function checkCoords(name: string, v: readonly Value[]): [number, number, number, number] {
  const [lon1, lat1, lon2, lat2] = v.map(Number) as [number, number, number, number];
  for (const [lon, lat] of [
    [lon1, lat1],
    [lon2, lat2],
  ] as const) {
    if (!(Math.abs(lon) <= 180) || !(Math.abs(lat) <= 90)) {
      // ClickHouse: "Arguments values out of bounds"
      throw new DbError('ARGUMENT_OUT_OF_BOUND', `Arguments values out of bounds for function ${name}`);
    }
  }
  return [lon1, lat1, lon2, lat2];
}

function distanceFunction(name: string, description: string, f: (lon1: number, lat1: number, lon2: number, lat2: number) => number): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description,
    syntax: `${name}(lon1Deg, lat1Deg, lon2Deg, lat2Deg)`,
    returnedValue: 'Float32',
    minArgs: 4,
    bind(args) {
      args.forEach((a, i) => numArg(name, a.type, i));
      return { returnType: T.Float32, row: (v) => Math.fround(f(...checkCoords(name, v))) };
    },
  });
}

const greatCircleDistance = distanceFunction('greatCircleDistance', 'Distance in metres between two points on the Earth (a sphere), coordinates in degrees', (a, b, c, d) => EARTH_RADIUS * centralAngle(a, b, c, d));
const greatCircleAngle = distanceFunction('greatCircleAngle', 'Central angle in degrees between two points on a sphere, coordinates in degrees', (a, b, c, d) => centralAngle(a, b, c, d) / RAD);
const geoDistance = distanceFunction('geoDistance', 'Distance in metres between two points on the WGS-84 ellipsoid (approximation), coordinates in degrees', (lon1, lat1, lon2, lat2) => {
  if (Math.abs(lat1 - lat2) < 5 && Math.abs(lon1 - lon2) < 5) return wgs84Planar(lon1, lat1, lon2, lat2);
  return WGS84_MEAN_RADIUS * centralAngle(lon1, lat1, lon2, lat2);
});

type Pt = [number, number];

function onSegment(p: Pt, a: Pt, b: Pt): boolean {
  const cross = (b[0] - a[0]) * (p[1] - a[1]) - (b[1] - a[1]) * (p[0] - a[0]);
  if (Math.abs(cross) > 1e-12 * Math.max(1, Math.abs(b[0] - a[0]) + Math.abs(b[1] - a[1]))) return false;
  return p[0] >= Math.min(a[0], b[0]) && p[0] <= Math.max(a[0], b[0]) && p[1] >= Math.min(a[1], b[1]) && p[1] <= Math.max(a[1], b[1]);
}

/** 1 inside, 0 outside, 2 on the boundary. */
function ringLocate(p: Pt, ring: readonly Pt[]): 0 | 1 | 2 {
  let inside = false;
  const n = ring.length;
  for (let i = 0, j = n - 1; i < n; j = i++) {
    const a = ring[i]!;
    const b = ring[j]!;
    if (onSegment(p, a, b)) return 2;
    if (a[1] > p[1] !== b[1] > p[1] && p[0] < ((b[0] - a[0]) * (p[1] - a[1])) / (b[1] - a[1]) + a[0]) inside = !inside;
  }
  return inside ? 1 : 0;
}

function checkPointType(t: DataType, i: number): void {
  if (t.kind !== 'Tuple' || t.elements.length !== 2 || !t.elements.every(isNumber)) throw illegalType('pointInPolygon', t, i);
}

const pointInPolygon = rowwise({
  name: 'pointInPolygon',
  category: CATEGORY,
  description: 'Returns 1 when the point is inside the polygon (points on the boundary count as inside); further arguments are holes',
  syntax: 'pointInPolygon((x, y), [(a, b), (c, d), …], [hole…], …)',
  returnedValue: 'UInt8',
  minArgs: 2,
  maxArgs: Infinity,
  bind(args) {
    checkPointType(args[0]!.type, 0);
    for (let i = 1; i < args.length; i++) {
      const t = args[i]!.type;
      if (t.kind !== 'Array') throw illegalType('pointInPolygon', t, i);
      checkPointType(t.element, i);
    }
    return {
      returnType: T.UInt8,
      row(v) {
        const p = (v[0] as Value[]).map(Number) as Pt;
        const outer = (v[1] as Value[][]).map((q) => q.map(Number) as Pt);
        const where = ringLocate(p, outer);
        if (where === 0) return 0;
        if (where === 2) return 1;
        for (let k = 2; k < v.length; k++) {
          const hole = (v[k] as Value[][]).map((q) => q.map(Number) as Pt);
          if (hole.length && ringLocate(p, hole) === 1) return 0;
        }
        return 1;
      },
    };
  },
});

function inEllipse(x: number, y: number, cx: number, cy: number, a: number, b: number): boolean {
  const dx = (x - cx) / a;
  const dy = (y - cy) / b;
  return dx * dx + dy * dy <= 1;
}

const pointInEllipses = rowwise({
  name: 'pointInEllipses',
  category: CATEGORY,
  description: 'Returns 1 when the point (x, y) is inside at least one of the ellipses (x0, y0, a0, b0, …)',
  syntax: 'pointInEllipses(x, y, x0, y0, a0, b0, …, xn, yn, an, bn)',
  returnedValue: 'UInt8',
  minArgs: 6,
  maxArgs: Infinity,
  bind(args) {
    args.forEach((a, i) => numArg('pointInEllipses', a.type, i));
    if ((args.length - 2) % 4 !== 0) {
      throw new DbError('TOO_FEW_ARGUMENTS_FOR_FUNCTION', 'Incorrect number of arguments of function pointInEllipses. Must be 2 for your point plus 4 * N for ellipses (x_i, y_i, a_i, b_i).');
    }
    return {
      returnType: T.UInt8,
      row(v) {
        const n = v.map(Number);
        for (let k = 2; k + 3 < n.length; k += 4) if (inEllipse(n[0]!, n[1]!, n[k]!, n[k + 1]!, n[k + 2]!, n[k + 3]!)) return 1;
        return 0;
      },
    };
  },
});

export const geoFunctions: ScalarFunction[] = [greatCircleDistance, greatCircleAngle, geoDistance, pointInPolygon, pointInEllipses];
