import { promises as fsp, type promises } from 'node:fs';
import { Block, type Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import { decodeColumns } from '../codec/column-decoder.js';
import { checkSignal, fsError } from '../fs-util.js';
import type { LogRecord } from './log-record.js';
import type { LogSegment } from './log-segment.js';
import type { LogTailCache } from './log-tail-cache.js';
import { RECORD_HEADER_SIZE } from './record-format.js';
import { corruptSegment, scanSegment } from './segment-file.js';

type FileHandle = promises.FileHandle;

/** What a log reader needs from the WriteAheadLog (a view, taken when the read starts). */
export interface LogReadState {
  readonly segments: readonly LogSegment[];
  readonly cache: LogTailCache;
  /** The current generation (changes on truncate). */
  readonly generation: () => number;
  /** Last durable sequence number when the read starts. */
  readonly lastSn: number;
  readonly indexInterval: number;
  readonly headerOf: (schemaVersion: number) => Header;
  readonly pin: (sn: number) => () => void;
}

/**
 * Reads records with sequence numbers in [fromSn, toSn] (toSn defaults to the last durable one at the call),
 * first and last records cut to the range. Stops early (without error) if the log is truncated meanwhile.
 */
export async function* readLog(st: LogReadState, fromSn: number, options: { toSn?: number; signal?: AbortSignal } = {}): AsyncGenerator<LogRecord> {
  const gen = st.generation();
  const toSn = Math.min(options.toSn ?? st.lastSn, st.lastSn);
  if (fromSn > toSn) return;
  if (fromSn < st.segments[0]!.firstSn) {
    throw new DbError('BAD_ARGUMENTS', `Sequence number ${fromSn} is no longer in the log; the earliest is ${st.segments[0]!.firstSn}`);
  }
  const unpin = st.pin(fromSn);
  try {
    let sn = fromSn;
    while (sn <= toSn) {
      checkSignal(options.signal);
      if (gen !== st.generation()) return;
      const cached = st.cache.find(sn);
      if (cached) {
        yield toRecord(st, cached.firstSn, cached.columns(), cached.rows, cached.rec.schemaVersion, cached.appendTimeMs, cached.rec.minTime, cached.rec.maxTime, sn, toSn);
        sn = cached.firstSn + cached.rows;
        continue;
      }
      const before = sn;
      for await (const r of readSegment(st, sn, toSn, gen)) {
        yield r;
        sn = r.lastSn + 1;
        checkSignal(options.signal);
        if (sn > toSn || st.cache.find(sn)) break;
      }
      if (gen !== st.generation()) return;
      if (sn === before) throw new DbError('CORRUPTED_DATA', `Sequence number ${sn} is missing from the write-ahead log`);
    }
  } finally {
    unpin();
  }
}

async function* readSegment(st: LogReadState, sn: number, toSn: number, gen: number): AsyncGenerator<LogRecord> {
  const seg = segmentFor(st.segments, sn);
  if (!seg) return;
  let fh: FileHandle;
  try {
    fh = await fsp.open(seg.file, 'r');
  } catch (e) {
    if (gen !== st.generation()) return;
    throw fsError(e, `cannot open write-ahead log segment ${seg.file}`);
  }
  try {
    if (!seg.indexed) await seg.buildIndex(fh, st.indexInterval);
    for await (const item of scanSegment(fh, seg.seek(sn), seg.size, true)) {
      if (item.kind === 'bad') throw corruptSegment(seg.file, item.offset, item.reason);
      const { header: h, buf, at } = item.rec;
      const recLast = h.firstSn + h.rows - 1;
      if (recLast < sn) continue;
      if (h.firstSn > sn) throw corruptSegment(seg.file, item.rec.offset, `expected sequence number ${sn}, found ${h.firstSn}`);
      const { rows, columns } = decodeColumns(buf, at + RECORD_HEADER_SIZE, at + RECORD_HEADER_SIZE + h.payloadLength);
      if (rows !== h.rows) throw corruptSegment(seg.file, item.rec.offset, `header says ${h.rows} rows, data has ${rows}`);
      yield toRecord(st, h.firstSn, columns, rows, h.schemaVersion, h.appendTimeMs, h.minTime, h.maxTime, sn, toSn);
      sn = recLast + 1;
      if (sn > toSn) return;
    }
  } finally {
    await fh.close();
  }
}

function segmentFor(segments: readonly LogSegment[], sn: number): LogSegment | undefined {
  let lo = 0;
  let hi = segments.length - 1;
  while (lo <= hi) {
    const mid = (lo + hi) >> 1;
    const s = segments[mid]!;
    if (sn < s.firstSn) hi = mid - 1;
    else if (sn > s.lastSn) lo = mid + 1;
    else return s;
  }
  return undefined;
}

function toRecord(
  st: LogReadState,
  firstSn: number,
  columns: Block['columns'],
  rows: number,
  schemaVersion: number,
  appendTimeMs: number,
  minTime: number,
  maxTime: number,
  fromSn: number,
  toSn: number,
): LogRecord {
  const header = st.headerOf(schemaVersion);
  if (header.length !== columns.length) {
    throw new DbError('CORRUPTED_DATA', `Log record at sequence number ${firstSn} has ${columns.length} columns, schema version ${schemaVersion} has ${header.length}`);
  }
  let block = new Block(header, columns, rows);
  const start = Math.max(0, fromSn - firstSn);
  const end = Math.min(rows, toSn - firstSn + 1);
  if (start > 0 || end < rows) block = block.slice(start, end);
  return { firstSn: firstSn + start, lastSn: firstSn + end - 1, block, schemaVersion, appendTimeMs, minTime, maxTime };
}

