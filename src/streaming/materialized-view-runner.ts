import { Block } from '../core/block.js';
import type { FunctionState } from '../functions/function.js';
import type { TableEntry } from '../catalog/table-entry.js';
import type { PlanNode } from '../planner/plan-node.js';
import type { QueryContext } from '../exec/query-context.js';
import { DbError, toDbError } from '../errors/index.js';
import { StreamingScan } from './stream-scan.js';
import { ChangelogConvertNode } from './changelog/changelog-convert.js';
import { StreamingAggregateNode, type CheckpointedAggregate } from './streaming-aggregate.js';
import { SessionAggregateNode } from './session-window.js';
import { DedupNode } from './dedup.js';
import { StreamingJoinNode } from './join/streaming-join.js';
import { collectNodes, convertStates, joinPlanOf, JoinPositions, type JoinPlan } from './join/join-plan.js';
import { CheckpointStore, encodeCheckpoint, type MaterializedViewCheckpoint } from './materialized-view-checkpoint.js';

/** What a materialized view needs from the server: planning its query and writing its rows. */
export interface MaterializedViewHost {
  readonly dataDir: string;
  /** Plans the view's query as a streaming query, in a background context that `signal` cancels. */
  plan(entry: TableEntry, signal: AbortSignal): Promise<{ node: PlanNode; ctx: QueryContext }>;
  /** Where the view's rows go: its own storage, or its INTO target. */
  target(entry: TableEntry): TableEntry;
  /** Writes one block `view` emitted into `target` through INSERT's path (columns matched by name, defaults filled). */
  write(view: TableEntry, target: TableEntry, block: Block): Promise<void>;
}

export type MaterializedViewStatus = 'starting' | 'running' | 'error' | 'stopped';

export interface RunnerOptions {
  /** How often the state is checkpointed (ms). */
  readonly checkpointIntervalMs: number;
  /** First retry delay after a failure; doubles up to maxBackoffMs. */
  readonly initialBackoffMs: number;
  readonly maxBackoffMs: number;
}

export const DEFAULT_RUNNER_OPTIONS: RunnerOptions = { checkpointIntervalMs: 1000, initialBackoffMs: 500, maxBackoffMs: 30_000 };


export interface MaterializedViewPlan {
  /** The one stream of a view that reads one (undefined for a join of streams: see `join`). */
  readonly scan?: StreamingScan;
  readonly aggregate?: CheckpointedAggregate;
  readonly converts: ChangelogConvertNode[];
  /** A view over a streaming join of several streams: the join, its streams and their order in the checkpoint. */
  readonly join?: JoinPlan;
  /** The dedup() operators, whose seen keys are checkpointed (plan order). */
  readonly dedups?: readonly DedupNode[];
}

/**
 * The shapes whose state a checkpoint can capture exactly: at most one streaming source, at most one streaming
 * aggregation (global, tumble/hop or session windows) and any dedup(), no other stateful streaming operator; or
 * one streaming join holding every stream (one per side), with at most a global aggregation above it.
 */
export function checkMaterializedViewPlan(node: PlanNode): MaterializedViewPlan {
  const scans = collectNodes(node, StreamingScan);
  const aggregates = collectNodes(node, StreamingAggregateNode);
  const unsupported = (what: string) => new DbError('NOT_IMPLEMENTED', `Materialized views over ${what} are not supported yet: their state cannot be checkpointed`);
  if (scans.length > 1) {
    if (!collectNodes(node, StreamingJoinNode).length) throw unsupported('more than one stream');
    const join = joinPlanOf(node, unsupported);
    // A side's position is taken when its block reaches the join: with two streams merged on one side, the
    // other stream's last position may belong to a block still on its way.
    if (join.sides.some((side) => side.length !== 1)) throw unsupported('more than one stream on a side of a join');
    return { aggregate: join.aggregate, converts: join.converts.filter((c) => c.tracking), join };
  }
  const sessions = collectNodes(node, SessionAggregateNode);
  if (aggregates.length + sessions.length > 1) throw unsupported('more than one streaming aggregation');
  return {
    scan: scans[0],
    aggregate: aggregates[0] ?? sessions[0],
    converts: collectNodes(node, ChangelogConvertNode).filter((c) => c.tracking),
    dedups: collectNodes(node, DedupNode),
  };
}

/**
 * Runs one materialized view in the background: its query as a streaming query, every emitted block written to
 * the target, the state checkpointed with the source position it reflects, failures retried with backoff.
 *
 * Consistency: a checkpoint pairs the aggregation state with the sequence number `sn` such that the state holds
 * exactly the source events with sequence number <= sn. The position is noted synchronously right after each
 * input block is added to the state (`StreamingAggregateNode.onInput`): at that moment the source is suspended
 * just after handing over that block, so the last position it reported covers exactly the blocks delivered.
 * The first position a tail reports is blockless (the hand-over after history, or the start), reported while
 * every earlier block has been handled, so it covers the state too. A checkpoint is only taken between
 * emissions (nothing emitted but not yet written), so every emission the state reflects is in the target.
 * Recovery restores the state and reads the source from sn + 1: each event counted once. Rows emitted after
 * the last checkpoint are emitted again after a crash (at-least-once output, exactly-once state).
 *
 * A view over a streaming join checkpoints one position per stream, the join's state (both sides' live rows,
 * watermarks), the changelog conversions below it and a global aggregation above it (JoinPositions: a side's
 * position is taken when its block reaches the join). A checkpoint is taken only while the join neither holds
 * a block it has not handled nor has an output block on its way up, nothing is being written and the
 * aggregation is not emitting: the positions then cover exactly the join's state, and the aggregation's state
 * or (without one) the rows written to the target.
 */
export class MaterializedViewRunner {
  status: MaterializedViewStatus = 'starting';
  lastError = '';
  lastErrorCode = 0;
  lastErrorTimeMs = 0;
  errorCount = 0;
  /** Times the query was (re)started. */
  starts = 0;
  emittedRows = 0;
  emittedBlocks = 0;
  checkpoints = 0;
  /** The sequence number of the last persisted checkpoint (-1: none). */
  checkpointSn = -1;
  lastCheckpointMs = 0;
  /** Size of the last checkpoint written. */
  checkpointBytes = 0;
  /** The source position of the running query's state (-1 until known). */
  processedSn = -1;
  readonly ready: Promise<void>;

  private readonly store: CheckpointStore;
  private controller: AbortController | undefined;
  private loop: Promise<void> | undefined;
  private stopped = false;
  private wakeSleep: (() => void) | undefined;
  private resolveReady!: () => void;
  private rejectReady!: (e: Error) => void;
  private isReady = false;
  private persisting: Promise<void> = Promise.resolve();
  private persistBusy = false;
  private nextCheckpointAfterMs = 0;
  // Per run:
  private run: RunState | undefined;

  constructor(
    readonly entry: TableEntry,
    private readonly host: MaterializedViewHost,
    private readonly options: RunnerOptions = DEFAULT_RUNNER_OPTIONS,
  ) {
    this.store = new CheckpointStore(host.dataDir, entry.uuid);
    this.ready = new Promise<void>((resolve, reject) => {
      this.resolveReady = resolve;
      this.rejectReady = reject;
    });
    this.ready.catch(() => undefined);
  }

  get name(): string {
    return `${this.entry.database}.${this.entry.name}`;
  }

  start(): void {
    this.loop ??= this.supervise();
  }

  private markReady(): void {
    if (this.isReady) return;
    this.isReady = true;
    this.resolveReady();
  }

  private async supervise(): Promise<void> {
    let backoff = this.options.initialBackoffMs;
    while (!this.stopped) {
      try {
        await this.runOnce(() => (backoff = this.options.initialBackoffMs));
        if (this.stopped) break;
        // The query ended by itself (LIMIT): nothing more will come.
        this.status = 'stopped';
        this.markReady();
        return;
      } catch (e) {
        if (this.stopped) break;
        const err = toDbError(e);
        this.status = 'error';
        this.lastError = err.message;
        this.lastErrorCode = err.code;
        this.lastErrorTimeMs = Date.now();
        this.errorCount++;
        if (!this.isReady) {
          this.isReady = true;
          this.rejectReady(err);
        }
        await this.sleep(backoff);
        backoff = Math.min(backoff * 2, this.options.maxBackoffMs);
      }
    }
    this.status = 'stopped';
  }

  private sleep(ms: number): Promise<void> {
    return new Promise((resolve) => {
      const t = setTimeout(resolve, ms);
      this.wakeSleep = () => {
        clearTimeout(t);
        resolve();
      };
    });
  }

  private async runOnce(onProgress: () => void): Promise<void> {
    await this.persisting;
    const controller = new AbortController();
    this.controller = controller;
    const checkpoint = await this.store.load();
    if (checkpoint && this.checkpoints === 0) {
      this.checkpointSn = checkpoint.sources[0]?.sn ?? -1;
      this.lastCheckpointMs = checkpoint.timeMs;
    }
    const { node, ctx } = await this.host.plan(this.entry, controller.signal);
    const plan = checkMaterializedViewPlan(node);
    const { scan, aggregate, converts } = plan;
    const target = this.host.target(this.entry);
    const rs = new RunState(scan, aggregate, converts, plan.join, plan.dedups, ctx.fn.functionStates);
    if (checkpoint) rs.restore(checkpoint, this.name);
    else if (!scan) rs.valid = true;
    this.run = rs;
    this.starts++;
    this.status = 'running';
    if (scan) {
      scan.onPosition = (p) => {
        rs.reported(p.sn, p.history);
        this.processedSn = rs.consistentSn;
        if (!this.isReady && rs.valid && !checkpoint) this.checkpointSoon();
      };
    }
    const positions = rs.positions;
    if (positions) {
      positions.onChange = () => {
        rs.progress++;
        this.processedSn = positions.taken[0] ?? -1;
        if (!this.isReady && positions.allStarted && !checkpoint) this.checkpointSoon();
      };
    }
    if (aggregate && !positions) {
      aggregate.onInput = () => {
        rs.inputAdded();
        this.processedSn = rs.consistentSn;
      };
    }
    // Restored, or starting from a fixed point (earliest, a time, a sequence number): a crash before the first
    // checkpoint replays the same events, so the view is ready now. From 'latest' it becomes ready once the
    // position 'latest' resolved to is persisted, so rows inserted after CREATE returns are never skipped.
    const sources = plan.join?.scans ?? (scan ? [scan] : []);
    if (checkpoint || sources.every((s) => s.start.kind !== 'latest')) this.markReady();
    const timer = setInterval(() => this.checkpointSoon(), this.options.checkpointIntervalMs);
    try {
      for await (const block of node.run(ctx)) {
        const pos = aggregate ? undefined : rs.receivedOutput();
        if (block.rows) {
          rs.writing = true;
          try {
            await this.host.write(this.entry, target, block);
          } finally {
            rs.writing = false;
          }
          this.emittedRows += block.rows;
          this.emittedBlocks++;
        }
        if (!aggregate) rs.outputWritten(pos);
        rs.progress++;
        onProgress();
        // A checkpoint that fell due while a slow write (a Kafka external stream waits for the brokers' acks)
        // was in flight is taken now, between writes, so a view that is always writing still checkpoints.
        if (rs.checkpointDue) {
          rs.checkpointDue = false;
          this.checkpointSoon();
        }
      }
    } finally {
      clearInterval(timer);
      if (!controller.signal.aborted) controller.abort(new DbError('QUERY_WAS_CANCELLED', 'Materialized view query ended'));
    }
  }

  /** A checkpoint of the running query now, or undefined when the state is not at a consistent point. */
  private snapshot(rs: RunState): MaterializedViewCheckpoint | undefined {
    if (rs.join) {
      if (!rs.quiet() || !rs.positions!.known) return undefined;
      return {
        sources: rs.positions!.sources(),
        aggregate: rs.aggregate?.snapshotState(),
        converts: rs.convertStates(),
        join: rs.join.join.snapshotState(),
        functions: rs.functionStates(),
        timeMs: Date.now(),
      };
    }
    return rs.checkpoint();
  }

  /** Takes a checkpoint if the state moved since the last one and is at a consistent point, and persists it. */
  private checkpointSoon(): void {
    const rs = this.run;
    if (!rs || this.persistBusy || this.stopped || rs !== this.run) return;
    if (rs.progress === rs.checkpointedProgress && this.isReady) return;
    // A large state makes checkpoints expensive: spend at most about a fifth of the time on them.
    if (this.isReady && Date.now() < this.nextCheckpointAfterMs) return;
    const started = performance.now();
    const cp = this.snapshot(rs);
    if (!cp) {
      if (rs.writing || (rs.join && !rs.quiet())) rs.checkpointDue = true;
      return;
    }
    rs.checkpointedProgress = rs.progress;
    this.persist(cp, started);
  }

  private persist(cp: MaterializedViewCheckpoint, started = performance.now()): void {
    const keyTypes = this.run?.aggregate?.keys.map((k) => k.type) ?? [];
    this.persistBusy = true;
    this.persisting = (async () => {
      try {
        const bytes = encodeCheckpoint(cp, keyTypes);
        const cpuMs = performance.now() - started;
        await this.store.save(bytes);
        this.nextCheckpointAfterMs = Date.now() + cpuMs * 4;
        this.checkpointBytes = bytes.length;
        this.checkpoints++;
        this.checkpointSn = cp.sources[0]?.sn ?? -1;
        this.lastCheckpointMs = cp.timeMs;
        this.markReady();
      } catch (e) {
        const err = toDbError(e);
        this.lastError = `Cannot write checkpoint: ${err.message}`;
        this.lastErrorCode = err.code;
        this.lastErrorTimeMs = Date.now();
        this.errorCount++;
        if (!this.isReady) {
          this.isReady = true;
          this.rejectReady(err);
        }
      } finally {
        this.persistBusy = false;
      }
    })();
  }

  /** Stops the query; with `checkpoint`, persists the state reached (clean shutdown). */
  async stop(checkpoint = true): Promise<void> {
    if (this.stopped) return this.loop;
    this.stopped = true;
    this.wakeSleep?.();
    const rs = this.status === 'running' ? this.run : undefined;
    if (rs && checkpoint) {
      // Let a write or an emission in flight finish (the query keeps running meanwhile): the final checkpoint
      // must not cover an emission that is not yet in the target.
      const until = Date.now() + 10_000;
      while (!rs.quiet() && this.status === 'running' && Date.now() < until) await new Promise((r) => setTimeout(r, 2));
      if (this.status === 'running') rs.finalSnapshot = this.snapshot(rs);
    }
    this.controller?.abort(new DbError('QUERY_WAS_CANCELLED', `Materialized view ${this.name} stopped`));
    await this.loop?.catch(() => undefined);
    await this.persisting;
    if (checkpoint && rs?.finalSnapshot && rs.progress !== rs.checkpointedProgress) {
      this.persist(rs.finalSnapshot);
      await this.persisting;
    }
    this.status = 'stopped';
  }

  /** DROP: stops the query and deletes the checkpoint. */
  async drop(): Promise<void> {
    await this.stop(false);
    await this.store.remove();
  }
}

/** Positions and flags of one run of the query. */
export class RunState {
  /** The source position the state (or, without aggregation, the written output) reflects. */
  consistentSn = -2;
  /** False while the state holds rows without a known position (history read before the first position). */
  valid = false;
  clock: { maxEventTime: number; lateEvents: number } | undefined;
  writing = false;
  /** A checkpoint was due while a write was in flight: take it once the write is done. */
  checkpointDue = false;
  progress = 0;
  checkpointedProgress = -1;
  finalSnapshot: MaterializedViewCheckpoint | undefined;
  /** A view over a streaming join: every stream's position in the join's state. */
  readonly positions: JoinPositions | undefined;
  /** The query's stateful functions (lag, lags, streaming neighbor, monotonic), in the order they were resolved. */
  readonly functions: readonly FunctionState[];
  private lastReported = -2;
  private seenFirst = false;
  private resumedAt: number | undefined;

  constructor(
    readonly scan: StreamingScan | undefined,
    readonly aggregate: CheckpointedAggregate | undefined,
    readonly converts: readonly ChangelogConvertNode[] = [],
    readonly join?: JoinPlan,
    readonly dedups: readonly DedupNode[] = [],
    functions: readonly FunctionState[] = [],
  ) {
    this.positions = join ? new JoinPositions(join) : undefined;
    // The states registered while planning: a function compiled later, while the query runs, is not in the
    // checkpoint, so the next plan of the same query restores the same list.
    this.functions = [...functions];
  }

  /**
   * A checkpoint of a query over one stream (views and SUBSCRIBE), or undefined when the state is not at a
   * consistent point: the state read so far, a write or an emission in flight, no position yet.
   */
  checkpoint(): MaterializedViewCheckpoint | undefined {
    if (!this.valid || this.writing || this.aggregate?.emitting || this.consistentSn < -1 || !this.scan) return undefined;
    return {
      sources: [{ table: this.scan.tableName, sn: this.consistentSn }],
      clock: this.clock,
      aggregate: this.aggregate?.snapshotState(),
      converts: this.convertStates(),
      dedups: this.dedups.length ? this.dedups.map((d) => d.snapshotState()) : undefined,
      functions: this.functionStates(),
      timeMs: Date.now(),
    };
  }

  /** Stateful functions' rows, for a checkpoint. */
  functionStates(): Block[] | undefined {
    if (!this.functions.length) return undefined;
    return this.functions.map((f) => {
      const rows = f.snapshot();
      return new Block([{ name: 'rows', type: f.type }], [rows], rows.length);
    });
  }

  private restoreFunctions(cp: MaterializedViewCheckpoint, view: string): void {
    // A checkpoint from before stateful functions were saved: their history starts empty, as it used to.
    if (!cp.functions) return;
    const mismatch = cp.functions.length !== this.functions.length || cp.functions.some((b, i) => b.header[0]?.type.name !== this.functions[i]!.type.name);
    if (mismatch) throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} does not match its query's stateful functions (lag, lags, neighbor, monotonic)`);
    cp.functions.forEach((b, i) => this.functions[i]!.restore(b.columns[0]!));
  }

  /** Changelog conversions' state (each key's latest row), for a checkpoint. */
  convertStates(): Block[] | undefined {
    return this.converts.length ? convertStates(this.converts) : undefined;
  }

  /** Nothing in flight: no write, no emission, and no block in (or just out of) the join. */
  quiet(): boolean {
    if (this.writing || this.aggregate?.emitting) return false;
    return !this.join || (!this.join.join.busy && !this.join.join.emitting);
  }

  restore(cp: MaterializedViewCheckpoint, view: string): void {
    const src = cp.sources[0];
    if (this.join) {
      this.positions!.restore(cp.sources, view);
      if (!cp.join) throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} has no join state`);
      this.join.join.restoreFrom = cp.join;
      this.valid = true;
    } else if (cp.join) {
      throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} does not match its query's streams`);
    } else if (!this.scan) {
      if (cp.sources.length) throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} names a source its query no longer reads`);
    } else {
      if (!src || src.table !== this.scan.tableName) throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} does not match its query's source ${this.scan.tableName}`);
      this.scan.start = { kind: 'sn', sn: src.sn + 1 };
      this.resumedAt = src.sn;
      this.consistentSn = src.sn;
      this.valid = true;
    }
    if ((cp.dedups?.length ?? 0) !== this.dedups.length) throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} does not match its query's dedup()`);
    this.dedups.forEach((d, i) => (d.restoreFrom = cp.dedups![i]));
    this.restoreFunctions(cp, view);
    if (this.converts.length) {
      if (cp.converts?.length !== this.converts.length) throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} does not match its query's changelog conversions`);
      this.converts.forEach((c, i) => (c.restoreFrom = cp.converts![i]));
    }
    if (this.aggregate) {
      if (!cp.aggregate) throw new DbError('LOGICAL_ERROR', `The checkpoint of ${view} has no aggregation state`);
      this.aggregate.restoreFrom = cp.aggregate;
      const clock = this.aggregate.windowed?.clock;
      if (clock && cp.clock) {
        clock.maxEventTime = cp.clock.maxEventTime;
        clock.lateEvents = cp.clock.lateEvents;
      }
    }
    this.clock = cp.clock;
    this.progress = 0;
    this.checkpointedProgress = 0;
  }

  private captureClock(): void {
    const c = this.aggregate?.windowed?.clock;
    if (c) this.clock = { maxEventTime: c.maxEventTime, lateEvents: c.lateEvents };
  }

  /** The source reported a position (synchronously, before handing over the block it belongs to, if any). */
  reported(sn: number, history: boolean): void {
    if (history) return;
    if (this.seenFirst && this.lastReported > this.consistentSn) {
      // The source only runs when pulled, and it is pulled once the previous block has been handled (added to
      // the state, or written, or filtered out): the previous position is covered. This keeps the checkpoint
      // moving while a filter drops everything.
      this.consistentSn = this.lastReported;
      this.captureClock();
      this.progress++;
    }
    this.lastReported = sn;
    if (!this.seenFirst) {
      this.seenFirst = true;
      // Resumed at a position the log no longer starts at, with no rows before this report: the events in
      // between are gone from the stream altogether (TRUNCATE), so there is nothing to count twice.
      // Blockless, and every block handed over before it has been handled: it covers the state.
      this.consistentSn = sn;
      this.valid = true;
      this.captureClock();
      this.progress++;
    }
  }

  private checkResumed(): void {
    if (!this.seenFirst && this.resumedAt !== undefined) {
      // Rows before the first position: the tail fell back to reading history, i.e. the log no longer holds
      // the events after the checkpoint. Counting them again would double count.
      throw new DbError('LOGICAL_ERROR', `Cannot resume after sequence number ${this.resumedAt}: the stream's log no longer holds the events after it (log retention)`);
    }
  }

  /** An input block was just added to the aggregation state. */
  inputAdded(): void {
    if (!this.scan) return;
    this.checkResumed();
    if (this.seenFirst) {
      this.consistentSn = this.lastReported;
      this.captureClock();
    } else this.valid = false;
    this.progress++;
  }

  /** Without aggregation: an output block arrived; returns the position it brings the view to. */
  receivedOutput(): number | undefined {
    if (!this.scan) return undefined;
    this.checkResumed();
    return this.seenFirst ? this.lastReported : undefined;
  }

  outputWritten(pos: number | undefined): void {
    if (!this.scan) return;
    if (pos !== undefined) this.consistentSn = pos;
    else if (!this.seenFirst) this.valid = false;
  }
}
