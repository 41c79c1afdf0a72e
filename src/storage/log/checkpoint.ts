import { promises as fsp } from 'node:fs';
import { DbError } from '../../errors/index.js';
import { writeFileAtomic } from '../fs-util.js';
import { crc32c } from './crc32c.js';

/**
 * The committed-sequence-number checkpoint of a stream: `committedSn` is the highest sequence number whose rows
 * are durable in parts (everything above it is served from, or re-committed from, the log); `minVisibleSn` is
 * the first sequence number after the last TRUNCATE (parts and log records below it are dead).
 * Written atomically after the parts it describes are durable; a CRC guards against a damaged file.
 */
export interface CheckpointState {
  readonly committedSn: number;
  readonly minVisibleSn: number;
}

export const INITIAL_CHECKPOINT: CheckpointState = { committedSn: -1, minVisibleSn: 0 };

const enc = new TextEncoder();

export async function readCheckpoint(file: string): Promise<CheckpointState> {
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    if ((e as NodeJS.ErrnoException).code === 'ENOENT') return INITIAL_CHECKPOINT;
    throw e;
  }
  let doc: { committedSn?: unknown; minVisibleSn?: unknown; crc32c?: unknown };
  try {
    doc = JSON.parse(text) as typeof doc;
  } catch {
    throw new DbError('CORRUPTED_DATA', `Checkpoint ${file} is not valid JSON`);
  }
  const { committedSn, minVisibleSn } = doc;
  if (typeof committedSn !== 'number' || typeof minVisibleSn !== 'number' || doc.crc32c !== checksum(committedSn, minVisibleSn)) {
    throw new DbError('CHECKSUM_DOESNT_MATCH', `Checkpoint ${file} is damaged`);
  }
  return { committedSn, minVisibleSn };
}

export async function writeCheckpoint(file: string, state: CheckpointState): Promise<void> {
  const doc = { ...state, crc32c: checksum(state.committedSn, state.minVisibleSn) };
  await writeFileAtomic(file, JSON.stringify(doc) + '\n');
}

function checksum(committedSn: number, minVisibleSn: number): number {
  return crc32c(enc.encode(`${committedSn}:${minVisibleSn}`));
}
