import { DbError } from '../errors/index.js';

/**
 * How fast a random stream generates, after Proton's StorageRandom (`SETTINGS eps = …, interval_time = …`):
 *
 *   eps = 0 (below 1e-5)   as fast as possible: blocks of max_block_size back to back
 *   0 < eps < 1            one row every 1000 / eps ms (eps = 0.5: a row every 2 s)
 *   eps ≥ 1                floor(eps) rows a second, spread over 1000 / interval_time batches: the first batch
 *                          of each second carries the remainder and lasts interval_time + 1000 % interval_time ms
 *                          (eps = 2000, interval_time = 80: one batch of 174 rows, then 11 of 166, 80 ms apart)
 *
 * A historical read (`table(s)`) ignores eps and returns max_events rows (max_block_size when 0) at once.
 */
export interface RandomStreamSettings {
  /** Rows per second (0: unlimited). */
  readonly eps: number;
  /** Milliseconds between batches when eps ≥ 1, 1..1000. */
  readonly intervalMs: number;
  /** Proton's shards: independent generators, each with its share of eps and its own `_tp_shard`/`_tp_sn`. */
  readonly shards: number;
}

export const RANDOM_STREAM_DEFAULTS: RandomStreamSettings = { eps: 1000, intervalMs: 5, shards: 1 };

/** Below this eps counts as 0 (Proton: about one row a day). */
const MIN_EPS = 1e-5;

/**
 * Stream settings a random stream takes besides eps/interval_time/shards: Proton's format settings, and
 * event_time_column (the expression `_tp_time` is computed from, handled by CREATE).
 */
function isOtherStreamSetting(name: string): boolean {
  return /^(event_time_column$|format_|input_format_|output_format_|date_time_|bool_true_|bool_false_|schema_inference_|column_names_for_schema|errors_log_|interval_output_format|precise_float_parsing)/.test(name);
}

function numberSetting(name: string, text: string): number {
  const n = Number(text.trim());
  if (text.trim() === '' || !Number.isFinite(n) || n < 0) {
    throw new DbError('INVALID_SETTING_VALUE', `Invalid value '${text}' of setting ${name} for random stream: expected a non-negative number`);
  }
  return n;
}

/** Reads and validates a random stream's SETTINGS (CREATE RANDOM STREAM … SETTINGS eps = 10). */
export function randomStreamSettings(settings: Readonly<Record<string, string>>): RandomStreamSettings {
  let { eps, intervalMs, shards } = RANDOM_STREAM_DEFAULTS;
  for (const [name, value] of Object.entries(settings)) {
    if (name === 'eps') eps = numberSetting(name, value);
    else if (name === 'interval_time') intervalMs = numberSetting(name, value);
    else if (name === 'shards') shards = numberSetting(name, value);
    else if (!isOtherStreamSetting(name)) throw new DbError('UNKNOWN_SETTING', `Unknown setting ${name} for random stream: expected eps, interval_time or shards`);
  }
  if (!Number.isInteger(intervalMs) || intervalMs === 0 || intervalMs > 1000) {
    throw new DbError(
      'INVALID_SETTING_VALUE',
      'Storage Random requires eps and interval_time to be set and interval_time should be less than 1000ms and bigger than 0ms',
    );
  }
  if (!Number.isInteger(shards) || shards === 0) throw new DbError('INVALID_SETTING_VALUE', 'Invalid shards, shall not be 0');
  return { eps, intervalMs, shards };
}

/** One batch of a schedule: how many rows, and when (in the schedule's clock) they are due. */
export interface RandomBatch {
  readonly rows: number;
  readonly dueMs: number;
}

/**
 * The sequence of batches of a streaming random read, independent of any real clock: batch k is due at
 * `startMs` plus the lengths of the batches before it. The generator sleeps until a batch is due; when it falls
 * behind (a slow consumer) later batches are due at once, so the long-run rate stays eps.
 */
export class RandomSchedule {
  readonly mode: 'unlimited' | 'slow' | 'even';
  private dueMs: number;
  private index = 0;
  private readonly everyMs: number = 0;
  private readonly intervalCount: number = 0;
  private readonly intervalMs: number = 0;
  private readonly firstIntervalMs: number = 0;
  private readonly normalRows: number = 0;
  private readonly firstRows: number = 0;

  constructor(
    eps: number,
    intervalMs: number,
    startMs: number,
    /** Rows per batch when unlimited (max_block_size). */
    private readonly blockRows: number,
  ) {
    this.dueMs = startMs;
    if (!(eps >= MIN_EPS)) this.mode = 'unlimited';
    else if (eps < 1) {
      this.mode = 'slow';
      this.everyMs = Math.floor(1000 / eps);
    } else {
      this.mode = 'even';
      const perSecond = Math.floor(eps);
      this.intervalMs = intervalMs;
      this.intervalCount = Math.floor(1000 / intervalMs);
      this.firstIntervalMs = intervalMs + (1000 % intervalMs);
      this.normalRows = Math.floor(perSecond / this.intervalCount);
      this.firstRows = this.normalRows + (perSecond % this.intervalCount);
    }
  }

  /** The next batch (it may have 0 rows when eps is below the number of batches a second). */
  next(): RandomBatch {
    const dueMs = this.dueMs;
    switch (this.mode) {
      case 'unlimited':
        return { rows: this.blockRows, dueMs };
      case 'slow':
        this.dueMs += this.everyMs;
        return { rows: 1, dueMs };
      case 'even': {
        const first = this.index % this.intervalCount === 0;
        this.index++;
        this.dueMs += first ? this.firstIntervalMs : this.intervalMs;
        return { rows: first ? this.firstRows : this.normalRows, dueMs };
      }
    }
  }

  describe(): string {
    switch (this.mode) {
      case 'unlimited':
        return 'unlimited';
      case 'slow':
        return `1 row every ${this.everyMs} ms`;
      case 'even':
        return `${this.firstRows + this.normalRows * (this.intervalCount - 1)} rows/s in batches every ${this.intervalMs} ms`;
    }
  }
}

/** One generator of a random read (Proton runs one source per shard). `total` 0 = no end. */
export interface ShardPlan {
  readonly shard: number;
  readonly eps: number;
  readonly intervalMs: number;
  readonly total: number;
}

/**
 * The generators of one read, split as Proton's StorageRandom::read does: eps 0 gives every shard an unlimited
 * generator; 0 < eps < shards gives one generator (shard 0) at that eps; otherwise each shard gets
 * floor(eps / shards) rows a second, the last one the remainder too. `max_events` is shared the same way (a
 * shard whose share is 0 generates nothing). A historical read generates `total` rows per shard at once, and
 * max_block_size when max_events is 0.
 */
export function shardPlans(settings: RandomStreamSettings, eps: number, maxEvents: number, streaming: boolean, blockRows: number): ShardPlan[] {
  const n = settings.shards;
  const share = (i: number) => Math.floor(maxEvents / n) + (i === n - 1 ? maxEvents % n : 0);
  const plans: ShardPlan[] = [];
  if (!streaming) {
    for (let i = 0; i < n; i++) plans.push({ shard: i, eps: 0, intervalMs: settings.intervalMs, total: maxEvents ? share(i) : blockRows });
  } else if (!(eps >= MIN_EPS)) {
    for (let i = 0; i < n; i++) plans.push({ shard: i, eps: 0, intervalMs: 1000, total: share(i) });
  } else if (eps < n) {
    plans.push({ shard: 0, eps, intervalMs: 1000, total: maxEvents });
  } else {
    const whole = Math.floor(eps);
    const perShard = Math.floor(whole / n);
    for (let i = 0; i < n; i++) {
      plans.push({ shard: i, eps: perShard + (i === n - 1 ? whole % n : 0), intervalMs: settings.intervalMs, total: share(i) });
    }
  }
  return maxEvents ? plans.filter((p) => p.total > 0) : plans;
}
