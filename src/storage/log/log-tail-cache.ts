import type { Column } from '../../columns/column.js';
import { decodeColumns } from '../codec/column-decoder.js';
import { RECORD_HEADER_SIZE, type PendingRecord } from './record-format.js';

/** A record appended by this process, kept as its encoded bytes and decoded on first use. */
export class CachedRecord {
  private decoded: Column[] | null = null;
  constructor(
    readonly firstSn: number,
    readonly rec: PendingRecord,
    readonly appendTimeMs: number,
  ) {}
  get rows(): number {
    return this.rec.rows;
  }
  columns(): Column[] {
    if (!this.decoded) {
      const b = this.rec.buf;
      this.decoded = decodeColumns(b, RECORD_HEADER_SIZE, RECORD_HEADER_SIZE + this.rec.payloadLength).columns;
    }
    return this.decoded;
  }
}


/**
 * The newest durable records in memory (a contiguous run ending at the log's end), bounded by bytes, so the
 * committer and tailing readers rarely go back to disk. Oldest records are evicted first.
 */
export class LogTailCache {
  private entries: CachedRecord[] = [];
  private head = 0;
  private bytes = 0;

  constructor(private readonly maxBytes: number) {}

  push(firstSn: number, rec: PendingRecord, appendTimeMs: number): void {
    if (this.maxBytes <= 0) return;
    const last = this.entries[this.entries.length - 1];
    if (last && last.firstSn + last.rows !== firstSn) this.clear();
    this.entries.push(new CachedRecord(firstSn, rec, appendTimeMs));
    this.bytes += rec.buf.length;
    while (this.bytes > this.maxBytes && this.head < this.entries.length) {
      this.bytes -= this.entries[this.head]!.rec.buf.length;
      this.entries[this.head++] = undefined as unknown as CachedRecord;
    }
    if (this.head > 1024 && this.head * 2 > this.entries.length) {
      this.entries = this.entries.slice(this.head);
      this.head = 0;
    }
  }

  /**
   * Drops records committed to parts (at or below `committedSn`) beyond `keepBytes`: the committer no longer
   * needs them, and tailing readers mostly read the newest.
   */
  trimCommitted(committedSn: number, keepBytes = Math.min(this.maxBytes, 8 << 20)): void {
    while (this.head < this.entries.length && this.bytes > keepBytes) {
      const e = this.entries[this.head]!;
      if (e.firstSn + e.rows - 1 > committedSn) break;
      this.bytes -= e.rec.buf.length;
      this.entries[this.head++] = undefined as unknown as CachedRecord;
    }
  }

  /** The cached record holding `sn`, if any. */
  find(sn: number): CachedRecord | undefined {
    let lo = this.head;
    let hi = this.entries.length - 1;
    if (hi < lo || sn < this.entries[lo]!.firstSn) return undefined;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      const e = this.entries[mid]!;
      if (sn < e.firstSn) hi = mid - 1;
      else if (sn >= e.firstSn + e.rows) lo = mid + 1;
      else return e;
    }
    return undefined;
  }

  clear(): void {
    this.entries = [];
    this.head = 0;
    this.bytes = 0;
  }
}
