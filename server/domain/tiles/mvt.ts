// A Mapbox Vector Tile 2.1 encoder for geometries already in tile coordinates (y down, integer grid).
// PostGIS encodes tiles itself with ST_AsMVT; this serves the embedded PGlite build, which lacks protobuf-c.
import type { Geometry, Position } from 'geojson';

export type MvtValue = string | number | boolean;

export interface MvtFeature {
  id?: number;
  /** Coordinates in tile space: 0…extent, y pointing down, already clipped and snapped to integers. */
  geometry: Geometry;
  properties: Record<string, MvtValue | null | undefined>;
}

export interface MvtLayer {
  name: string;
  extent: number;
  features: MvtFeature[];
}

const enum GeomType {
  Point = 1,
  LineString = 2,
  Polygon = 3,
}

const utf8 = new TextEncoder();

/** Bytes a value takes as a protobuf varint. */
function varintSize(value: number): number {
  let size = 1;
  for (let v = value; v >= 0x80; v = Math.floor(v / 0x80)) size++;
  return size;
}

/** Minimal protobuf writer: the handful of wire forms a vector tile uses. */
class ProtoWriter {
  private buf: Uint8Array;
  private pos = 0;

  constructor(initialBytes = 1024) {
    this.buf = new Uint8Array(initialBytes);
  }

  private reserve(n: number): void {
    if (this.pos + n <= this.buf.length) return;
    let size = this.buf.length * 2;
    while (size < this.pos + n) size *= 2;
    const next = new Uint8Array(size);
    next.set(this.buf.subarray(0, this.pos));
    this.buf = next;
  }

  varint(value: number): void {
    this.reserve(10);
    let v = value;
    while (v >= 0x80) {
      this.buf[this.pos++] = (v % 0x80) | 0x80;
      v = Math.floor(v / 0x80);
    }
    this.buf[this.pos++] = v;
  }

  tag(field: number, wireType: 0 | 1 | 2): void {
    this.varint((field << 3) | wireType);
  }

  bytes(field: number, data: Uint8Array): void {
    this.tag(field, 2);
    this.varint(data.length);
    this.reserve(data.length);
    this.buf.set(data, this.pos);
    this.pos += data.length;
  }

  string(field: number, value: string): void {
    this.bytes(field, utf8.encode(value));
  }

  uint(field: number, value: number): void {
    this.tag(field, 0);
    this.varint(value);
  }

  double(field: number, value: number): void {
    this.tag(field, 1);
    this.reserve(8);
    new DataView(this.buf.buffer, this.buf.byteOffset + this.pos, 8).setFloat64(0, value, true);
    this.pos += 8;
  }

  /** Varints written in place after their byte length: no intermediate buffer per field. */
  packed(field: number, values: number[]): void {
    let length = 0;
    for (const v of values) length += varintSize(v);
    this.tag(field, 2);
    this.varint(length);
    this.reserve(length);
    for (const v of values) this.varint(v);
  }

  finish(): Uint8Array {
    return this.buf.slice(0, this.pos);
  }
}

const zigzag = (n: number) => (n >= 0 ? n * 2 : -n * 2 - 1);
const command = (id: number, count: number) => (id & 7) | (count << 3);

/** Twice the ring's surveyor's-formula area in tile space; positive means clockwise on screen (an outer ring). */
function ringArea(ring: Position[]): number {
  let sum = 0;
  for (let i = 0, j = ring.length - 1; i < ring.length; j = i++) sum += ring[j][0] * ring[i][1] - ring[i][0] * ring[j][1];
  return sum;
}

/** Open ring without repeated vertices; the closing vertex is implied by ClosePath. */
function openRing(ring: Position[]): Position[] {
  const out: Position[] = [];
  for (const p of ring) {
    const last = out[out.length - 1];
    if (!last || last[0] !== p[0] || last[1] !== p[1]) out.push(p);
  }
  if (out.length > 1 && out[0][0] === out[out.length - 1][0] && out[0][1] === out[out.length - 1][1]) out.pop();
  return out;
}

class GeometryEncoder {
  readonly commands: number[] = [];
  private cx = 0;
  private cy = 0;

  private delta(p: Position): void {
    const x = Math.round(p[0]);
    const y = Math.round(p[1]);
    this.commands.push(zigzag(x - this.cx), zigzag(y - this.cy));
    this.cx = x;
    this.cy = y;
  }

  points(points: Position[]): void {
    if (points.length === 0) return;
    this.commands.push(command(1, points.length));
    for (const p of points) this.delta(p);
  }

  line(line: Position[], close: boolean): void {
    this.commands.push(command(1, 1));
    this.delta(line[0]);
    this.commands.push(command(2, line.length - 1));
    for (const p of line.slice(1)) this.delta(p);
    if (close) this.commands.push(command(7, 1));
  }

  /** Outer ring clockwise on screen, holes counter-clockwise, as the spec requires; degenerate rings dropped. */
  polygon(rings: Position[][]): void {
    rings.forEach((raw, index) => {
      const ring = openRing(raw);
      if (ring.length < 3) return;
      const area = ringArea(ring);
      if (area === 0) return;
      const outer = index === 0;
      if (outer !== area > 0) ring.reverse();
      this.line(ring, true);
    });
  }
}

function encodeGeometry(geometry: Geometry): { type: GeomType; commands: number[] } | null {
  const encoder = new GeometryEncoder();
  switch (geometry.type) {
    case 'Point':
      encoder.points([geometry.coordinates]);
      return { type: GeomType.Point, commands: encoder.commands };
    case 'MultiPoint':
      encoder.points(geometry.coordinates);
      return encoder.commands.length ? { type: GeomType.Point, commands: encoder.commands } : null;
    case 'LineString':
    case 'MultiLineString': {
      const lines = geometry.type === 'LineString' ? [geometry.coordinates] : geometry.coordinates;
      for (const line of lines) if (line.length >= 2) encoder.line(line, false);
      return encoder.commands.length ? { type: GeomType.LineString, commands: encoder.commands } : null;
    }
    case 'Polygon':
    case 'MultiPolygon': {
      const polygons = geometry.type === 'Polygon' ? [geometry.coordinates] : geometry.coordinates;
      for (const polygon of polygons) {
        const outer = openRing(polygon[0] ?? []);
        if (outer.length >= 3 && ringArea(outer) !== 0) encoder.polygon(polygon);
      }
      return encoder.commands.length ? { type: GeomType.Polygon, commands: encoder.commands } : null;
    }
    case 'GeometryCollection':
      return null;
  }
}

function encodeValue(value: MvtValue): Uint8Array {
  const w = new ProtoWriter();
  if (typeof value === 'string') w.string(1, value);
  else if (typeof value === 'boolean') w.uint(7, value ? 1 : 0);
  else if (Number.isSafeInteger(value) && value >= 0) w.uint(5, value);
  else if (Number.isSafeInteger(value)) {
    w.tag(6, 0);
    w.varint(zigzag(value));
  } else w.double(3, value);
  return w.finish();
}

function encodeLayer(layer: MvtLayer): Uint8Array | null {
  const keys = new Map<string, number>();
  const values = new Map<string, { index: number; value: MvtValue }>();
  const features: Uint8Array[] = [];
  for (const feature of layer.features) {
    const geometry = encodeGeometry(feature.geometry);
    if (!geometry) continue;
    const tags: number[] = [];
    for (const [key, value] of Object.entries(feature.properties)) {
      if (value === null || value === undefined) continue;
      if (!keys.has(key)) keys.set(key, keys.size);
      const valueKey = `${typeof value}:${String(value)}`;
      if (!values.has(valueKey)) values.set(valueKey, { index: values.size, value });
      tags.push(keys.get(key)!, values.get(valueKey)!.index);
    }
    const w = new ProtoWriter(64 + 4 * (tags.length + geometry.commands.length));
    if (feature.id !== undefined) w.uint(1, feature.id);
    if (tags.length) w.packed(2, tags);
    w.uint(3, geometry.type);
    w.packed(4, geometry.commands);
    features.push(w.finish());
  }
  if (features.length === 0) return null;
  const w = new ProtoWriter();
  w.uint(15, 2);
  w.string(1, layer.name);
  for (const f of features) w.bytes(2, f);
  for (const key of keys.keys()) w.string(3, key);
  for (const { value } of values.values()) w.bytes(4, encodeValue(value));
  w.uint(5, layer.extent);
  return w.finish();
}

/**
 * Encodes layers into one vector tile; layers without a drawable feature are left out, so a tile with
 * nothing to draw is zero bytes long (as ST_AsMVT returns it).
 * @example encodeMvt([{ name: 'grids', extent: 4096, features: [{ geometry: { type: 'Point', coordinates: [10, 20] }, properties: { code: 'a' } }] }])
 */
export function encodeMvt(layers: MvtLayer[]): Uint8Array {
  const w = new ProtoWriter();
  for (const layer of layers) {
    const encoded = encodeLayer(layer);
    if (encoded) w.bytes(3, encoded);
  }
  return w.finish();
}
