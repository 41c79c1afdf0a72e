import { BodyReader, ProtocolViolation, msg } from './codec.js';

/** Frontend messages after startup, as a tagged union. */
export type FrontendMessage =
  | { kind: 'Query'; sql: string }
  | { kind: 'Parse'; name: string; sql: string; paramTypes: number[] }
  | { kind: 'Bind'; portal: string; statement: string; paramFormats: number[]; params: (Buffer | null)[]; resultFormats: number[] }
  | { kind: 'Describe'; target: 'S' | 'P'; name: string }
  | { kind: 'Execute'; portal: string; maxRows: number }
  | { kind: 'Close'; target: 'S' | 'P'; name: string }
  | { kind: 'Sync' }
  | { kind: 'Flush' }
  | { kind: 'Terminate' }
  | { kind: 'Password'; data: Buffer }
  | { kind: 'CopyData'; data: Buffer }
  | { kind: 'CopyDone' }
  | { kind: 'CopyFail'; message: string };

export function parseFrontend(type: number, body: Buffer): FrontendMessage {
  const r = new BodyReader(body);
  switch (String.fromCharCode(type)) {
    case 'Q':
      return { kind: 'Query', sql: r.cstring('query string') };
    case 'P': {
      const name = r.cstring('statement name');
      const sql = r.cstring('query string');
      const n = r.int16('parameter count');
      if (n < 0) throw new ProtocolViolation('negative parameter count');
      const paramTypes: number[] = [];
      for (let i = 0; i < n; i++) paramTypes.push(r.int32('parameter type') >>> 0);
      return { kind: 'Parse', name, sql, paramTypes };
    }
    case 'B': {
      const portal = r.cstring('portal name');
      const statement = r.cstring('statement name');
      const nf = r.int16('format count');
      if (nf < 0) throw new ProtocolViolation('negative format count');
      const paramFormats: number[] = [];
      for (let i = 0; i < nf; i++) paramFormats.push(r.int16('parameter format'));
      const np = r.int16('parameter count');
      if (np < 0) throw new ProtocolViolation('negative parameter count');
      const params: (Buffer | null)[] = [];
      for (let i = 0; i < np; i++) {
        const len = r.int32('parameter length');
        if (len < -1) throw new ProtocolViolation(`invalid parameter length ${len}`);
        params.push(len === -1 ? null : Buffer.from(r.bytes(len, 'parameter value')));
      }
      const nr = r.int16('result format count');
      if (nr < 0) throw new ProtocolViolation('negative result format count');
      const resultFormats: number[] = [];
      for (let i = 0; i < nr; i++) resultFormats.push(r.int16('result format'));
      return { kind: 'Bind', portal, statement, paramFormats, params, resultFormats };
    }
    case 'D':
    case 'C': {
      const t = String.fromCharCode(r.byte('target'));
      if (t !== 'S' && t !== 'P') throw new ProtocolViolation(`invalid ${type === 68 ? 'DESCRIBE' : 'CLOSE'} message subtype ${t.charCodeAt(0)}`);
      const name = r.cstring('name');
      return type === 68 ? { kind: 'Describe', target: t, name } : { kind: 'Close', target: t, name };
    }
    case 'E':
      return { kind: 'Execute', portal: r.cstring('portal name'), maxRows: r.int32('row limit') };
    case 'S':
      return { kind: 'Sync' };
    case 'H':
      return { kind: 'Flush' };
    case 'X':
      return { kind: 'Terminate' };
    case 'p':
      return { kind: 'Password', data: Buffer.from(r.rest()) };
    case 'd':
      return { kind: 'CopyData', data: Buffer.from(r.rest()) };
    case 'c':
      return { kind: 'CopyDone' };
    case 'f':
      return { kind: 'CopyFail', message: r.cstring('message') };
  }
  throw new ProtocolViolation(`invalid frontend message type ${type}`);
}

/** The startup packet: protocol version, or one of the special request codes. */
export type StartupPacket =
  | { kind: 'Startup'; params: Map<string, string> }
  | { kind: 'SSLRequest' }
  | { kind: 'GSSENCRequest' }
  | { kind: 'Cancel'; pid: number; secret: number };

export function parseStartup(body: Buffer): StartupPacket {
  const r = new BodyReader(body);
  const code = r.int32('protocol version');
  if (code === 80877103) return { kind: 'SSLRequest' };
  if (code === 80877104) return { kind: 'GSSENCRequest' };
  if (code === 80877102) return { kind: 'Cancel', pid: r.int32('process id'), secret: r.int32('secret key') };
  if (code >> 16 !== 3) throw new ProtocolViolation(`unsupported frontend protocol ${code >> 16}.${code & 0xffff}: server supports 3.0`);
  const params = new Map<string, string>();
  for (;;) {
    const k = r.cstring('parameter name');
    if (k === '') break;
    params.set(k, r.cstring('parameter value'));
  }
  return { kind: 'Startup', params };
}

// ------------------------------------------------------------------ backend messages

export interface FieldDescription {
  readonly name: string;
  readonly typeOid: number;
  readonly typeSize: number;
  readonly typeModifier: number;
  readonly format: number;
}

export const backend = {
  authOk: () => msg('R').int32(0).done(),
  authCleartext: () => msg('R').int32(3).done(),
  authMd5: (salt: Buffer) => msg('R').int32(5).raw(salt).done(),
  authSasl: (mechanisms: string[]) => {
    const m = msg('R').int32(10);
    for (const x of mechanisms) m.cstring(x);
    return m.byte(0).done();
  },
  authSaslContinue: (data: string) => msg('R').int32(11).raw(Buffer.from(data)).done(),
  authSaslFinal: (data: string) => msg('R').int32(12).raw(Buffer.from(data)).done(),
  parameterStatus: (name: string, value: string) => msg('S').cstring(name).cstring(value).done(),
  backendKeyData: (pid: number, secret: number) => msg('K').int32(pid).int32(secret).done(),
  readyForQuery: (status: 'I' | 'T' | 'E') => msg('Z').byte(status.charCodeAt(0)).done(),
  commandComplete: (tag: string) => msg('C').cstring(tag).done(),
  emptyQuery: () => msg('I').done(),
  parseComplete: () => msg('1').done(),
  bindComplete: () => msg('2').done(),
  closeComplete: () => msg('3').done(),
  noData: () => msg('n').done(),
  portalSuspended: () => msg('s').done(),
  parameterDescription: (oids: number[]) => {
    const m = msg('t').int16(oids.length);
    for (const o of oids) m.int32(o);
    return m.done();
  },
  rowDescription: (fields: readonly FieldDescription[]) => {
    const m = msg('T').int16(fields.length);
    for (const f of fields) m.cstring(f.name).int32(0).int16(0).int32(f.typeOid).int16(f.typeSize).int32(f.typeModifier).int16(f.format);
    return m.done();
  },
  copyOutResponse: (columns: number) => {
    const m = msg('H').byte(0).int16(columns);
    for (let i = 0; i < columns; i++) m.int16(0);
    return m.done();
  },
  copyInResponse: (columns: number) => {
    const m = msg('G').byte(0).int16(columns);
    for (let i = 0; i < columns; i++) m.int16(0);
    return m.done();
  },
  copyData: (data: Buffer) => msg('d').raw(data).done(),
  copyDone: () => msg('c').done(),
};

export interface ErrorFields {
  readonly severity: 'ERROR' | 'FATAL';
  readonly code: string;
  readonly message: string;
  readonly detail?: string;
  readonly hint?: string;
  readonly position?: number;
}

export function errorResponse(e: ErrorFields): Buffer {
  const m = msg('E').byte(83).cstring(e.severity).byte(86).cstring(e.severity).byte(67).cstring(e.code).byte(77).cstring(e.message);
  if (e.detail) m.byte(68).cstring(e.detail);
  if (e.hint) m.byte(72).cstring(e.hint);
  if (e.position) m.byte(80).cstring(String(e.position));
  return m.byte(0).done();
}
