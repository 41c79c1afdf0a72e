import { describe, expect, it } from 'vitest';
import { concatBlocks, type Block } from '../../src/core/block.js';
import { collapseSurvivors, compactPerKey, type KeyCompaction } from '../../src/storage/parts/key-compaction.js';
import { sortBlock } from '../../src/storage/parts/sort-block.js';
import { header, makeBlock, rng } from './helpers.js';

const H = header({ k: 'UInt8', id: 'UInt32', ver: 'UInt32', _tp_delta: 'Int8' });
const CHANGELOG: KeyCompaction = { key: ['k'], version: 'ver', delta: '_tp_delta', collapse: true };
const VERSIONED: KeyCompaction = { ...CHANGELOG, collapse: false };

/** A history of `n` rows over a few keys; `proper` keeps it a changelog (−1 of the key's live row before +1). */
function history(seed: number, n: number, proper: boolean): Block {
  const rand = rng(seed);
  const live = new Map<number, number>();
  const k: number[] = [];
  const id: number[] = [];
  const ver: number[] = [];
  const delta: number[] = [];
  for (let i = 0; i < n; i++) {
    const key = Math.floor(rand() * 5);
    const retract = proper ? live.has(key) && rand() < 0.6 : rand() < 0.4;
    k.push(key);
    // Versions mostly rise with arrival, with ties (rows of one insert share `_tp_time`).
    ver.push(Math.floor(i / 3));
    if (retract) {
      id.push(live.get(key) ?? 9999);
      delta.push(-1);
      live.delete(key);
    } else {
      id.push(i);
      delta.push(1);
      if (proper && live.has(key)) {
        // A proper changelog retracts first.
        k.push(key), id.push(live.get(key)!), ver.push(Math.floor(i / 3)), delta.push(-1);
        [id[id.length - 2], id[id.length - 1]] = [id[id.length - 1]!, id[id.length - 2]!];
        [delta[delta.length - 2], delta[delta.length - 1]] = [delta[delta.length - 1]!, delta[delta.length - 2]!];
      }
      live.set(key, i);
    }
  }
  return makeBlock(H, { k, id, ver, _tp_delta: delta });
}

/** The live rows of a history (as the read path collapses it): ids of the +1 survivors, sorted. */
function liveIds(block: Block): number[] {
  const ids = block.column('id')!;
  const d = block.column('_tp_delta')!;
  const out: number[] = [];
  for (const r of collapseSurvivors(block, ['k'], 'ver', '_tp_delta')) {
    if (d.kind === 'numeric' && Number(d.data[r]) > 0 && ids.kind === 'numeric') out.push(Number(ids.data[r]));
  }
  return out.sort((a, b) => a - b);
}

/** The history cut into stretches, each compacted as a part would be (sorted by key, then compacted). */
function compactedStretches(block: Block, seed: number, spec: KeyCompaction): Block {
  const rand = rng(seed);
  const parts: Block[] = [];
  let at = 0;
  while (at < block.rows) {
    const len = 1 + Math.floor(rand() * 12);
    parts.push(compactPerKey(sortBlock(block.slice(at, Math.min(block.rows, at + len)), ['k']), spec));
    at += len;
  }
  return concatBlocks(H, parts);
}

describe('key-value part compaction', () => {
  it('changelog_kv: collapsing compacted stretches leaves the same live rows as collapsing the raw history', () => {
    for (let seed = 1; seed <= 300; seed++) {
      for (const proper of [true, false]) {
        const raw = history(seed, 60, proper);
        const compacted = compactedStretches(raw, seed * 7, CHANGELOG);
        expect(liveIds(compacted), `seed ${seed}, proper ${proper}`).toEqual(liveIds(raw));
        // Compacting a compacted history again changes nothing either (merges of merged parts).
        expect(liveIds(compactedStretches(compacted, seed * 13, CHANGELOG))).toEqual(liveIds(raw));
      }
    }
  });

  it('changelog_kv: a −1 that opens a stretch stays, and the +1 after it is the key’s new row', () => {
    const before = makeBlock(H, { k: [1], id: [2], ver: [0], _tp_delta: [1] });
    const stretch = makeBlock(H, { k: [1, 1], id: [2, 3], ver: [1, 1], _tp_delta: [-1, 1] });
    const kept = compactPerKey(stretch, CHANGELOG);
    expect(kept.rows).toBe(2);
    expect(liveIds(concatBlocks(H, [before, kept]))).toEqual([3]);
  });

  it('versioned_kv: one row per key, the largest version (the later row on ties), deletes kept', () => {
    const b = makeBlock(H, { k: [1, 2, 1, 1, 2], id: [10, 20, 11, 12, 21], ver: [1, 5, 3, 3, 5], _tp_delta: [1, 1, 1, 1, -1] });
    const kept = compactPerKey(sortBlock(b, ['k']), VERSIONED);
    expect(kept.toRows().map((r) => [Number(r[0]), Number(r[1]), Number(r[3])])).toEqual([
      [1, 12, 1],
      [2, 21, -1],
    ]);
  });
});
