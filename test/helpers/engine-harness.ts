import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import type { Block } from '../../src/core/block.js';
import { formatValueText } from '../../src/types/text-conversion.js';

/** An in-process engine over a temporary data directory, for tests at the Session API level. */
export interface EngineHarness {
  readonly engine: Engine;
  session(): Session;
  /** Runs a statement to completion. */
  exec(sql: string): Promise<void>;
  /** Starts a (streaming) query; `onBlock` sees each result block until `stop()` or the end. */
  start(sql: string, onBlock: (b: Block) => void): Promise<{ stop: () => void; error: () => unknown; done: Promise<void> }>;
  close(): Promise<void>;
}

export async function startEngine(prefix: string): Promise<EngineHarness> {
  const dir = mkdtempSync(path.join(os.tmpdir(), `hadron-${prefix}-`));
  const engine = new Engine({ dataDir: dir, timezone: 'UTC' });
  await engine.start();
  const session = (): Session => engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
  const writer = session();
  return {
    engine,
    session,
    async exec(sql) {
      const r = await writer.execute({ sql });
      for await (const _ of r.blocks) {
        /* drain */
      }
    },
    async start(sql, onBlock) {
      const ac = new AbortController();
      const r = await session().execute({ sql, signal: ac.signal });
      let error: unknown;
      const done = (async () => {
        try {
          for await (const b of r.blocks) onBlock(b);
        } catch (e) {
          if (!ac.signal.aborted) error = e;
        }
      })();
      return { stop: () => ac.abort(), error: () => error, done };
    },
    async close() {
      await engine.stop();
      rmSync(dir, { recursive: true, force: true });
    },
  };
}

/** Polls `pred` until it holds; fails with `what` after the deadline. */
export async function until(pred: () => boolean, what: string, timeoutMs = 20_000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!pred()) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await new Promise((r) => setTimeout(r, 5));
  }
}

/** A streaming query's rows as text, as they arrive. */
export interface StreamedRows {
  readonly rows: string[][];
  /** The result's column names (known once the first block has arrived). */
  readonly columns: string[];
  stop(): void;
  /** Waits until `pred` holds of the rows so far (a number: until that many rows); a query error fails it. */
  waitFor(pred: ((rows: string[][]) => boolean) | number, timeoutMs?: number): Promise<void>;
}

export async function streamRows(h: EngineHarness, sql: string): Promise<StreamedRows> {
  const rows: string[][] = [];
  const columns: string[] = [];
  const q = await h.start(sql, (b) => {
    if (!columns.length) columns.push(...b.header.map((c) => c.name));
    for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
  });
  return {
    rows,
    columns,
    stop: q.stop,
    async waitFor(pred, timeoutMs = 10_000) {
      const ok = typeof pred === 'number' ? (r: string[][]) => r.length >= pred : pred;
      await until(() => {
        if (q.error()) throw q.error();
        return ok(rows);
      }, `rows; so far: ${JSON.stringify(rows)}`, timeoutMs);
    },
  };
}

