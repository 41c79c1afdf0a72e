import type { promises } from 'node:fs';
import { corruptSegment, scanSegment } from './segment-file.js';

/**
 * One segment file's state: its sequence-number range, the bytes of complete records, and a sparse index
 * (sequence number → byte offset of a record starting there) with an entry at least every `indexInterval` bytes.
 * Sealed segments found at open are indexed lazily, on the first read that needs them.
 */
export class LogSegment {
  private readonly sns: number[] = [];
  private readonly offsets: number[] = [];
  indexed: boolean;

  constructor(
    readonly firstSn: number,
    readonly file: string,
    /** Bytes of complete, durable records. */
    public size: number,
    /** firstSn - 1 when empty. */
    public lastSn: number,
    public lastAppendMs: number,
    indexed: boolean,
  ) {
    this.indexed = indexed;
  }

  get rows(): number {
    return this.lastSn - this.firstSn + 1;
  }

  addIndexEntry(sn: number, offset: number, interval: number): void {
    const n = this.offsets.length;
    if (n === 0 || offset - this.offsets[n - 1]! >= interval) {
      this.sns.push(sn);
      this.offsets.push(offset);
    }
  }

  /** Byte offset of the last indexed record whose first sequence number is <= sn (0 when none). */
  seek(sn: number): number {
    let lo = 0;
    let hi = this.sns.length - 1;
    let best = 0;
    while (lo <= hi) {
      const mid = (lo + hi) >> 1;
      if (this.sns[mid]! <= sn) {
        best = this.offsets[mid]!;
        lo = mid + 1;
      } else hi = mid - 1;
    }
    return best;
  }

  /** Builds the sparse index of a sealed segment by walking its record headers. */
  async buildIndex(fh: promises.FileHandle, interval: number): Promise<void> {
    if (this.indexed) return;
    let expect = this.firstSn;
    for await (const item of scanSegment(fh, 0, this.size, false)) {
      if (item.kind === 'bad') throw corruptSegment(this.file, item.offset, item.reason);
      const h = item.rec.header;
      if (h.firstSn !== expect) throw corruptSegment(this.file, item.rec.offset, `sequence number ${h.firstSn}, expected ${expect}`);
      this.addIndexEntry(h.firstSn, item.rec.offset, interval);
      expect += h.rows;
    }
    if (expect - 1 > this.lastSn) {
      throw corruptSegment(this.file, this.size, `segment ends at sequence number ${expect - 1}, expected ${this.lastSn}`);
    }
    // Ending early is a gap left when a lost, already committed tail was skipped (see WriteAheadLog.init).
    this.lastSn = expect - 1;
    this.indexed = true;
  }
}
