import { promises as fsp, type promises } from 'node:fs';
import * as path from 'node:path';
import { DbError } from '../errors/index.js';

/**
 * Durable filesystem steps the storage builds on: fsync of files and directories, atomic file replacement
 * (tmp + fsync + rename + fsync dir) and atomic directory removal (rename to `delete_*`, then remove).
 */

/** Maps an fs error to a DbError with a ClickHouse code (disk full, read-only, missing file). */
export function fsError(e: unknown, what: string): DbError {
  if (e instanceof DbError) return e;
  const err = e as NodeJS.ErrnoException;
  const detail = `${what}: ${err?.message ?? String(e)}`;
  switch (err?.code) {
    case 'ENOSPC':
    case 'EDQUOT':
      return new DbError('NOT_ENOUGH_SPACE', `Not enough space: ${detail}`);
    case 'EROFS':
      return new DbError('TABLE_IS_READ_ONLY', `Storage is read-only: ${detail}`);
    case 'ENOENT':
      return new DbError('FILE_DOESNT_EXIST', detail);
    case 'EACCES':
    case 'EPERM':
    case 'EMFILE':
    case 'ENFILE':
      return new DbError('CANNOT_OPEN_FILE', detail);
    default:
      return new DbError('CANNOT_WRITE_TO_FILE_DESCRIPTOR', detail);
  }
}

export async function fsyncDir(dir: string): Promise<void> {
  const fh = await fsp.open(dir, 'r');
  try {
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Writes a whole file, fsyncs it, and closes it. */
export async function writeFileDurable(file: string, data: Uint8Array | string): Promise<void> {
  const fh = await fsp.open(file, 'w');
  try {
    await fh.writeFile(data);
    await fh.sync();
  } finally {
    await fh.close();
  }
}

/** Replaces `file` atomically: a reader sees the old content or the new, never a mix, even after a crash. */
export async function writeFileAtomic(file: string, data: Uint8Array | string): Promise<void> {
  const tmp = `${file}.tmp`;
  try {
    await writeFileDurable(tmp, data);
    await fsp.rename(tmp, file);
    await fsyncDir(path.dirname(file));
  } catch (e) {
    await fsp.rm(tmp, { force: true }).catch(() => undefined);
    throw fsError(e, `cannot write ${file}`);
  }
}

export const DELETE_PREFIX = 'delete_';
export const TMP_PREFIX = 'tmp_';

/** Removes a directory so that a crash leaves either all of it or a `delete_*` leftover (removed at open). */
export async function removeDirAtomic(dir: string): Promise<void> {
  const doomed = path.join(path.dirname(dir), `${DELETE_PREFIX}${path.basename(dir)}`);
  try {
    await fsp.rename(dir, doomed);
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return;
    throw fsError(e, `cannot remove ${dir}`);
  }
  await fsp.rm(doomed, { recursive: true, force: true });
}

export async function exists(p: string): Promise<boolean> {
  try {
    await fsp.access(p);
    return true;
  } catch {
    return false;
  }
}

/** Throws QUERY_WAS_CANCELLED when the signal has fired. */
export function checkSignal(signal: AbortSignal | undefined): void {
  if (signal?.aborted) throw new DbError('QUERY_WAS_CANCELLED', 'Query was cancelled');
}

/** Reads exactly n bytes at `position` into a fresh (8-aligned) buffer, or fewer at end of file. */
export async function readAt(fh: promises.FileHandle, position: number, n: number): Promise<Uint8Array> {
  const buf = new Uint8Array(n);
  let got = 0;
  while (got < n) {
    const { bytesRead } = await fh.read(buf, got, n - got, position + got);
    if (bytesRead === 0) break;
    got += bytesRead;
  }
  return got === n ? buf : buf.subarray(0, got);
}

