import { promises as fsp } from 'node:fs';
import * as path from 'node:path';
import { DbError } from '../../errors/index.js';
import type { GranuleMinMax } from './granule-index.js';
import type { PartName } from './part-name.js';

/** A column of a part: its file and the byte offset where each compressed block starts (plus the file size). */
export interface PartColumnMeta {
  readonly name: string;
  /** Canonical type name (parseDataType round-trips it). */
  readonly type: string;
  readonly file: string;
  readonly marks: readonly number[];
}

/** `meta.json` of a part directory: everything needed to read it, written last, before the atomic rename. */
export interface PartMeta extends PartName {
  readonly format: 1;
  readonly name: string;
  /** The partition value as the engine printed it. */
  readonly partition: string;
  readonly rows: number;
  readonly granuleRows: number;
  /** Rows per compressed block (a multiple of granuleRows); the last block may be shorter. */
  readonly blockRows: number;
  readonly columns: readonly PartColumnMeta[];
  readonly sortKey: readonly string[];
  readonly index: readonly GranuleMinMax[];
  readonly createdMs: number;
  readonly bytesOnDisk: number;
}

export const META_FILE = 'meta.json';

/** ClickHouse's escapeForFileName: keeps [A-Za-z0-9_], %-encodes other bytes. */
export function columnFileName(name: string): string {
  let out = '';
  for (const b of new TextEncoder().encode(name)) {
    const c = String.fromCharCode(b);
    out += /[A-Za-z0-9_]/.test(c) ? c : `%${b.toString(16).toUpperCase().padStart(2, '0')}`;
  }
  return `${out}.bin`;
}

export async function readPartMeta(dir: string): Promise<PartMeta> {
  const file = path.join(dir, META_FILE);
  let text: string;
  try {
    text = await fsp.readFile(file, 'utf8');
  } catch (e) {
    throw new DbError('CORRUPTED_DATA', `Part ${path.basename(dir)} has no readable ${META_FILE}: ${(e as Error).message}`);
  }
  let meta: PartMeta;
  try {
    meta = JSON.parse(text) as PartMeta;
  } catch {
    throw new DbError('CORRUPTED_DATA', `Part ${path.basename(dir)}: ${META_FILE} is not valid JSON`);
  }
  if (meta.format !== 1 || typeof meta.rows !== 'number' || !Array.isArray(meta.columns)) {
    throw new DbError('CORRUPTED_DATA', `Part ${path.basename(dir)}: unsupported or damaged ${META_FILE}`);
  }
  const blocks = Math.ceil(meta.rows / meta.blockRows);
  for (const c of meta.columns) {
    if (c.marks.length !== blocks + 1) throw new DbError('CORRUPTED_DATA', `Part ${meta.name}: column ${c.name} has ${c.marks.length} marks for ${blocks} blocks`);
  }
  return meta;
}
