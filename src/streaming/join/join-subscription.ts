import { promises as fs } from 'node:fs';
import path from 'node:path';
import type { Block } from '../../core/block.js';
import type { PlanNode } from '../../planner/plan-node.js';
import { settingNumber } from '../../exec/query-context.js';
import { DbError } from '../../errors/index.js';
import { writeFileAtomic } from '../../catalog/atomic-file.js';
import { crc32c } from '../../storage/log/crc32c.js';
import { BinaryReader, BinaryWriter } from '../../types/serializations/buffer.js';
import { decodeNativeBlock, encodeNativeBlock } from '../../formats/native-block.js';
import { StreamingJoinNode } from './streaming-join.js';
import { decodeJoinCheckpoint, encodeJoinCheckpoint } from './checkpoint.js';
import { collectNodes, convertStates, joinPlanOf, JoinPositions } from './join-plan.js';
import { decodeCheckpoint, encodeCheckpoint } from '../materialized-view-checkpoint.js';

/** True when the plan joins streams: a SUBSCRIBE over it checkpoints through runJoinSubscription. */
export function hasStreamingJoin(node: PlanNode): boolean {
  return collectNodes(node, StreamingJoinNode).length > 0;
}

/** What Subscriptions keeps of a running subscription (the same shape as its own record). */
export interface ActiveSubscription {
  readonly status: { queryId: string; checkpoints: number; checkpointSn: number; lastCheckpointMs: number; running: boolean };
  unsubscribed: boolean;
  persisting: Promise<void>;
  readonly done: Promise<void>;
}

export interface JoinSubscriptionHost {
  readonly queryId: string;
  readonly settings: ReadonlyMap<string, string>;
  readonly signal: AbortSignal;
  /** The subscription's directory (SubscriptionStore.dir): the join checkpoint is a file in it. */
  readonly dir: string;
  readonly isRecover: boolean;
  readonly defaultIntervalS: number;
  /** Records a new subscription, or checks a recovered one still exists (not unsubscribed meanwhile). */
  prepare(): Promise<void>;
  register(a: ActiveSubscription): void;
  unregister(a: ActiveSubscription): void;
  run(): AsyncIterable<Block>;
}

interface JoinSubscriptionCheckpoint {
  readonly sources: { table: string; sn: number }[];
  readonly timeMs: number;
  readonly join: Uint8Array;
  readonly converts: Block[];
  /** A global aggregation above the join: its state in the materialized views' checkpoint format. */
  readonly aggregate?: Uint8Array;
}

const MAGIC = 0x43534a48; // "HJSC"
const VERSION = 1;
const NATIVE = { revision: 0, withBlockInfo: false } as const;

function encode(cp: JoinSubscriptionCheckpoint): Uint8Array {
  const w = new BinaryWriter(64 * 1024 + cp.join.length);
  w.string(JSON.stringify({ sources: cp.sources, timeMs: cp.timeMs }));
  w.varuint(cp.join.length);
  w.bytes(cp.join);
  w.varuint(cp.converts.length);
  for (const b of cp.converts) encodeNativeBlock(b, w, NATIVE);
  w.varuint(cp.aggregate ? cp.aggregate.length + 1 : 0);
  if (cp.aggregate) w.bytes(cp.aggregate);
  const body = w.toBytes();
  const out = new BinaryWriter(body.length + 12);
  out.u32(MAGIC);
  out.u32(VERSION);
  out.u32(crc32c(body));
  out.bytes(body);
  return out.toBytes();
}

function decode(bytes: Uint8Array, file: string): JoinSubscriptionCheckpoint {
  const r = new BinaryReader(bytes);
  if (bytes.length < 12 || r.u32() !== MAGIC || r.u32() !== VERSION) throw new DbError('CORRUPTED_DATA', `${file} is not a join checkpoint`);
  const crc = r.u32();
  const body = bytes.subarray(12);
  if (crc32c(body) !== crc) throw new DbError('CORRUPTED_DATA', `${file}: checksum mismatch`);
  const b = new BinaryReader(body);
  const meta = JSON.parse(b.string()) as { sources: { table: string; sn: number }[]; timeMs: number };
  const join = b.bytes(b.varuint()).slice();
  const n = b.varuint();
  const converts: Block[] = [];
  for (let i = 0; i < n; i++) converts.push(decodeNativeBlock(b, NATIVE));
  const aggLen = b.varuint();
  const aggregate = aggLen ? b.bytes(aggLen - 1).slice() : undefined;
  return { sources: meta.sources, timeMs: meta.timeMs, join, converts, aggregate };
}

/**
 * SUBSCRIBE TO over a join of streams: checkpoints, every `checkpoint_interval` seconds and when the query ends,
 * the join's state (both sides' live rows, the range watermarks), the changelog conversions' state below it,
 * and for every stream the position through which its events are in that state; RECOVER FROM restores them
 * and reads each stream from the position after. A position is taken when a block of its side reaches the
 * join (the tail reports positions before handing over their blocks), and a checkpoint only while the join
 * holds no block it has not handled and no output is on its way to the client: the positions then cover
 * exactly the state and the output sent. A global aggregation above the join is checkpointed with it (not while
 * it emits); windowed aggregations over a join are not supported yet (NOT_IMPLEMENTED).
 */
export async function runJoinSubscription(node: PlanNode, host: JoinSubscriptionHost): Promise<AsyncIterable<Block>> {
  const plan = joinPlanOf(node, (what) => new DbError('NOT_IMPLEMENTED', `SUBSCRIBE queries over ${what} are not supported yet: their state cannot be checkpointed`));
  const { join, aggregate, converts } = plan;
  const file = path.join(host.dir, 'join-checkpoint.bin');
  // Positions: reported by each tail (non-history), taken for a side when its block reaches the join.
  const positions = new JoinPositions(plan);

  const status = { queryId: host.queryId, checkpoints: 0, checkpointSn: -1, lastCheckpointMs: 0, running: true };
  let resolveDone!: () => void;
  const active: ActiveSubscription = { status, unsubscribed: false, persisting: Promise.resolve(), done: new Promise<void>((r) => (resolveDone = r)) };
  host.register(active);
  const release = (): void => {
    status.running = false;
    host.unregister(active);
    resolveDone();
  };

  let firstSaved = false;
  try {
    await host.prepare();
    if (host.isRecover) {
      let bytes: Uint8Array | undefined;
      try {
        bytes = await fs.readFile(file);
      } catch {
        bytes = undefined;
      }
      if (bytes) {
        const cp = decode(bytes, file);
        positions.restore(cp.sources, `query ${host.queryId}`);
        if (cp.converts.length !== converts.length) throw new DbError('LOGICAL_ERROR', `The checkpoint of query ${host.queryId} does not match its query's changelog conversions`);
        converts.forEach((c, i) => (c.restoreFrom = cp.converts[i]));
        join.restoreFrom = decodeJoinCheckpoint(cp.join);
        if (aggregate) {
          if (!cp.aggregate) throw new DbError('LOGICAL_ERROR', `The checkpoint of query ${host.queryId} has no aggregation state`);
          const restored = decodeCheckpoint(cp.aggregate, file).aggregate;
          if (!restored) throw new DbError('LOGICAL_ERROR', `The checkpoint of query ${host.queryId} has no aggregation state`);
          aggregate.restoreFrom = restored;
        }
        status.checkpointSn = cp.sources[0]?.sn ?? -1;
        status.lastCheckpointMs = cp.timeMs;
        firstSaved = true;
      }
    }
    if (active.unsubscribed) throw new DbError('QUERY_WAS_CANCELLED', `Query ${host.queryId} was unsubscribed`);
  } catch (e) {
    release();
    throw e;
  }

  const intervalS = settingNumber(host.settings, 'checkpoint_interval', 0);
  const intervalMs = (intervalS > 0 ? intervalS : host.defaultIntervalS) * 1000;
  let writing = false;
  let busy = false;
  let progress = 0;
  let checkpointed = -1;

  const snapshot = (): JoinSubscriptionCheckpoint | undefined => {
    if (writing || join.busy || aggregate?.emitting || !positions.known) return undefined;
    return {
      sources: positions.sources(),
      timeMs: Date.now(),
      join: encodeJoinCheckpoint(join.snapshotState()),
      aggregate: aggregate ? encodeCheckpoint({ sources: [], aggregate: aggregate.snapshotState(), timeMs: 0 }, aggregate.keys.map((k) => k.type)) : undefined,
      converts: convertStates(converts),
    };
  };
  const persist = (cp: JoinSubscriptionCheckpoint): void => {
    busy = true;
    active.persisting = (async () => {
      try {
        if (active.unsubscribed) return;
        await fs.mkdir(host.dir, { recursive: true });
        await writeFileAtomic(file, encode(cp));
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
    const key = progress + positions.sum;
    if (firstSaved && key === checkpointed) return;
    let cp: JoinSubscriptionCheckpoint | undefined;
    try {
      cp = snapshot();
    } catch {
      return; // runs on a timer: a failed snapshot must not take the server down; the next interval tries again
    }
    if (!cp) return;
    checkpointed = key;
    persist(cp);
  };

  const blocks = host.run();
  let began = false;
  host.signal.addEventListener('abort', () => began || release(), { once: true });
  // The starting positions are saved at once: RECOVER after an early KILL still sees every later event.
  const early = setInterval(() => {
    if (firstSaved || !positions.allStarted) return;
    clearInterval(early);
    checkpointSoon();
  }, 10);
  return (async function* (): AsyncGenerator<Block> {
    began = true;
    const timer = setInterval(checkpointSoon, intervalMs);
    try {
      for await (const block of blocks) {
        if (block.rows) {
          writing = true;
          yield block;
          writing = false;
        }
        progress++;
      }
    } finally {
      clearInterval(timer);
      clearInterval(early);
      await active.persisting;
      if (!active.unsubscribed && !writing) {
        let cp: JoinSubscriptionCheckpoint | undefined;
        try {
          cp = snapshot();
        } catch {
          cp = undefined;
        }
        if (cp) {
          persist(cp);
          await active.persisting;
        }
      }
      release();
    }
  })();
}
