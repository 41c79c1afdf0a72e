import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import type { CheckpointState } from '../log/checkpoint.js';
import type { WalLogger } from '../log/log-record.js';
import { DELETE_PREFIX, fsyncDir, removeDirAtomic, TMP_PREFIX } from '../fs-util.js';
import { readPartMeta } from '../parts/part-meta.js';
import { covers, parsePartName } from '../parts/part-name.js';
import { PartReader } from '../parts/part-reader.js';

export const DETACHED_DIR = 'detached';

/**
 * Loads the parts directory at open and settles what a crash may have left:
 *  - `tmp_*` (unfinished writes) and `delete_*` (unfinished removals) are removed;
 *  - a part without a readable meta.json is moved to `detached/broken_<name>`;
 *  - parts above the checkpoint's committedSn (a commit whose checkpoint never became durable) and below its
 *    minVisibleSn (truncated) are removed; their rows are re-committed from, or were dropped with, the log;
 *  - parts covered by another part (merge/mutation sources whose replacement is in place) are removed;
 *  - then empty parts (tombstones that covered dropped parts) are removed.
 */
export async function loadParts(partsDir: string, cp: CheckpointState, logger?: WalLogger): Promise<PartReader[]> {
  await fsp.mkdir(partsDir, { recursive: true });
  const readers: PartReader[] = [];
  let removed = 0;
  for (const entry of await fsp.readdir(partsDir, { withFileTypes: true })) {
    if (!entry.isDirectory()) continue;
    const dir = path.join(partsDir, entry.name);
    if (entry.name.startsWith(TMP_PREFIX) || entry.name.startsWith(DELETE_PREFIX)) {
      await fsp.rm(dir, { recursive: true, force: true });
      removed++;
      continue;
    }
    if (!parsePartName(entry.name)) continue;
    try {
      const meta = await readPartMeta(dir);
      if (meta.name !== entry.name) throw new Error(`meta.json names part ${meta.name}`);
      readers.push(new PartReader(dir, meta));
    } catch (e) {
      logger?.warn(`part ${entry.name} is broken and was detached: ${(e as Error).message}`);
      await fsp.mkdir(path.join(partsDir, DETACHED_DIR), { recursive: true });
      await fsp.rename(dir, path.join(partsDir, DETACHED_DIR, `broken_${entry.name}`));
      removed++;
    }
  }
  const dead = new Set<PartReader>();
  for (const r of readers) {
    if (r.meta.maxSn > cp.committedSn || r.meta.maxSn < cp.minVisibleSn) dead.add(r);
  }
  for (const a of readers) {
    if (dead.has(a)) continue;
    for (const b of readers) if (a !== b && !dead.has(b) && covers(a.meta, b.meta)) dead.add(b);
  }
  for (const r of dead) await removeDirAtomic(r.dir);
  if (dead.size > 0 || removed > 0) await fsyncDir(partsDir);
  let live = readers.filter((r) => !dead.has(r));
  const empty = live.filter((r) => r.meta.rows === 0);
  if (empty.length > 0) {
    for (const r of empty) await removeDirAtomic(r.dir);
    await fsyncDir(partsDir);
    live = live.filter((r) => r.meta.rows > 0);
  }
  return live;
}
