import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import type { Block } from '../../src/core/block.js';

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
