import { Block, type Header } from '../../core/block.js';
import { DbError } from '../../errors/index.js';
import { writeCheckpoint } from '../log/checkpoint.js';
import { mergeParts, type MergeOptions } from '../parts/merge-parts.js';
import type { PartMeta } from '../parts/part-meta.js';
import { writePart } from '../parts/write-parts.js';
import { selectMerge } from './merge-policy.js';
import type { ActivePart } from './part-set.js';
import { sameHeader } from './schema-store.js';
import type { StreamCore } from './stream-core.js';

/**
 * Background and DDL work on a stream's parts: merges, TTL, DELETE and ALTER mutations, TRUNCATE. Every
 * function runs under the stream's mutex (the caller takes it) and swaps parts atomically; sources are deleted
 * once no reader holds them.
 */

/** Active parts grouped by partition id, each group ordered by sequence number. */
function byPartition(core: StreamCore): ActivePart[][] {
  const groups = new Map<string, ActivePart[]>();
  for (const p of core.parts.list()) {
    const g = groups.get(p.meta.partitionId);
    if (g) g.push(p);
    else groups.set(p.meta.partitionId, [p]);
  }
  return [...groups.values()].map((g) => g.sort((a, b) => a.meta.minSn - b.meta.minSn));
}

/** Rows to drop during a merge: TTL-expired ones. */
function ttlDrop(core: StreamCore): MergeOptions['drop'] {
  const ttl = core.opts.ttl;
  if (!ttl) return undefined;
  return (block) => ttl.expired(ttl.columns ? project(block, ttl.columns) : block);
}

/** The block's columns named `names`, in that order. */
export function project(block: Block, names: readonly string[]): Block {
  const idx = names.map((n) => {
    const i = block.header.findIndex((c) => c.name === n);
    if (i < 0) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${n} in the table`);
    return i;
  });
  return new Block(
    idx.map((i) => block.header[i]!),
    idx.map((i) => block.columns[i]!),
    block.rows,
  );
}

async function runMerge(core: StreamCore, sources: ActivePart[], extra: Partial<MergeOptions> = {}): Promise<void> {
  const result = await mergeParts(
    sources.map((s) => s.reader),
    { layout: core.layout, replacing: core.opts.replacing, drop: ttlDrop(core), ...extra },
  );
  const added: PartMeta[] = [];
  if (result.part) added.push(result.part);
  else added.push(await emptyCoveringPart(core, sources, extra.level, extra.mutation));
  core.parts.replace(sources, added.map((m) => core.readerFor(m)));
}

/**
 * A part with no rows covering the sources' range: it makes a dropped part's removal crash-safe (at open the
 * covered part goes, then the empty one).
 */
async function emptyCoveringPart(core: StreamCore, sources: ActivePart[], level?: number, mutation?: number): Promise<PartMeta> {
  return writePart(
    Block.empty(core.header),
    core.layout,
    {
      minSn: Math.min(...sources.map((s) => s.meta.minSn)),
      maxSn: Math.max(...sources.map((s) => s.meta.maxSn)),
      level: level ?? Math.max(...sources.map((s) => s.meta.level)) + 1,
      mutation: mutation ?? core.nextMutation(),
    },
    sources[0]!.meta.partition,
  );
}

/** One round of background merges (at most `maxMerges`). Returns how many ran. */
export async function mergeRound(core: StreamCore, maxMerges = 4): Promise<number> {
  const m = core.opts.merge ?? {};
  const policy = { minParts: m.minParts ?? 4, maxParts: m.maxParts ?? 10, maxRows: m.maxRows ?? 4 << 20 };
  let done = 0;
  for (const group of byPartition(core)) {
    if (done >= maxMerges) break;
    const pick = selectMerge(
      group.map((p) => p.meta),
      policy,
    );
    if (!pick) continue;
    await runMerge(core, group.slice(pick[0], pick[1]));
    done++;
  }
  return done;
}

/** OPTIMIZE: commits the log, then merges (all parts of each partition with `final`). */
export async function optimize(core: StreamCore, final: boolean): Promise<void> {
  await core.commitAll();
  if (!final) {
    await mergeRound(core, Infinity);
    return;
  }
  for (const group of byPartition(core)) {
    const needs = group.length > 1 || (group.length === 1 && (core.opts.replacing !== undefined || core.opts.ttl !== undefined));
    if (needs) await runMerge(core, group);
  }
}

/** TTL pass: drops parts whose rows all expired, rewrites partly expired ones. Returns rows removed. */
export async function applyTtl(core: StreamCore): Promise<number> {
  const ttl = core.opts.ttl;
  if (!ttl) return 0;
  const cols = ttl.columns ? core.header.filter((c) => ttl.columns!.includes(c.name)) : core.header;
  let removed = 0;
  for (const part of core.parts.list().slice()) {
    if (part.meta.rows === 0) continue;
    let expired = 0;
    for await (const b of part.reader.read(cols)) {
      const mask = ttl.expired(ttl.columns ? project(b, ttl.columns) : b);
      for (let i = 0; i < b.rows; i++) if (mask[i]) expired++;
    }
    if (expired === 0) continue;
    const mutation = core.nextMutation();
    if (expired === part.meta.rows) {
      core.parts.replace([part], [core.readerFor(await emptyCoveringPart(core, [part], part.meta.level, mutation))]);
    } else {
      await runMerge(core, [part], { level: part.meta.level, mutation, replacing: undefined });
    }
    removed += expired;
  }
  return removed;
}

/** ALTER … DELETE: commits the log, then rewrites every part holding matching rows. Returns rows deleted. */
export async function deleteWhere(core: StreamCore, predicate: (block: Block) => Uint8Array): Promise<number> {
  await core.commitAll();
  let deleted = 0;
  for (const part of core.parts.list().slice()) {
    if (part.meta.rows === 0) continue;
    let hits = 0;
    for await (const b of part.reader.read(core.header)) {
      const mask = predicate(b);
      for (let i = 0; i < b.rows; i++) if (mask[i]) hits++;
    }
    if (hits === 0) continue;
    const mutation = core.nextMutation();
    const result = await mergeParts([part.reader], { layout: core.layout, drop: predicate, level: part.meta.level, mutation });
    const added = result.part ?? (await emptyCoveringPart(core, [part], part.meta.level, mutation));
    core.parts.replace([part], [core.readerFor(added)]);
    deleted += result.rowsIn - result.rowsOut;
  }
  return deleted;
}

/** ALTER of columns: commits the log, rewrites every part through `convert`, then records the new schema. */
export async function alterColumns(core: StreamCore, newHeader: Header, convert: (block: Block) => Block): Promise<void> {
  if (sameHeader(core.header, newHeader)) {
    await rewriteRows(core, convert);
    return;
  }
  await core.commitAll();
  const oldHeader = core.header;
  const newLayout = core.layoutFor(newHeader);
  const oldVersion = core.schema.version;
  for (const part of core.parts.list().slice()) {
    const mutation = core.nextMutation();
    const result = await mergeParts([part.reader], {
      layout: { ...core.layout, header: oldHeader },
      transform: convert,
      level: part.meta.level,
      mutation,
      writeLayout: newLayout,
    });
    const added = result.part ?? (await emptyCoveringPart(core, [part], part.meta.level, mutation));
    core.parts.replace([part], [core.readerFor(added)]);
  }
  const version = await core.schema.bump(newHeader);
  core.converters.set(oldVersion, convert);
  core.header = newHeader;
  core.layout = newLayout;
  core.wal.schemaVersion = version;
  // Appends that raced the ALTER carry the old version; commit them now, converted.
  await core.commitAll();
}

/**
 * A mutation that keeps the schema (ALTER … UPDATE): every part is rewritten through `convert`, after the log
 * tail has been committed so that it is covered too.
 */
async function rewriteRows(core: StreamCore, convert: (block: Block) => Block): Promise<void> {
  await core.commitAll();
  for (const part of core.parts.list().slice()) {
    const mutation = core.nextMutation();
    const result = await mergeParts([part.reader], {
      layout: core.layout,
      transform: convert,
      level: part.meta.level,
      mutation,
    });
    const added = result.part ?? (await emptyCoveringPart(core, [part], part.meta.level, mutation));
    core.parts.replace([part], [core.readerFor(added)]);
  }
}

/** TRUNCATE: a new log generation and no parts, recorded by the checkpoint before anything is deleted. */
export async function truncate(core: StreamCore): Promise<void> {
  const boundary = await core.wal.truncate(async (b) => {
    await writeCheckpoint(core.checkpointFile, { committedSn: b - 1, minVisibleSn: b });
  });
  core.parts.replace(core.parts.list().slice(), []);
  core.committedSn = boundary - 1;
  core.minVisibleSn = boundary;
  core.wal.setCommittedSn(boundary - 1);
}
