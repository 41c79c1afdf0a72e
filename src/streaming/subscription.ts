import type { Block } from '../core/block.js';
import type { PlanNode } from '../planner/plan-node.js';
import { isUnbounded } from '../planner/plan-node.js';
import type { QueryContext } from '../exec/query-context.js';
import { settingNumber } from '../exec/query-context.js';
import type { QueryRequest } from '../server/session-api.js';
import { DbError, toDbError } from '../errors/index.js';
import { encodeCheckpoint, type MaterializedViewCheckpoint } from './materialized-view-checkpoint.js';
import { checkMaterializedViewPlan, RunState } from './materialized-view-runner.js';
import { SubscriptionStore, type SubscriptionMeta } from './subscription-store.js';
import { hasStreamingJoin, runJoinSubscription } from './join/join-subscription.js';

/** Proton's default checkpoint interval of a SUBSCRIBE query without `checkpoint_interval` (seconds). */
export const DEFAULT_CHECKPOINT_INTERVAL_S = 900;

/** The statement a SUBSCRIBE query runs in, as the session hands it over. */
export interface SubscribeContext {
  readonly queryId: string;
  readonly sql: string;
  readonly database: string;
  readonly user: string;
  readonly settings: ReadonlyMap<string, string>;
  readonly request: QueryRequest;
  readonly query: QueryContext;
}

/** Counters of one running subscription (tests, diagnostics). */
export interface SubscriptionStatus {
  readonly queryId: string;
  /** Checkpoints written by this run. */
  checkpoints: number;
  /** The source position of the last checkpoint written (-1: none yet). */
  checkpointSn: number;
  lastCheckpointMs: number;
  /** True while the query runs. */
  running: boolean;
}

interface Active {
  readonly status: SubscriptionStatus;
  /** Set by UNSUBSCRIBE: no further checkpoint may be written. */
  unsubscribed: boolean;
  persisting: Promise<void>;
  readonly done: Promise<void>;
}

const byEngine = new WeakMap<object, Subscriptions>();

/** The checkpointed (SUBSCRIBE) queries of one engine, keyed by the engine object. */
export function subscriptionsOf(engine: { readonly config: { readonly dataDir: string } }): Subscriptions {
  let s = byEngine.get(engine);
  if (!s) byEngine.set(engine, (s = new Subscriptions(engine.config.dataDir)));
  return s;
}

/** Requests that re-run a subscription (RECOVER FROM): their SUBSCRIBE starts from the checkpoint. */
const recovering = new WeakSet<QueryRequest>();

/**
 * Proton's checkpointed queries. `SUBSCRIBE TO SELECT …` runs the streaming query for its client like any
 * other and checkpoints, under the query id, its aggregation state with the source position that state
 * reflects, every `checkpoint_interval` seconds and when the query ends (KILL, cancel, disconnect, LIMIT).
 * `RECOVER FROM 'id'` runs the recorded query again under the original id, the state restored and the source
 * read from the position after the checkpoint: events inserted meanwhile are processed, and what was emitted
 * before the checkpoint is not emitted again. `UNSUBSCRIBE TO 'id'` cancels the query if it runs and deletes
 * the checkpoint. Checkpoints live in the data directory and survive restarts.
 *
 * The state capture is the materialized views' (MaterializedViewRunner and its RunState): one streaming source
 * and at most one streaming aggregation; a checkpoint is only taken while no emitted block is on its way to
 * the client, so the position it records never covers rows the client did not get. Rows sent after the last
 * checkpoint are sent again by RECOVER after a crash (at-least-once output, exactly-once state).
 */
export class Subscriptions {
  private readonly active = new Map<string, Active>();

  constructor(readonly dataDir: string) {}

  store(queryId: string): SubscriptionStore {
    return new SubscriptionStore(this.dataDir, queryId);
  }

  status(queryId: string): SubscriptionStatus | undefined {
    return this.active.get(queryId)?.status;
  }

  /**
   * RECOVER FROM: the request that re-runs the subscription (the recorded statement and settings, under the
   * original query id) and the database it runs in. RESOURCE_NOT_FOUND for an unknown id.
   */
  async recoverRequest(queryId: string, request: QueryRequest): Promise<{ database: string; user: string; request: QueryRequest }> {
    const meta = await this.store(queryId).meta();
    const settings = new Map(Object.entries(meta.settings));
    for (const [k, v] of request.settings ?? []) settings.set(k, v);
    const rerun: QueryRequest = { ...request, sql: meta.sql, queryId: meta.queryId, settings };
    recovering.add(rerun);
    return { database: meta.database, user: meta.user, request: rerun };
  }

  /** UNSUBSCRIBE TO: cancels the query if it runs (through `cancel`), then deletes its checkpoint. */
  async unsubscribe(queryId: string, cancel: (queryId: string) => void): Promise<void> {
    const a = this.active.get(queryId);
    // As Proton: a query running under that id is cancelled first (also a RECOVER just starting).
    cancel(queryId);
    if (a) {
      a.unsubscribed = true;
      let timer: NodeJS.Timeout | undefined;
      await Promise.race([a.done, new Promise<void>((r) => (timer = setTimeout(r, 5000)))]);
      clearTimeout(timer);
      await a.persisting;
    }
    await this.store(queryId).remove();
  }

  /** Runs a SUBSCRIBE query (or, for a RECOVER request, resumes it): the blocks for the client. */
  async run(sc: SubscribeContext, node: PlanNode): Promise<AsyncIterable<Block>> {
    const isRecover = recovering.has(sc.request);
    if (!isUnbounded(node)) {
      // A bounded query (a table, table(stream)) has no position to resume from: it just runs.
      if (isRecover) throw new DbError('NOT_A_STREAMING_QUERY', `Query ${sc.queryId} does not read a stream: there is nothing to recover`);
      return node.run(sc.query);
    }
    if (hasStreamingJoin(node)) {
      // A join of streams checkpoints both sides' state and every stream's position (its own file).
      const store = this.store(sc.queryId);
      const meta: SubscriptionMeta = { queryId: sc.queryId, sql: sc.sql, database: sc.database, settings: Object.fromEntries(sc.settings), user: sc.user, createdMs: Date.now() };
      return runJoinSubscription(node, {
        queryId: sc.queryId,
        settings: sc.settings,
        signal: sc.query.signal,
        dir: store.dir,
        isRecover,
        defaultIntervalS: DEFAULT_CHECKPOINT_INTERVAL_S,
        prepare: async () => void (isRecover ? await store.meta() : await store.create(meta)),
        register: (a) => this.active.set(sc.queryId, a),
        unregister: (a) => void (this.active.get(sc.queryId) === a && this.active.delete(sc.queryId)),
        run: () => node.run(sc.query),
      });
    }
    let plan: ReturnType<typeof checkMaterializedViewPlan>;
    try {
      plan = checkMaterializedViewPlan(node);
    } catch (e) {
      const err = toDbError(e);
      if (err.errorName !== 'NOT_IMPLEMENTED') throw err;
      throw new DbError('NOT_IMPLEMENTED', err.message.replace('Materialized views over', 'SUBSCRIBE queries over'));
    }
    const { scan, aggregate, converts } = plan;
    if (!scan) throw new DbError('NOT_IMPLEMENTED', 'SUBSCRIBE is supported over a stream read only: its state cannot be checkpointed');
    const store = this.store(sc.queryId);
    const rs = new RunState(scan, aggregate, converts, undefined, plan.dedups, sc.query.fn.functionStates);
    const status: SubscriptionStatus = { queryId: sc.queryId, checkpoints: 0, checkpointSn: -1, lastCheckpointMs: 0, running: true };
    let resolveDone!: () => void;
    const active: Active = { status, unsubscribed: false, persisting: Promise.resolve(), done: new Promise<void>((r) => (resolveDone = r)) };
    // Registered before the files are touched: an UNSUBSCRIBE from here on waits for this run to end.
    this.active.set(sc.queryId, active);
    const release = (): void => {
      status.running = false;
      if (this.active.get(sc.queryId) === active) this.active.delete(sc.queryId);
      resolveDone();
    };
    let checkpoint: MaterializedViewCheckpoint | undefined;
    try {
      if (isRecover) {
        // Again: an UNSUBSCRIBE may have come between RECOVER reading the query and this run starting.
        await store.meta();
        checkpoint = await store.checkpoint.load();
        if (checkpoint) rs.restore(checkpoint, `query ${sc.queryId}`);
      } else {
        await store.create({
          queryId: sc.queryId,
          sql: sc.sql,
          database: sc.database,
          settings: Object.fromEntries(sc.settings),
          user: sc.user,
          createdMs: Date.now(),
        });
      }
      if (active.unsubscribed) throw new DbError('QUERY_WAS_CANCELLED', `Query ${sc.queryId} was unsubscribed`);
    } catch (e) {
      release();
      throw e;
    }
    status.checkpointSn = checkpoint?.sources[0]?.sn ?? -1;
    status.lastCheckpointMs = checkpoint?.timeMs ?? 0;
    const intervalS = settingNumber(sc.settings, 'checkpoint_interval', 0);
    const intervalMs = (intervalS > 0 ? intervalS : DEFAULT_CHECKPOINT_INTERVAL_S) * 1000;
    const keyTypes = aggregate?.keys.map((k) => k.type) ?? [];
    let busy = false;
    let firstSaved = !!checkpoint;

    const persist = (cp: MaterializedViewCheckpoint): void => {
      busy = true;
      active.persisting = (async () => {
        try {
          if (active.unsubscribed) return;
          await store.checkpoint.save(encodeCheckpoint(cp, keyTypes));
          status.checkpoints++;
          status.checkpointSn = cp.sources[0]?.sn ?? -1;
          status.lastCheckpointMs = cp.timeMs;
          firstSaved = true;
        } catch {
          // A failed checkpoint leaves the previous one; the next interval tries again.
        } finally {
          busy = false;
        }
      })();
    };
    const checkpointSoon = (): void => {
      if (busy || active.unsubscribed) return;
      if (firstSaved && rs.progress === rs.checkpointedProgress) return;
      const cp = rs.checkpoint();
      if (!cp) return;
      rs.checkpointedProgress = rs.progress;
      persist(cp);
    };

    scan.onPosition = (p) => {
      rs.reported(p.sn, p.history);
      // The position a fresh subscription starts at is saved at once: RECOVER after an early KILL still
      // processes every event inserted after SUBSCRIBE began.
      if (!firstSaved && rs.valid) checkpointSoon();
    };
    if (aggregate) aggregate.onInput = () => rs.inputAdded();
    const blocks = node.run(sc.query);

    let started = false;
    // Cancelled before the client asked for the first block: the generator's `finally` would never run.
    sc.query.signal.addEventListener('abort', () => started || release(), { once: true });
    return (async function* (): AsyncGenerator<Block> {
      started = true;
      const timer = setInterval(checkpointSoon, intervalMs);
      try {
        for await (const block of blocks) {
          const pos = aggregate ? undefined : rs.receivedOutput();
          if (block.rows) {
            rs.writing = true;
            yield block;
            rs.writing = false;
          }
          if (!aggregate) rs.outputWritten(pos);
          rs.progress++;
        }
      } finally {
        clearInterval(timer);
        // KILL, cancel, disconnect or the end: the state reached is checkpointed, unless a block was on its way
        // to the client (it may not have arrived: the previous checkpoint stands).
        await active.persisting;
        if (!active.unsubscribed && !rs.writing && rs.progress !== rs.checkpointedProgress) {
          const cp = rs.checkpoint();
          if (cp) {
            persist(cp);
            await active.persisting;
          }
        }
        release();
      }
    })();
  }
}
