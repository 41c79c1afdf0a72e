import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, statSync } from 'node:fs';
import path from 'node:path';

const ROOT = path.resolve(import.meta.dirname, '..', '..');

/** The newest modification time of the TypeScript sources under `dir`. */
function newestSource(dir: string): number {
  let newest = 0;
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) newest = Math.max(newest, newestSource(p));
    else if (e.name.endsWith('.ts')) newest = Math.max(newest, statSync(p).mtimeMs);
  }
  return newest;
}

/** Child servers run dist/: build it when it is missing or older than the sources (`npm test` builds first). */
export function ensureBuilt(): void {
  const cli = path.join(ROOT, 'dist', 'src', 'cli', 'hadron.js');
  const runner = path.join(ROOT, 'dist', 'src', 'streaming', 'materialized-view-runner.js');
  const built = existsSync(cli) && existsSync(runner) ? Math.min(statSync(cli).mtimeMs, statSync(runner).mtimeMs) : 0;
  if (built >= newestSource(path.join(ROOT, 'src')) && built >= newestSource(path.join(ROOT, 'protocols'))) return;
  spawnSync(process.execPath, [path.join(ROOT, 'node_modules', 'typescript', 'bin', 'tsc'), '-p', path.join(ROOT, 'tsconfig.json')], { stdio: 'ignore' });
  if (!existsSync(runner)) throw new Error('dist/ is missing: run `npm run build`');
}
