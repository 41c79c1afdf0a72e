import { promises as fsp, type promises } from 'node:fs';
import * as path from 'node:path';
import { DbError } from '../../errors/index.js';
import { readAt } from '../fs-util.js';
import { parseRecordHeader, RECORD_HEADER_SIZE, RECORD_MAGIC, recordCrcMatches, type RecordHeader } from './record-format.js';

type FileHandle = promises.FileHandle;

/** Segment files are named by the first sequence number they hold: `00000000000000000042.seg`. */
export const SEGMENT_SUFFIX = '.seg';

export function segmentFileName(firstSn: number): string {
  return `${String(firstSn).padStart(20, '0')}${SEGMENT_SUFFIX}`;
}

export function parseSegmentFileName(name: string): number | undefined {
  const m = /^(\d{20})\.seg$/.exec(name);
  return m ? Number(m[1]) : undefined;
}

const CHUNK = 1 << 20;

export interface ScannedRecord {
  readonly offset: number;
  readonly header: RecordHeader;
  /** The record's bytes are buf[at, at + header.totalLength) (only when the scan reads payloads). */
  readonly buf: Uint8Array;
  readonly at: number;
}

export type ScanItem = { kind: 'record'; rec: ScannedRecord } | { kind: 'bad'; offset: number; reason: string };

/**
 * Walks the records of a segment from `offset` to `end`. With `payloads` the whole record is read and its CRC
 * checked; without, only headers are read (records larger than a chunk are skipped by position). Stops after
 * yielding a `bad` item.
 */
export async function* scanSegment(fh: FileHandle, offset: number, end: number, payloads: boolean): AsyncGenerator<ScanItem> {
  let buf: Uint8Array = new Uint8Array(0);
  let bufStart = offset;
  let pos = offset;
  while (pos < end) {
    if (pos < bufStart || pos + RECORD_HEADER_SIZE > bufStart + buf.length) {
      buf = await readAt(fh, pos, Math.min(CHUNK, end - pos));
      bufStart = pos;
    }
    const h = parseRecordHeader(buf, pos - bufStart, end - pos);
    if (typeof h === 'string') {
      yield { kind: 'bad', offset: pos, reason: h };
      return;
    }
    if (payloads) {
      if (pos + h.totalLength > bufStart + buf.length) {
        buf = await readAt(fh, pos, Math.min(Math.max(CHUNK, h.totalLength), end - pos));
        bufStart = pos;
        if (buf.length < h.totalLength) {
          yield { kind: 'bad', offset: pos, reason: 'record runs past the end of the file' };
          return;
        }
      }
      if (!recordCrcMatches(buf, pos - bufStart, h)) {
        yield { kind: 'bad', offset: pos, reason: 'CRC32C mismatch' };
        return;
      }
    }
    yield { kind: 'record', rec: { offset: pos, header: h, buf, at: pos - bufStart } };
    pos += h.totalLength;
  }
}

/**
 * After a bad record at `from` in the last segment: is there a valid record starting a later group-commit
 * batch? If so the damage is not a torn tail (batches are written one after another, each fsynced before the
 * next starts) but corruption of acknowledged data.
 */
export async function validBatchStartAfter(fh: FileHandle, from: number, end: number, batchStartFlag: number): Promise<number | undefined> {
  const buf = await readAt(fh, from, end - from);
  const view = new DataView(buf.buffer, buf.byteOffset, buf.byteLength);
  for (let at = 8; at + RECORD_HEADER_SIZE <= buf.length; at += 8) {
    if (view.getUint32(at, true) !== RECORD_MAGIC) continue;
    const h = parseRecordHeader(buf, at, buf.length - at);
    if (typeof h === 'string' || !(h.flags & batchStartFlag)) continue;
    if (recordCrcMatches(buf, at, h)) return from + at;
  }
  return undefined;
}

export function corruptSegment(file: string, offset: number, reason: string): DbError {
  return new DbError('CORRUPTED_DATA', `Write-ahead log segment ${path.basename(file)} is corrupted at byte ${offset}: ${reason}`);
}

export async function listSegments(dir: string): Promise<number[]> {
  const names = await fsp.readdir(dir);
  const sns: number[] = [];
  for (const n of names) {
    const sn = parseSegmentFileName(n);
    if (sn !== undefined) sns.push(sn);
  }
  return sns.sort((a, b) => a - b);
}
