import { promises as fs } from 'node:fs';
import path from 'node:path';
import { Block } from '../core/block.js';
import type { DataType } from '../types/data-type.js';
import { DbError } from '../errors/index.js';
import { writeFileAtomic } from '../catalog/atomic-file.js';
import { crc32c } from '../storage/log/crc32c.js';
import { BinaryReader, BinaryWriter } from '../types/serializations/buffer.js';
import { decodeNativeBlock, encodeNativeBlock } from '../formats/native-block.js';
import type { GroupTableSnapshot } from './group-table.js';
import type { AggregateCheckpoint } from './streaming-aggregate.js';
import type { SessionSnapshot } from './session-window.js';
import type { DedupKey, DedupSnapshot } from './dedup.js';
import type { JoinCheckpoint } from './join/streaming-join.js';
import { decodeJoinCheckpoint, encodeJoinCheckpoint } from './join/checkpoint.js';

/**
 * A materialized view's checkpoint: for each streaming source the sequence number through which its events are
 * in the state, the watermark clock (windowed aggregation), and the aggregation state. One file, replaced
 * atomically (tmp + fsync + rename + fsync dir), so a crash leaves the previous checkpoint or the new one.
 *
 * Layout: "HMVC", u32 version, u32 CRC32C of the rest, then a JSON string (metadata) and, for each state table
 * (the global one, or one per open window in `windows` order): varuint rows, varuint groups, the key columns as
 * a Native block, then per aggregate and group a length-prefixed AggregateStates.serializeState. Windows per
 * substream then add the partition keys as a Native block (the JSON holds each window's partition). Then EMIT
 * CHANGELOG's last results (version 3), the session windows' state (version 4, see writeSessions), each
 * changelog conversion's rows as a Native block, for a view over a streaming join (version 3) the join's state:
 * varuint length and the bytes of encodeJoinCheckpoint (`sources` then has one position per stream, in the
 * join's scan order: left side first), each dedup()'s keys (version 4, see writeDedup), and each stateful
 * function's rows as a one-column Native block (version 5).
 */
export interface MaterializedViewCheckpoint {
  /** Per streaming source (plan order): every event with sn <= this is reflected in the state. */
  readonly sources: readonly { readonly table: string; readonly sn: number }[];
  /** Watermark clock of a windowed aggregation: the largest event time seen and late events counted. */
  readonly clock?: { readonly maxEventTime: number; readonly lateEvents: number };
  readonly aggregate?: AggregateCheckpoint;
  /** The latest row per key of each changelog conversion (versioned_kv, changelog()), in plan order. */
  readonly converts?: readonly Block[];
  /** A view over a streaming join: both sides' live rows and watermarks (every stream's position is in `sources`). */
  readonly join?: JoinCheckpoint;
  /** The keys each dedup() holds, in plan order (version 4). */
  readonly dedups?: readonly DedupSnapshot[];
  /** The rows each stateful function (lag, lags, streaming neighbor) carries, in the order the query resolved them (version 5). */
  readonly functions?: readonly Block[];
  /** Wall-clock time the checkpoint was taken (ms). */
  readonly timeMs: number;
}

const MAGIC = 0x43564d48; // "HMVC" little-endian
/**
 * 2 added group net counts (changelog input) and changelog conversion states, 3 the join state, the groups
 * changed since the last emission and EMIT CHANGELOG's last emitted results, 4 session windows and dedup(),
 * 5 stateful functions; 1 to 4 are still read.
 */
const VERSION = 5;

interface Meta {
  sources: { table: string; sn: number }[];
  clock?: { maxEventTime: number | null; lateEvents: number };
  timeMs: number;
  aggregate?: {
    emitVersion: number;
    global: boolean;
    windows?: number[];
    /** Windows per substream: each window's partition, and per partition its watermark (null: none yet) and emissions. */
    parts?: number[];
    substreams?: { maxTime: (number | null)[]; versions: number[] };
    /** EMIT CHANGELOG: the results last emitted follow the tables (version 3). */
    emitted?: boolean;
    /** Session windows (version 4): the number of substreams, which key blocks follow, the number of aggregates. */
    sessions?: SessionsMeta;
  };
  converts?: number;
  join?: boolean;
  dedups?: number;
  functions?: number;
}

function writeTable(w: BinaryWriter, t: GroupTableSnapshot, keyTypes: readonly DataType[]): void {
  w.varuint(t.rows);
  w.varuint(t.groups);
  const header = keyTypes.map((type, i) => ({ name: `k${i}`, type }));
  encodeNativeBlock(new Block(header, [...t.keys], t.keys.length ? t.groups : 0), w, { revision: 0, withBlockInfo: false });
  w.varuint(t.states.length);
  for (const perGroup of t.states) {
    for (let g = 0; g < t.groups; g++) {
      const b = perGroup[g]!;
      w.varuint(b.length);
      w.bytes(b);
    }
  }
  w.u8(t.net ? 1 : 0);
  if (t.net) for (let g = 0; g < t.groups; g++) w.f64(t.net[g]!);
  w.u8(t.changed ? 1 : 0);
  if (t.changed) w.bytes(t.changed.subarray(0, t.groups));
}

function readTable(r: BinaryReader, version: number): GroupTableSnapshot {
  const rows = r.varuint();
  const groups = r.varuint();
  const keys = decodeNativeBlock(r, { revision: 0, withBlockInfo: false });
  const n = r.varuint();
  const states: Uint8Array[][] = [];
  for (let j = 0; j < n; j++) {
    const perGroup: Uint8Array[] = [];
    for (let g = 0; g < groups; g++) perGroup.push(r.bytes(r.varuint()).slice());
    states.push(perGroup);
  }
  let net: Float64Array | undefined;
  if (version >= 2 && r.u8() === 1) {
    net = new Float64Array(groups);
    for (let g = 0; g < groups; g++) net[g] = r.f64();
  }
  const changed = version >= 3 && r.u8() === 1 ? r.bytes(groups).slice() : undefined;
  return { rows, groups, keys: keys.header.length ? keys.columns : [], states, net, changed };
}

/**
 * Session windows: the substreams' keys and the groups' keys as Native blocks (when there are any), then per
 * substream a byte (open) and five f64 (window start and end, idle and maximum-length deadlines, emissions), then
 * per open session its group ids (varuint count, varuints), then per aggregate each of those groups'
 * length-prefixed state.
 */
function writeSessions(w: BinaryWriter, t: SessionSnapshot): void {
  if (t.substreams) encodeNativeBlock(t.substreams, w, { revision: 0, withBlockInfo: false });
  if (t.groups) encodeNativeBlock(t.groups, w, { revision: 0, withBlockInfo: false });
  for (let k = 0; k < t.substreamCount; k++) {
    w.u8(t.open[k]!);
    w.f64(t.winStart[k]!);
    w.f64(t.winEnd[k]!);
    w.f64(t.timeoutAt[k]!);
    w.f64(t.maxAt[k]!);
    w.f64(t.emitted[k]!);
  }
  for (const groups of t.sessionGroups) {
    w.varuint(groups.length);
    for (const g of groups) w.varuint(g);
  }
  for (const perGroup of t.states) {
    for (const b of perGroup) {
      w.varuint(b.length);
      w.bytes(b);
    }
  }
}

interface SessionsMeta {
  substreamCount: number;
  substreamKeys: boolean;
  groupKeys: boolean;
  aggregates: number;
}

function readSessions(r: BinaryReader, m: SessionsMeta): SessionSnapshot {
  const substreams = m.substreamKeys ? decodeNativeBlock(r, { revision: 0, withBlockInfo: false }) : undefined;
  const groups = m.groupKeys ? decodeNativeBlock(r, { revision: 0, withBlockInfo: false }) : undefined;
  const n = m.substreamCount;
  const open = new Uint8Array(n);
  const [winStart, winEnd, timeoutAt, maxAt, emitted] = [0, 0, 0, 0, 0].map(() => new Float64Array(n)) as [Float64Array, Float64Array, Float64Array, Float64Array, Float64Array];
  let opened = 0;
  for (let k = 0; k < n; k++) {
    open[k] = r.u8();
    opened += open[k]!;
    winStart[k] = r.f64();
    winEnd[k] = r.f64();
    timeoutAt[k] = r.f64();
    maxAt[k] = r.f64();
    emitted[k] = r.f64();
  }
  const sessionGroups = Array.from({ length: opened }, () => Uint32Array.from({ length: r.varuint() }, () => r.varuint()));
  const total = sessionGroups.reduce((s, g) => s + g.length, 0);
  const states = Array.from({ length: m.aggregates }, () => Array.from({ length: total }, () => r.bytes(r.varuint()).slice()));
  return { substreams, substreamCount: n, groups, open, winStart, winEnd, timeoutAt, maxAt, emitted, sessionGroups, states };
}

/** dedup(): varuint count, then per key (oldest first) a tag (0 NULL, 1 number, 2 bigint, 3 string), its value and the f64 time first seen. */
function writeDedup(w: BinaryWriter, d: DedupSnapshot): void {
  w.varuint(d.keys.length);
  d.keys.forEach((k, i) => {
    if (k === null) w.u8(0);
    else if (typeof k === 'number') {
      w.u8(1);
      w.f64(k);
    } else if (typeof k === 'bigint') {
      w.u8(2);
      w.string(k.toString());
    } else {
      w.u8(3);
      w.string(k);
    }
    w.f64(d.times[i]!);
  });
}

function readDedup(r: BinaryReader): DedupSnapshot {
  const n = r.varuint();
  const keys: DedupKey[] = new Array(n);
  const times: number[] = new Array(n);
  for (let i = 0; i < n; i++) {
    const tag = r.u8();
    keys[i] = tag === 0 ? null : tag === 1 ? r.f64() : tag === 2 ? BigInt(r.string()) : r.string();
    times[i] = r.f64();
  }
  return { keys, times };
}

export function encodeCheckpoint(cp: MaterializedViewCheckpoint, keyTypes: readonly DataType[]): Uint8Array {
  const agg = cp.aggregate;
  const meta: Meta = {
    sources: cp.sources.map((s) => ({ ...s })),
    clock: cp.clock ? { maxEventTime: Number.isFinite(cp.clock.maxEventTime) ? cp.clock.maxEventTime : null, lateEvents: cp.clock.lateEvents } : undefined,
    timeMs: cp.timeMs,
    aggregate: agg
      ? {
          emitVersion: agg.emitVersion,
          global: !!agg.global,
          windows: agg.windows?.map((w) => w.end),
          parts: agg.substreams ? agg.windows?.map((w) => w.part ?? 0) : undefined,
          substreams: agg.substreams
            ? { maxTime: agg.substreams.maxTime.map((t) => (Number.isFinite(t) ? t : null)), versions: [...agg.substreams.versions] }
            : undefined,
          emitted: agg.emitted ? true : undefined,
          sessions: agg.sessions
            ? { substreamCount: agg.sessions.substreamCount, substreamKeys: !!agg.sessions.substreams, groupKeys: !!agg.sessions.groups, aggregates: agg.sessions.states.length }
            : undefined,
        }
      : undefined,
    converts: cp.converts?.length,
    join: cp.join ? true : undefined,
    dedups: cp.dedups?.length,
    functions: cp.functions?.length,
  };
  const body = new BinaryWriter();
  body.string(JSON.stringify(meta));
  if (agg?.global) writeTable(body, agg.global, keyTypes);
  for (const w of agg?.windows ?? []) writeTable(body, w.table, keyTypes);
  if (agg?.substreams) encodeNativeBlock(agg.substreams.partitions, body, { revision: 0, withBlockInfo: false });
  if (agg?.emitted) {
    encodeNativeBlock(agg.emitted.block, body, { revision: 0, withBlockInfo: false });
    body.bytes(agg.emitted.present);
  }
  if (agg?.sessions) writeSessions(body, agg.sessions);
  for (const b of cp.converts ?? []) encodeNativeBlock(b, body, { revision: 0, withBlockInfo: false });
  if (cp.join) {
    const join = encodeJoinCheckpoint(cp.join);
    body.varuint(join.length);
    body.bytes(join);
  }
  for (const d of cp.dedups ?? []) writeDedup(body, d);
  for (const b of cp.functions ?? []) encodeNativeBlock(b, body, { revision: 0, withBlockInfo: false });
  const payload = body.toBytes();
  const out = new BinaryWriter(payload.length + 16);
  out.u32(MAGIC);
  out.u32(VERSION);
  out.u32(crc32c(payload));
  out.bytes(payload);
  return out.toBytes();
}

export function decodeCheckpoint(bytes: Uint8Array, file: string): MaterializedViewCheckpoint {
  const bad = (why: string) => new DbError('CORRUPTED_DATA', `Materialized view checkpoint ${file} is corrupt: ${why}`);
  if (bytes.length < 12) throw bad('too short');
  const head = new BinaryReader(bytes);
  if (head.u32() !== MAGIC) throw bad('bad magic');
  const version = head.u32();
  if (version < 1 || version > VERSION) throw bad(`unknown version ${version}`);
  const crc = head.u32();
  const payload = bytes.subarray(12);
  if (crc32c(payload) !== crc) throw bad('checksum mismatch');
  const r = new BinaryReader(payload);
  const meta = JSON.parse(r.string()) as Meta;
  let aggregate: AggregateCheckpoint | undefined;
  if (meta.aggregate) {
    const global = meta.aggregate.global ? readTable(r, version) : undefined;
    const parts = meta.aggregate.parts;
    const windows = meta.aggregate.windows?.map((end, i) => ({ end, part: parts?.[i], table: readTable(r, version) }));
    const sub = meta.aggregate.substreams;
    const substreams = sub
      ? { partitions: decodeNativeBlock(r, { revision: 0, withBlockInfo: false }), maxTime: sub.maxTime.map((t) => t ?? -Infinity), versions: sub.versions }
      : undefined;
    let emitted: AggregateCheckpoint['emitted'];
    if (version >= 3 && meta.aggregate.emitted) {
      const block = decodeNativeBlock(r, { revision: 0, withBlockInfo: false });
      emitted = { block, present: r.bytes(block.rows).slice() };
    }
    const sessionsMeta = version >= 4 ? meta.aggregate.sessions : undefined;
    const sessions = sessionsMeta ? readSessions(r, sessionsMeta) : undefined;
    aggregate = { emitVersion: meta.aggregate.emitVersion, global, windows, substreams, emitted, sessions };
  }
  const converts = Array.from({ length: meta.converts ?? 0 }, () => decodeNativeBlock(r, { revision: 0, withBlockInfo: false }));
  const join = version >= 3 && meta.join ? decodeJoinCheckpoint(r.bytes(r.varuint())) : undefined;
  const dedups = version >= 4 && meta.dedups ? Array.from({ length: meta.dedups }, () => readDedup(r)) : undefined;
  const functions = version >= 5 && meta.functions ? Array.from({ length: meta.functions }, () => decodeNativeBlock(r, { revision: 0, withBlockInfo: false })) : undefined;
  return {
    sources: meta.sources,
    clock: meta.clock ? { maxEventTime: meta.clock.maxEventTime ?? -Infinity, lateEvents: meta.clock.lateEvents } : undefined,
    aggregate,
    converts: converts.length ? converts : undefined,
    join,
    dedups,
    functions,
    timeMs: meta.timeMs,
  };
}

/** Where one materialized view keeps its checkpoint: `<data>/checkpoints/<view uuid>/`. */
export class CheckpointStore {
  readonly dir: string;
  readonly file: string;

  constructor(dataDir: string, viewUuid: string) {
    this.dir = path.join(dataDir, 'checkpoints', viewUuid);
    this.file = path.join(this.dir, 'checkpoint.bin');
  }

  async load(): Promise<MaterializedViewCheckpoint | undefined> {
    let bytes: Uint8Array;
    try {
      bytes = await fs.readFile(this.file);
    } catch (e) {
      if ((e as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
      throw e;
    }
    return decodeCheckpoint(bytes, this.file);
  }

  async save(bytes: Uint8Array): Promise<void> {
    await writeFileAtomic(this.file, bytes);
  }

  async remove(): Promise<void> {
    await fs.rm(this.dir, { recursive: true, force: true });
  }
}
