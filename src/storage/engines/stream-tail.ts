import { Block } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import type { TailOptions } from '../table-storage.js';
import { filterByTime } from './time-filter.js';
import type { StreamCore } from './stream-core.js';
import { projectColumns, readStream, resolveColumns } from './stream-read.js';

/**
 * An unbounded read of a stream: optionally history first (parts plus the log up to a snapshot), then every
 * record appended after it, forever. The hand-over happens at the snapshot's last sequence number, so each
 * acknowledged row is read exactly once however the committer moves data meanwhile.
 */
/** Rows per block handed to a streaming query from one log record. */
const TAIL_SLICE_ROWS = 65536;

export async function* tailStream(core: StreamCore, o: TailOptions): AsyncGenerator<Block> {
  const cols = resolveColumns(core.header, o.columns);
  const wal = core.wal;
  const start = o.start;
  let next: number;
  let readHistory = false;
  if (start.kind === 'latest') next = wal.lastSn + 1;
  else if (start.kind === 'sn' && start.sn > wal.lastSn) next = start.sn;
  else if (start.kind === 'sn' && start.sn >= wal.firstSn) next = start.sn;
  else {
    readHistory = true;
    // History: a snapshot read (parts + log tail), then the live log from just above the snapshot.
    let snapLast = -1;
    let unpin = (): void => {};
    const onSnapshot = (lastSn: number): void => {
      snapLast = lastSn;
      // Keep the log from the hand-over point on until the tail reads it, so retention cannot open a gap.
      unpin = wal.pin(lastSn + 1);
    };
    try {
      const time = start.kind === 'time' ? start.value : undefined;
      const timeCol = core.timeColumn;
      const needTime = time !== undefined && !o.columns.includes(timeCol);
      const readCols = needTime ? [...o.columns, timeCol] : [...o.columns];
      const ranges = time !== undefined ? [...(o.ranges ?? []), { column: timeCol, min: time }] : o.ranges;
      for await (const b of readStream(core, { columns: readCols, ranges, signal: o.signal, onSnapshot })) {
        const kept = time !== undefined ? filterByTime(b, timeCol, time) : b;
        if (kept.rows) yield needTime ? projectColumns(kept, cols) : kept;
      }
      next = snapLast + 1;
    } finally {
      unpin();
    }
  }
  o.onPosition?.({ sn: next - 1, history: false });
  // An empty block marks the end of history: an aggregation over a backfill emits its result then, not a period later.
  if (readHistory) yield projectColumns(Block.empty(core.header), cols);
  for (;;) {
    await wal.waitForSn(next, o.signal);
    // After TRUNCATE the log restarts above where this reader was: continue from its first record.
    if (next < wal.firstSn) next = wal.firstSn;
    let progressed = false;
    for await (const rec of wal.readFrom(next, { signal: o.signal })) {
      const block = projectColumns(core.upgrade(rec.block, rec.schemaVersion), cols);
      next = rec.lastSn + 1;
      progressed = true;
      if (block.rows <= TAIL_SLICE_ROWS) {
        o.onPosition?.({ sn: rec.lastSn, history: false, appendTimeMs: rec.appendTimeMs });
        if (block.rows) yield block;
        continue;
      }
      // A large record goes out in slices, each with its own position (sequence numbers are per row), and the
      // event loop runs between them: aggregating a million-row record in one step would stall every INSERT.
      for (let at = 0; at < block.rows; at += TAIL_SLICE_ROWS) {
        if (at > 0) await new Promise<void>((resolve) => setImmediate(resolve));
        const end = Math.min(block.rows, at + TAIL_SLICE_ROWS);
        o.onPosition?.({ sn: rec.firstSn + end - 1, history: false, appendTimeMs: rec.appendTimeMs });
        yield block.slice(at, end);
      }
    }
    if (!progressed && wal.lastSn >= next && next >= wal.firstSn) {
      throw new DbError('LOGICAL_ERROR', `Streaming read made no progress at sequence number ${next}`);
    }
  }
}
