import type { Header } from '../../src/core/block.js';
import { mysqlColumnType } from './column-types.js';
import type { PacketWriter } from './packet-codec.js';

/** OK, EOF and column-definition packets. */

export interface OkInfo {
  readonly affectedRows?: number;
  readonly lastInsertId?: number;
  readonly status: number;
  readonly warnings?: number;
  readonly info?: string;
}

export function writeOk(w: PacketWriter, ok: OkInfo, header = 0x00): void {
  w.begin().u8(header).lenencInt(ok.affectedRows ?? 0).lenencInt(ok.lastInsertId ?? 0).u16(ok.status).u16(ok.warnings ?? 0);
  if (ok.info) w.restString(ok.info);
  w.end();
}

/** The end of a result set: EOF, or with CLIENT_DEPRECATE_EOF an OK packet with the 0xFE header. */
export function writeEnd(w: PacketWriter, deprecateEof: boolean, status: number): void {
  if (deprecateEof) writeOk(w, { status }, 0xfe);
  else w.begin().u8(0xfe).u16(0).u16(status).end();
}

/** A plain EOF packet (between column definitions and rows when CLIENT_DEPRECATE_EOF is off). */
export function writeEof(w: PacketWriter, status: number): void {
  w.begin().u8(0xfe).u16(0).u16(status).end();
}

export function writeColumnDefinitions(w: PacketWriter, header: Header, schema: string, fieldList = false): void {
  for (const c of header) {
    const t = mysqlColumnType(c.type);
    w.begin()
      .lenencString('def')
      .lenencString(schema)
      .lenencString('')
      .lenencString('')
      .lenencString(c.name)
      .lenencString(c.name)
      .lenencInt(0x0c)
      .u16(t.charset)
      .u32(t.length)
      .u8(t.fieldType)
      .u16(t.flags)
      .u8(t.decimals)
      .u16(0);
    // COM_FIELD_LIST rows carry a default value; NULL here.
    if (fieldList) w.u8(0xfb);
    w.end();
  }
}

/** Column count, column definitions and (without CLIENT_DEPRECATE_EOF) the EOF after them. */
export function writeResultHeader(w: PacketWriter, header: Header, schema: string, deprecateEof: boolean, status: number): void {
  w.begin().lenencInt(header.length).end();
  writeColumnDefinitions(w, header, schema);
  if (!deprecateEof) writeEof(w, status);
}
