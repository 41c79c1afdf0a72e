import { Block, type Header } from '../core/block.js';
import { NothingColumn, NumericColumn, type Column } from '../columns/column.js';
import { materialize } from '../columns/ops.js';
import { T, type DataType } from '../types/data-type.js';
import { parseExpression } from '../sql/index.js';
import { DbError } from '../errors/index.js';
import { Scope, type ScopeColumn } from '../analyzer/scope.js';
import { compileExpression, type CompileEnv } from '../analyzer/expression-compiler.js';
import type { CompiledExpr } from '../analyzer/compiled-expr.js';
import type { FunctionContext } from '../functions/function.js';
import type { TableEntry } from '../catalog/table-entry.js';
import type { PlanNode } from '../planner/plan-node.js';
import type { PlannerEnv } from '../planner/planner-env.js';
import { checkCancelled, settingNumber, yieldToEventLoop, type QueryContext } from '../exec/query-context.js';
import { checkRandomType, randomColumn, RandomGenerator } from './random-column.js';
import { RandomSchedule, randomStreamSettings, shardPlans, type RandomBatch, type RandomStreamSettings, type ShardPlan } from './random-schedule.js';

/**
 * A random stream (`CREATE RANDOM STREAM s (…) SETTINGS eps = …`, Proton's StorageRandom) has no storage:
 * every read generates rows. Each column with a DEFAULT (or MATERIALIZED/ALIAS/EPHEMERAL) expression is
 * computed per generated row from that expression (so `rand()` differs row by row and `now64()` is the
 * generation time); a column without one gets random values of its type (random-column.ts). `_tp_time`
 * carries its usual default, now64(3, 'UTC'). Virtual columns (hidden from `SELECT *`): `_tp_sn` (Int64, the
 * shard's block number from 1, as in Proton) and `_tp_shard` (Int32).
 *
 * Streaming read: unbounded, eps rows a second in batches every interval_time ms, split over `shards`
 * generators (random-schedule.ts); the query settings `eps` (≥ 0 overrides the stream's) and `max_events`
 * (> 0 ends the read after that many rows) apply. Historical read (`table(s)`, query_mode = 'table'): a bounded
 * read of max_events rows, or max_block_size rows per shard when max_events is 0, in blocks of max_block_size.
 * `ENGINE = Random(seed)` fixes the sequence of the random (no-DEFAULT) columns.
 */

export const RANDOM_STREAM_VIRTUAL_COLUMNS: Header = [
  { name: '_tp_sn', type: T.Int64 },
  { name: '_tp_shard', type: T.Int32 },
];

/** Monotonic time for pacing, replaceable in tests. */
export interface RandomClock {
  now(): number;
  /** Resolves at `untilMs` (at once when that has passed) or as soon as `signal` aborts. */
  sleepUntil(untilMs: number, signal: AbortSignal): Promise<void>;
}

export const realClock: RandomClock = {
  now: () => performance.now(),
  sleepUntil(untilMs, signal) {
    return new Promise<void>((resolve) => {
      const ms = untilMs - performance.now();
      if (ms <= 0 || signal.aborted) return resolve();
      const onAbort = () => {
        clearTimeout(timer);
        resolve();
      };
      const timer = setTimeout(() => {
        signal.removeEventListener('abort', onAbort);
        resolve();
      }, Math.ceil(ms));
      signal.addEventListener('abort', onAbort, { once: true });
    });
  },
};

export interface RandomStreamOptions {
  /**
   * The columns to produce, in this order; default: the stream's columns (not ALIAS/EPHEMERAL) followed by the
   * virtual `_tp_sn` and `_tp_shard`.
   */
  readonly columns?: readonly string[];
  /** True for a streaming (unbounded) read, false for `table(s)`. */
  readonly streaming: boolean;
  readonly clock?: RandomClock;
}

/** How one column of a random stream gets its values. */
interface ColumnSource {
  readonly name: string;
  readonly type: DataType;
  /** DEFAULT / MATERIALIZED / ALIAS / EPHEMERAL expression, cast to the column type. */
  readonly expr?: CompiledExpr;
  readonly virtual?: 'sn' | 'shard';
  /** Positions (in the work header) of the columns the expression reads. */
  readonly deps: readonly number[];
}

export class RandomStreamSource implements PlanNode {
  readonly children: readonly PlanNode[] = [];
  readonly header: Header;
  readonly unbounded: boolean;
  /**
   * Columns the query references (the planner's scope marks them, as for StreamingScan / PruningScan): only
   * those and what their defaults read are generated; other header positions carry NothingColumn. When
   * nothing is marked, every header column is generated.
   */
  readonly used = new Set<string>();
  /** Columns `SELECT *` leaves out: reserved (`_tp_*`) and MATERIALIZED columns, and the virtual ones. */
  readonly hiddenColumns: ReadonlySet<string>;
  readonly settings: RandomStreamSettings;
  readonly tableName: string;
  private readonly sources: ColumnSource[];
  private readonly workHeader: Header;
  /** Work-header positions in dependency order (every expression after the columns it reads). */
  private readonly order: number[];
  /** Work-header position of each header column. */
  private readonly positions: number[];
  private readonly clock: RandomClock;
  private readonly seed: bigint | undefined;

  constructor(
    readonly entry: TableEntry,
    env: PlannerEnv,
    options: RandomStreamOptions,
  ) {
    if (entry.kind !== 'random_stream') throw new DbError('LOGICAL_ERROR', `${entry.database}.${entry.name} is not a random stream`);
    this.tableName = `${entry.database}.${entry.name}`;
    this.settings = randomStreamSettings(entry.settings);
    this.unbounded = options.streaming;
    this.clock = options.clock ?? realClock;
    this.workHeader = [...entry.columns.map((c) => ({ name: c.name, type: c.type })), ...RANDOM_STREAM_VIRTUAL_COLUMNS.filter((v) => !entry.columns.some((c) => c.name === v.name))];
    this.sources = compileSources(entry, env, this.workHeader);
    this.order = dependencyOrder(this.sources);
    const names = options.columns ?? [
      ...entry.columns.filter((c) => c.defaultKind !== 'ALIAS' && c.defaultKind !== 'EPHEMERAL').map((c) => c.name),
      ...this.workHeader.slice(entry.columns.length).map((c) => c.name),
    ];
    this.seed = randomSeed(entry);
    this.positions = names.map((n) => {
      const i = this.workHeader.findIndex((c) => c.name === n);
      if (i < 0) throw new DbError('NO_SUCH_COLUMN_IN_TABLE', `There is no column ${n} in random stream ${this.tableName}`);
      return i;
    });
    this.header = this.positions.map((i) => this.workHeader[i]!);
    this.hiddenColumns = new Set([
      ...entry.columns.filter((c) => c.hidden || c.defaultKind === 'MATERIALIZED').map((c) => c.name),
      ...RANDOM_STREAM_VIRTUAL_COLUMNS.map((c) => c.name),
    ]);
  }

  describe(): string {
    const pace = this.unbounded ? new RandomSchedule(this.settings.eps, this.settings.intervalMs, 0, 0).describe() : 'historical';
    const shards = this.settings.shards > 1 ? `, ${this.settings.shards} shards` : '';
    const columns = this.header.filter((c) => !this.used.size || this.used.has(c.name)).map((c) => c.name);
    return `ReadFromRandomStream ${this.tableName} (${columns.join(', ')}; ${pace}${shards})`;
  }

  /** Work-header positions to compute, in dependency order, for the header columns the query uses. */
  private plan(): { compute: number[]; out: boolean[] } {
    const wanted = this.used.size ? this.header.map((c) => this.used.has(c.name)) : this.header.map(() => true);
    const need = new Uint8Array(this.workHeader.length);
    const stack = this.positions.filter((_, i) => wanted[i]);
    while (stack.length) {
      const i = stack.pop()!;
      if (need[i]) continue;
      need[i] = 1;
      stack.push(...this.sources[i]!.deps);
    }
    return { compute: this.order.filter((i) => need[i]), out: wanted };
  }

  async *run(ctx: QueryContext): AsyncIterable<Block> {
    const { compute, out } = this.plan();
    const queryEps = settingNumber(ctx.settings, 'eps', -1);
    const eps = queryEps < 0 ? this.settings.eps : queryEps;
    const maxEvents = Math.max(0, Math.floor(settingNumber(ctx.settings, 'max_events', 0)));
    const blockRows = Math.max(1, ctx.blockRows);
    const clock = this.clock;
    const start = clock.now();
    const shards: ShardState[] = shardPlans(this.settings, eps, maxEvents, this.unbounded, blockRows).map((plan) => ({
      plan,
      schedule: new RandomSchedule(plan.eps, plan.intervalMs, start, blockRows),
      generated: 0,
      sn: 0,
    }));
    const rng = this.seed === undefined ? new RandomGenerator() : RandomGenerator.fromSeed(this.seed);
    let last = -1;
    while (shards.length) {
      checkCancelled(ctx);
      // The shard whose batch is due first; ties go round-robin so unlimited shards take turns.
      let k = -1;
      for (let j = 1; j <= shards.length; j++) {
        const i = (last + j) % shards.length;
        const s = shards[i]!;
        s.pending ??= s.schedule.next();
        if (k < 0 || s.pending.dueMs < shards[k]!.pending!.dueMs) k = i;
      }
      const shard = shards[k]!;
      const batch = shard.pending!;
      shard.pending = undefined;
      last = k;
      const total = shard.plan.total;
      const rows = total ? Math.min(batch.rows, total - shard.generated) : batch.rows;
      if (rows > 0) {
        while (clock.now() < batch.dueMs) {
          const deadline = ctx.deadlineMs === Infinity ? Infinity : clock.now() + (ctx.deadlineMs - Date.now());
          await clock.sleepUntil(Math.min(batch.dueMs, deadline), ctx.signal);
          checkCancelled(ctx);
        }
        shard.generated += rows;
        // now()/now64() in a default are the generation time, not the query's start.
        const fn: FunctionContext = { ...ctx.fn, queryStartMs: Date.now() };
        for (let done = 0; done < rows; ) {
          const n = Math.min(blockRows, rows - done);
          const block = this.generate(compute, out, n, fn, rng, ++shard.sn, shard.plan.shard);
          done += n;
          ctx.progress.readRows += n;
          ctx.progress.readBytes += block.byteSize;
          yield block;
          if (shard.schedule.mode === 'unlimited' || done < rows) {
            await yieldToEventLoop();
            checkCancelled(ctx);
          }
        }
      }
      if (total && shard.generated >= total) {
        shards.splice(k, 1);
        last = k - 1;
      }
    }
  }

  private generate(compute: readonly number[], out: readonly boolean[], rows: number, fn: FunctionContext, rng: RandomGenerator, sn: number, shard: number): Block {
    const cols: Column[] = this.workHeader.map(() => new NothingColumn(rows));
    for (const i of compute) {
      const s = this.sources[i]!;
      if (s.expr) cols[i] = materialize(s.expr.eval(new Block(this.workHeader, cols, rows), fn));
      else if (s.virtual === 'sn') cols[i] = new NumericColumn(new BigInt64Array(rows).fill(BigInt(sn)));
      else if (s.virtual === 'shard') cols[i] = new NumericColumn(new Int32Array(rows).fill(shard));
      else cols[i] = randomColumn(s.type, rows, rng);
    }
    return new Block(
      this.header,
      this.positions.map((p, k) => (out[k] ? cols[p]! : new NothingColumn(rows))),
      rows,
    );
  }
}

interface ShardState {
  readonly plan: ShardPlan;
  readonly schedule: RandomSchedule;
  generated: number;
  sn: number;
  pending?: RandomBatch;
}

/** `ENGINE = Random([seed])` (Proton also takes max_string_length, max_array_length, unused here). */
function randomSeed(entry: TableEntry): bigint | undefined {
  const args = entry.engineArgs;
  if (args.length > 3) {
    throw new DbError('NUMBER_OF_ARGUMENTS_DOESNT_MATCH', 'Storage Random requires at most three arguments: random_seed, max_string_length, max_array_length.');
  }
  const first = args[0]?.trim();
  if (first === undefined || /^null$/i.test(first)) return undefined;
  if (!/^\d+$/.test(first) || BigInt(first) >= 2n ** 64n) throw new DbError('BAD_ARGUMENTS', `The random seed of storage Random must be a UInt64 literal, got ${first}`);
  return BigInt(first);
}

/** Compiles every column's expression over the work header, noting which columns each one reads. */
function compileSources(entry: TableEntry, env: PlannerEnv, workHeader: Header): ColumnSource[] {
  let reads: Set<number> | undefined;
  const scopeColumns: ScopeColumn[] = workHeader.map((c, index) => ({
    name: c.name,
    shortName: c.name,
    type: c.type,
    index,
    qualifiers: [entry.name, `${entry.database}.${entry.name}`],
    onUse: () => reads?.add(index),
  }));
  const scope = new Scope(scopeColumns);
  const cenv: CompileEnv = { functions: env.functions, fnCtx: env.fnCtx, params: env.params, subqueries: { get: () => undefined } };
  return workHeader.map((c) => {
    const meta = entry.columns.find((m) => m.name === c.name);
    if (!meta) return { name: c.name, type: c.type, virtual: c.name === '_tp_sn' ? 'sn' : 'shard', deps: [] };
    if (!meta.defaultExpr) {
      checkRandomType(c.type);
      return { name: c.name, type: c.type, deps: [] };
    }
    const deps = new Set<number>();
    reads = deps;
    try {
      const expr = compileExpression(cenv, scope, { kind: 'function', name: 'CAST', args: [parseExpression(meta.defaultExpr), { kind: 'literal', value: c.type.name }] });
      return { name: c.name, type: c.type, expr, deps: [...deps] };
    } finally {
      reads = undefined;
    }
  });
}

/** Orders columns so each expression comes after what it reads; a cycle is ClickHouse's CYCLIC_ALIASES. */
function dependencyOrder(sources: readonly ColumnSource[]): number[] {
  const state = new Uint8Array(sources.length); // 0 new, 1 visiting, 2 done
  const order: number[] = [];
  const visit = (i: number, path: string[]): void => {
    if (state[i] === 2) return;
    if (state[i] === 1) throw new DbError('CYCLIC_ALIASES', `Cyclic aliases: default expression of column ${[...path, sources[i]!.name].join(' -> ')}`);
    state[i] = 1;
    for (const d of sources[i]!.deps) visit(d, [...path, sources[i]!.name]);
    state[i] = 2;
    order.push(i);
  };
  for (let i = 0; i < sources.length; i++) visit(i, []);
  return order;
}

/**
 * The plan node for reading a random stream: `streaming` for `SELECT … FROM s`, false for `table(s)`.
 * `columns` as for RandomStreamOptions (undefined: the stored columns; mark referenced ones in `used`).
 */
export function planRandomStream(entry: TableEntry, env: PlannerEnv, columns: readonly string[] | undefined, streaming: boolean): RandomStreamSource {
  return new RandomStreamSource(entry, env, { columns, streaming });
}
