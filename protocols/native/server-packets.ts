import { Block, type Header } from '../../src/core/block.js';
import { encodeCompressedBlock, type CompressionMethod } from '../../src/compression/index.js';
import type { DbError } from '../../src/errors/index.js';
import { encodeNativeBlock } from '../../src/formats/native-block.js';
import { BinaryWriter } from '../../src/types/serializations/buffer.js';
import { Rev, ServerPacket } from './protocol.js';

/** Encoders of the packets the server sends, appended to a BinaryWriter (one socket write per batch). */

export interface ServerHelloInfo {
  readonly name: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly versionPatch: number;
  readonly revision: number;
  readonly timezone: string;
  readonly displayName: string;
}

/** Fields are gated on the negotiated revision (ClickHouse gates them on the client's, which is never lower). */
export function writeHello(w: BinaryWriter, info: ServerHelloInfo, revision: number): void {
  w.varuint(ServerPacket.Hello);
  w.string(info.name);
  w.varuint(info.versionMajor);
  w.varuint(info.versionMinor);
  w.varuint(info.revision);
  if (revision >= Rev.ServerTimezone) w.string(info.timezone);
  if (revision >= Rev.ServerDisplayName) w.string(info.displayName);
  if (revision >= Rev.VersionPatch) w.varuint(info.versionPatch);
}

export function writeException(w: BinaryWriter, e: DbError): void {
  w.varuint(ServerPacket.Exception);
  for (let cur: DbError | undefined = e; cur !== undefined; cur = cur.nested) {
    w.i32(cur.code);
    w.string('DB::Exception');
    // ClickHouse sends displayText(), which carries the exception name as a prefix.
    w.string(`DB::Exception: ${cur.message}`);
    w.string('');
    w.u8(cur.nested ? 1 : 0);
  }
}

export interface ProgressDelta {
  readRows: number;
  readBytes: number;
  totalRows: number;
  writtenRows: number;
  writtenBytes: number;
  elapsedNs: number;
}

export function writeProgress(w: BinaryWriter, p: ProgressDelta, revision: number): void {
  w.varuint(ServerPacket.Progress);
  w.varuint(p.readRows);
  w.varuint(p.readBytes);
  w.varuint(p.totalRows);
  if (revision >= Rev.ClientWriteInfo) {
    w.varuint(p.writtenRows);
    w.varuint(p.writtenBytes);
  }
  if (revision >= Rev.ServerQueryTimeInProgress) w.varuint(p.elapsedNs);
}

export interface ProfileInfo {
  readonly rows: number;
  readonly blocks: number;
  readonly bytes: number;
  readonly appliedLimit: boolean;
  readonly rowsBeforeLimit: number;
  readonly calculatedRowsBeforeLimit: boolean;
}

export function writeProfileInfo(w: BinaryWriter, p: ProfileInfo): void {
  w.varuint(ServerPacket.ProfileInfo);
  w.varuint(p.rows);
  w.varuint(p.blocks);
  w.varuint(p.bytes);
  w.u8(p.appliedLimit ? 1 : 0);
  w.varuint(p.rowsBeforeLimit);
  w.u8(p.calculatedRowsBeforeLimit ? 1 : 0);
}

export function writePong(w: BinaryWriter): void {
  w.varuint(ServerPacket.Pong);
}

export function writeEndOfStream(w: BinaryWriter): void {
  w.varuint(ServerPacket.EndOfStream);
}

/** ColumnsDescription text (`columns format version: 1`), which clients use to fill defaults of omitted fields. */
export function writeTableColumns(w: BinaryWriter, header: Header): void {
  w.varuint(ServerPacket.TableColumns);
  w.string('');
  let text = `columns format version: 1\n${header.length} columns:\n`;
  for (const c of header) text += `\`${c.name.replace(/\\/g, '\\\\').replace(/`/g, '\\`')}\` ${c.type.name}\n`;
  w.string(text);
}

export function writeTablesStatusResponse(w: BinaryWriter, tables: ReadonlyArray<readonly [string, string]>): void {
  w.varuint(ServerPacket.TablesStatusResponse);
  w.varuint(tables.length);
  for (const [db, table] of tables) {
    w.string(db);
    w.string(table);
    w.u8(0); // not replicated: no delay to report
  }
}

/** Frames of at most this many uncompressed bytes, as ClickHouse's max_compress_block_size. */
const MAX_FRAME_BYTES = 1 << 20;

export interface BlockPacketOptions {
  readonly revision: number;
  /** Compress the block (not the packet code and table name) when set. */
  readonly compression: CompressionMethod | undefined;
  readonly zstdLevel?: number;
}

/** A Data, Totals or Extremes packet: code, table name, then the block (BlockInfo first), maybe compressed. */
export function writeBlockPacket(
  w: BinaryWriter,
  code: typeof ServerPacket.Data | typeof ServerPacket.Totals | typeof ServerPacket.Extremes | typeof ServerPacket.Log | typeof ServerPacket.ProfileEvents,
  block: Block,
  options: BlockPacketOptions,
  compress = true,
): void {
  w.varuint(code);
  w.string('');
  const native = { revision: options.revision, withBlockInfo: true };
  if (options.compression === undefined || !compress) {
    encodeNativeBlock(block, w, native);
    return;
  }
  const raw = new BinaryWriter(Math.max(1024, block.byteSize + 64 * block.header.length + 64));
  encodeNativeBlock(block, raw, native);
  const bytes = raw.buf.subarray(0, raw.pos);
  for (let at = 0; at < bytes.length; at += MAX_FRAME_BYTES) {
    w.bytes(encodeCompressedBlock(bytes.subarray(at, Math.min(bytes.length, at + MAX_FRAME_BYTES)), options.compression, options.zstdLevel));
  }
}

export function headerBlock(header: Header): Block {
  return Block.empty(header);
}
