import { mkdtempSync, rmSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { Engine } from '../../src/server/engine.js';
import type { Session } from '../../src/server/session-api.js';
import { DbError } from '../../src/errors/index.js';
import { formatValueText } from '../../src/types/text-conversion.js';

/** One engine over a data directory that outlives restarts (`restart()` stops it and opens it again). */
export class UdfTestEngine {
  engine!: Engine;
  private writer!: Session;
  readonly dir: string;

  private constructor(prefix: string) {
    this.dir = mkdtempSync(path.join(os.tmpdir(), `hadron-${prefix}-`));
  }

  static async open(prefix: string): Promise<UdfTestEngine> {
    const t = new UdfTestEngine(prefix);
    await t.boot();
    return t;
  }

  private async boot(): Promise<void> {
    this.engine = new Engine({ dataDir: this.dir, timezone: 'UTC' });
    await this.engine.start();
    this.writer = this.session();
  }

  session(): Session {
    return this.engine.openSession({ user: 'default', password: '' }, { interface: 'http' });
  }

  /** Runs a statement to completion; rows as text. */
  async query(sql: string, settings?: Record<string, string>): Promise<string[][]> {
    const r = await this.writer.execute({ sql, settings: settings ? new Map(Object.entries(settings)) : undefined });
    const rows: string[][] = [];
    for await (const b of r.blocks) for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
    return rows;
  }

  /** The DbError a statement fails with (fails the test if it succeeds). */
  async error(sql: string, settings?: Record<string, string>): Promise<DbError> {
    try {
      await this.query(sql, settings);
    } catch (e) {
      if (e instanceof DbError) return e;
      throw e;
    }
    throw new Error(`expected an error from: ${sql}`);
  }

  /** A streaming query: its rows as they arrive. */
  async stream(sql: string): Promise<{ rows: string[][]; waitFor(pred: (rows: string[][]) => boolean, what: string): Promise<void>; stop(): Promise<void>; error(): unknown }> {
    const ac = new AbortController();
    const r = await this.session().execute({ sql, signal: ac.signal });
    const rows: string[][] = [];
    let error: unknown;
    const done = (async () => {
      try {
        for await (const b of r.blocks) for (let i = 0; i < b.rows; i++) rows.push(b.columns.map((c, k) => formatValueText(b.header[k]!.type, c, i, 'UTC')));
      } catch (e) {
        if (!ac.signal.aborted) error = e;
      }
    })();
    return {
      rows,
      error: () => error,
      async waitFor(pred, what) {
        const deadline = Date.now() + 20_000;
        while (!pred(rows)) {
          if (error) throw error instanceof Error ? error : new Error(String(error));
          if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}; rows so far: ${JSON.stringify(rows)}`);
          await new Promise((res) => setTimeout(res, 10));
        }
      },
      async stop() {
        ac.abort();
        await done;
      },
    };
  }

  async restart(): Promise<void> {
    await this.engine.stop();
    await this.boot();
  }

  async close(): Promise<void> {
    await this.engine.stop();
    rmSync(this.dir, { recursive: true, force: true });
  }
}
