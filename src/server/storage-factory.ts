import path from 'node:path';
import { parseExpression } from '../sql/index.js';
import { DbError } from '../errors/index.js';
import type { TableEntry } from '../catalog/table-entry.js';
import type { Header } from '../core/block.js';
import type { TableStorage } from '../storage/table-storage.js';
import { MemoryStorage, StreamStorage, type TtlSpec } from '../storage/engines/index.js';
import type { PartitionFn } from '../storage/parts/partitioning.js';
import type { KeyCompaction } from '../storage/parts/key-compaction.js';
import { DELTA_COLUMN, isKeyed, streamModeOf } from '../streaming/stream-mode.js';
import { Scope } from '../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import { materialize } from '../columns/ops.js';
import { formatValueText } from '../types/text-conversion.js';
import { predicateMask } from '../exec/operators/filter.js';
import type { FunctionContext } from '../functions/function.js';
import type { Engine } from './engine.js';

function physicalHeader(entry: TableEntry): Header {
  return entry.columns.filter((c) => c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL').map((c) => ({ name: c.name, type: c.type }));
}

function functionContext(engine: Engine): FunctionContext {
  return {
    timezone: engine.timezone,
    queryStartMs: Date.now(),
    currentUser: 'default',
    currentDatabase: 'default',
    settings: new Map(),
    server: engine.serverFacts,
  };
}

function compileOver(engine: Engine, header: Header, sql: string) {
  const env: CompileEnv = { functions: engine.functions, fnCtx: functionContext(engine), params: new Map(), subqueries: { get: () => undefined } };
  return compileExpression(env, Scope.fromHeader(header), parseExpression(sql));
}

/** PARTITION BY expr → a function giving each row's partition value as text, as system.parts shows it. */
function partitionFn(engine: Engine, header: Header, expr: string): PartitionFn {
  const compiled = compileOver(engine, header, expr);
  return (block) => {
    const col = materialize(compiled.eval(block, functionContext(engine)));
    const ids = new Uint32Array(block.rows);
    const values: string[] = [];
    const index = new Map<string, number>();
    for (let i = 0; i < block.rows; i++) {
      const v = formatValueText(compiled.type, col, i, engine.timezone);
      let id = index.get(v);
      if (id === undefined) {
        id = values.length;
        values.push(v);
        index.set(v, id);
      }
      ids[i] = id;
    }
    return { ids, values };
  };
}

/** TTL expr → rows whose TTL time has passed. Several TTL expressions: expired by any. */
function ttlSpec(engine: Engine, header: Header, exprs: readonly string[]): TtlSpec | undefined {
  if (!exprs.length) return undefined;
  const compiled = exprs.map((e) => compileOver(engine, header, `(${e}) <= now()`));
  return {
    expired: (block) => {
      const out = new Uint8Array(block.rows);
      for (const c of compiled) {
        const m = predicateMask(c.eval(block, functionContext(engine)), block.rows);
        if (m === 'all') out.fill(1);
        else if (m !== 'none') for (let i = 0; i < block.rows; i++) out[i] ||= m.mask[i]!;
      }
      return out;
    },
  };
}

/** A column name as written in the catalog's key texts, without its backquotes. */
function unquoted(name: string): string {
  return name.replace(/^`(.*)`$/, '$1');
}

/** versioned_kv / changelog_kv streams compact their parts per primary key. */
function keyCompaction(entry: TableEntry): KeyCompaction | undefined {
  const mode = streamModeOf(entry);
  if (!isKeyed(mode.mode)) return undefined;
  const key = mode.primaryKey.map(unquoted);
  return { key, version: mode.versionColumn, delta: DELTA_COLUMN, collapse: mode.mode === 'changelog_kv' };
}

/** Plain column names among ORDER BY items (storage sorts by physical columns; expressions stop the key). */
function sortKey(entry: TableEntry, header: Header): string[] {
  const names = new Set(header.map((c) => c.name));
  const out: string[] = [];
  for (const item of entry.orderBy) {
    const name = unquoted(item);
    if (!names.has(name)) break;
    out.push(name);
  }
  return out;
}

export async function createTableStorage(entry: TableEntry, dataDir: string, engine: Engine): Promise<TableStorage> {
  if (entry.kind === 'external_stream') {
    const { createExternalStreamStorage } = await import('../external/index.js');
    return createExternalStreamStorage(entry, dataDir, { functions: engine.functions, timezone: engine.timezone, functionContext: () => functionContext(engine) });
  }
  const header = physicalHeader(entry);
  const ttl = ttlSpec(engine, header, entry.ttl);
  const replacing = entry.engine === 'ReplacingMergeTree' ? { versionColumn: entry.engineArgs[0] && unquoted(entry.engineArgs[0]) } : undefined;
  const key = sortKey(entry, header);
  if (entry.engine === 'Memory' || entry.temporary || entry.engine === 'Null') {
    return new MemoryStorage({ header, sortKey: key, replacing, ttl });
  }
  const isStream = entry.engine === 'Stream';
  const hasTime = header.some((c) => c.name === '_tp_time');
  const retention = Number(entry.settings['logstore_retention_ms'] ?? NaN);
  const retentionBytes = Number(entry.settings['logstore_retention_bytes'] ?? NaN);
  try {
    const local = await StreamStorage.open({
      dir: path.join(dataDir, 'store', entry.uuid),
      header,
      sortKey: key,
      timeColumn: hasTime ? '_tp_time' : undefined,
      partitionOf: entry.partitionBy ? partitionFn(engine, header, entry.partitionBy) : isStream && hasTime ? partitionFn(engine, header, 'toYYYYMMDD(_tp_time)') : undefined,
      replacing,
      keyed: keyCompaction(entry),
      ttl,
      log: {
        retentionMs: Number.isFinite(retention) ? retention : undefined,
        retentionBytes: Number.isFinite(retentionBytes) ? retentionBytes : undefined,
      },
    });
    if (isStream && entry.settings['logstore'] !== undefined) {
      // logstore='kafka': a Kafka topic as the stream's log, shared by every Hadron on that broker (src/external).
      const { withKafkaLogStore } = await import('../external/index.js');
      return await withKafkaLogStore(local, entry, dataDir, engine.timezone);
    }
    return local;
  } catch (e) {
    throw e instanceof DbError ? e : new DbError('CANNOT_OPEN_FILE', `Cannot open storage of ${entry.database}.${entry.name}: ${(e as Error).message}`);
  }
}
