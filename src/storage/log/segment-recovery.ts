import type { promises } from 'node:fs';
import { FLAG_BATCH_START } from './record-format.js';
import type { LogSegment } from './log-segment.js';
import { corruptSegment, scanSegment, validBatchStartAfter } from './segment-file.js';

export interface RecoveryOptions {
  readonly indexInterval: number;
  /**
   * Appends were fsynced batch by batch, so only the last batch can be torn: damage followed by an intact later
   * batch is corruption (CORRUPTED_DATA). Without fsync any number of batches may be torn and everything from
   * the first bad record is dropped.
   */
  readonly strict: boolean;
  readonly warn: (msg: string) => void;
}

/**
 * Recovers the last (active) segment: reads every record and checks its CRC and sequence number, fills the
 * segment's size, last sequence number and index, and truncates a torn tail (a partial or unsynced record left
 * by a crash) so no half-written record is ever exposed.
 */
export async function recoverLastSegment(fh: promises.FileHandle, seg: LogSegment, opts: RecoveryOptions): Promise<void> {
  const size = (await fh.stat()).size;
  let expect = seg.firstSn;
  let validEnd = 0;
  for await (const item of scanSegment(fh, 0, size, true)) {
    if (item.kind === 'bad') {
      if (opts.strict) {
        const later = await validBatchStartAfter(fh, item.offset, size, FLAG_BATCH_START);
        if (later !== undefined) {
          throw corruptSegment(seg.file, item.offset, `${item.reason}; an intact later batch starts at byte ${later}, so this is not a torn tail`);
        }
      }
      break;
    }
    const { header: h, offset } = item.rec;
    if (h.firstSn !== expect) throw corruptSegment(seg.file, offset, `sequence number ${h.firstSn}, expected ${expect}`);
    seg.addIndexEntry(h.firstSn, offset, opts.indexInterval);
    seg.lastAppendMs = h.appendTimeMs;
    expect += h.rows;
    validEnd = offset + h.totalLength;
  }
  if (validEnd < size) {
    opts.warn(`write-ahead log ${seg.file}: truncating a torn tail of ${size - validEnd} bytes at byte ${validEnd}`);
    await fh.truncate(validEnd);
    await fh.datasync();
  }
  seg.size = validEnd;
  seg.lastSn = expect - 1;
}
