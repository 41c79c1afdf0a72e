import { execFileSync, spawn } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { StreamStorage } from '../../src/storage/index.js';
import { CRASH_HEADER_SPEC } from './crash-schema.js';
import { header, rng, tempDir } from './helpers.js';

/**
 * SIGKILL at random moments while a child process inserts (with the committer, merges and log retention
 * running): after every restart each acknowledged row must be present exactly once, and every block present
 * at all must be present whole (no half-written record).
 */

const repo = fileURLToPath(new URL('../..', import.meta.url));
let build: { dir: string; cleanup: () => void };
let childJs: string;

beforeAll(() => {
  build = tempDir('hadron-crash-build-');
  execFileSync(
    path.join(repo, 'node_modules/.bin/tsc'),
    ['--outDir', build.dir, '--rootDir', repo, '--module', 'nodenext', '--moduleResolution', 'nodenext', '--target', 'es2022', '--strict', '--skipLibCheck', '--types', 'node', path.join(repo, 'test/storage/crash-child.ts')],
    { cwd: repo, stdio: 'pipe' },
  );
  fs.writeFileSync(path.join(build.dir, 'package.json'), '{"type":"module"}');
  childJs = path.join(build.dir, 'test/storage/crash-child.js');
}, 120_000);

afterAll(() => build?.cleanup());

interface Ack {
  firstId: number;
  n: number;
  firstSn: number;
}

/** Runs the child until a random moment after it has acknowledged some inserts, then SIGKILLs it. */
function runAndKill(dir: string, run: number, killAfterMs: number): Promise<{ acks: Ack[]; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, [childJs, dir, String(run)], { stdio: ['ignore', 'pipe', 'pipe'] });
    const acks: Ack[] = [];
    let buf = '';
    let stderr = '';
    let timer: NodeJS.Timeout | undefined;
    child.stdout.on('data', (d: Buffer) => {
      buf += d.toString();
      let nl: number;
      while ((nl = buf.indexOf('\n')) >= 0) {
        const line = buf.slice(0, nl);
        buf = buf.slice(nl + 1);
        if (line === 'READY' && !timer) timer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
        const m = /^ACK (\d+) (\d+) (\d+)$/.exec(line);
        if (m) acks.push({ firstId: Number(m[1]), n: Number(m[2]), firstSn: Number(m[3]) });
      }
    });
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('error', reject);
    child.on('exit', (code, signal) => {
      if (timer) clearTimeout(timer);
      if (signal !== 'SIGKILL') reject(new Error(`child exited with ${code}: ${stderr}`));
      else resolve({ acks, stderr });
    });
  });
}

async function verify(dir: string, acked: Ack[]): Promise<{ rows: number; parts: number }> {
  const s = await StreamStorage.open({ dir, header: header(CRASH_HEADER_SPEC), sortKey: ['id'], commit: { enabled: false }, merge: { enabled: false } });
  try {
    const seen = new Map<number, { blk: number; n: number }>();
    const blocks = new Map<number, { n: number; count: number }>();
    for await (const b of s.read({ columns: ['id', 'blk', 'n', 's'] })) {
      const ids = b.columns[0]!.kind === 'numeric' ? (b.columns[0].data as Uint32Array) : new Uint32Array();
      const blk = (b.columns[1] as { data: Uint32Array }).data;
      const n = (b.columns[2] as { data: Uint32Array }).data;
      for (let i = 0; i < b.rows; i++) {
        if (seen.has(ids[i]!)) throw new Error(`row ${ids[i]} appears twice`);
        seen.set(ids[i]!, { blk: blk[i]!, n: n[i]! });
        const e = blocks.get(blk[i]!) ?? { n: n[i]!, count: 0 };
        e.count++;
        blocks.set(blk[i]!, e);
      }
      const rows = b.toRows();
      for (const r of rows) expect(r[3]).toBe(`payload-${r[0]}-${'x'.repeat((r[0] as number) % 40)}`);
    }
    for (const a of acked) {
      for (let i = 0; i < a.n; i++) {
        if (!seen.has(a.firstId + i)) throw new Error(`acknowledged row ${a.firstId + i} (sn ${a.firstSn + i}) is missing`);
      }
    }
    for (const [blk, e] of blocks) if (e.count !== e.n) throw new Error(`block ${blk} is partial: ${e.count} of ${e.n} rows`);
    return { rows: seen.size, parts: s.parts().length };
  } finally {
    await s.close();
  }
}

describe('crash safety under SIGKILL', () => {
  it('loses no acknowledged row and exposes no partial block across repeated kills', async () => {
    const t = tempDir('hadron-crash-');
    try {
      const dir = path.join(t.dir, 'stream');
      const r = rng(Date.now() & 0xffff);
      const acked: Ack[] = [];
      const runs = Number(process.env['HADRON_CRASH_RUNS'] ?? 6);
      for (let run = 1; run <= runs; run++) {
        const { acks } = await runAndKill(dir, run, 150 + Math.floor(r() * 500));
        acked.push(...acks);
        expect(acks.length, `run ${run} acknowledged nothing`).toBeGreaterThan(0);
        const { rows, parts } = await verify(dir, acked);
        console.log(`run ${run}: ${acks.length} acks this run, ${rows} rows present, ${acked.reduce((s, a) => s + a.n, 0)} acknowledged, ${parts} parts`);
        expect(rows).toBeGreaterThanOrEqual(acked.reduce((s, a) => s + a.n, 0));
      }
      // Sequence numbers were never reused across restarts.
      const sns = acked.map((a) => [a.firstSn, a.firstSn + a.n - 1] as const).sort((a, b) => a[0] - b[0]);
      for (let i = 1; i < sns.length; i++) expect(sns[i]![0]).toBeGreaterThan(sns[i - 1]![1]);
    } finally {
      t.cleanup();
    }
  }, 600_000);
});
