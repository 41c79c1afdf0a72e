import { DbError } from '../../src/errors/index.js';
import type { BinaryReader } from '../../src/types/serializations/buffer.js';
import { readLegacySettingValue } from './legacy-settings.js';
import { ClientInterface, Rev, SettingFlag } from './protocol.js';

/** Decoders of the packets a client sends (after the packet code). */

export interface ClientHello {
  readonly clientName: string;
  readonly versionMajor: number;
  readonly versionMinor: number;
  readonly revision: number;
  readonly database: string;
  readonly user: string;
  readonly password: string;
}

export function readClientHello(r: BinaryReader): ClientHello {
  const clientName = r.string();
  const versionMajor = r.varuint();
  const versionMinor = r.varuint();
  const revision = r.varuint();
  const database = r.string();
  const user = r.string();
  const password = r.string();
  return { clientName, versionMajor, versionMinor, revision, database, user, password };
}

export interface QueryClientInfo {
  readonly queryKind: number;
  readonly initialUser: string;
  readonly initialQueryId: string;
  readonly initialAddress: string;
  readonly interface: number;
  readonly osUser: string;
  readonly clientHostname: string;
  readonly clientName: string;
  readonly quotaKey: string;
}

export interface QueryPacket {
  readonly queryId: string;
  readonly clientInfo: QueryClientInfo | undefined;
  readonly settings: Map<string, string>;
  readonly stage: number;
  readonly compression: boolean;
  readonly sql: string;
  readonly params: Map<string, string>;
}

function readClientInfo(r: BinaryReader, revision: number): QueryClientInfo | undefined {
  const queryKind = r.u8();
  // ClickHouse writes nothing more for an empty ClientInfo (query kind NO_QUERY).
  if (queryKind === 0) return undefined;
  if (queryKind > 2) throw new DbError('UNKNOWN_PACKET_FROM_CLIENT', `Unknown query kind ${queryKind} in ClientInfo`);
  const initialUser = r.string();
  const initialQueryId = r.string();
  const initialAddress = r.string();
  if (revision >= Rev.QueryStartTime) r.skip(8);
  const iface = r.u8();
  let osUser = '';
  let clientHostname = '';
  let clientName = '';
  if (iface === ClientInterface.TCP) {
    osUser = r.string();
    clientHostname = r.string();
    clientName = r.string();
    r.varuint(); // client major
    r.varuint(); // client minor
    r.varuint(); // client revision
  } else if (iface === ClientInterface.HTTP) {
    r.u8(); // HTTP method
    r.string(); // user agent
    if (revision >= 54443) r.string(); // X-Forwarded-For
    if (revision >= 54447) r.string(); // Referer
  } else if (iface === 0) {
    throw new DbError('UNKNOWN_PACKET_FROM_CLIENT', 'Unknown interface 0 in ClientInfo');
  }
  // Other interfaces (gRPC, MySQL, Postgres, LOCAL = 6 from clickhouse-local / chdb, …) carry no fields here.
  const quotaKey = revision >= Rev.QuotaKeyInClientInfo ? r.string() : '';
  if (revision >= Rev.DistributedDepth) r.varuint();
  if (iface === ClientInterface.TCP && revision >= Rev.VersionPatch) r.varuint();
  if (revision >= Rev.OpenTelemetry) {
    if (r.u8() !== 0) {
      r.skip(16); // trace id
      r.skip(8); // span id
      r.string(); // tracestate
      r.u8(); // trace flags
    }
  }
  if (revision >= Rev.ParallelReplicas) {
    r.varuint();
    r.varuint();
    r.varuint();
  }
  return { queryKind, initialUser, initialQueryId, initialAddress, interface: iface, osUser, clientHostname, clientName, quotaKey };
}

/**
 * Settings: from revision 54429 name, flags, value as text (custom settings and parameters carry a quoted
 * Field dump); before, name then the value in its type's binary form. An empty name ends the list.
 */
function readSettings(r: BinaryReader, revision: number, into: Map<string, string>, valuesAreDumps = false): void {
  for (;;) {
    const name = r.string();
    if (name === '') return;
    if (revision >= Rev.SettingsAsStrings) {
      const flags = r.varuint();
      const value = r.string();
      into.set(name, valuesAreDumps || flags & SettingFlag.Custom ? unquoteFieldDump(value) : value);
    } else {
      into.set(name, readLegacySettingValue(r, name));
    }
  }
}

export function readQueryPacket(r: BinaryReader, revision: number): QueryPacket {
  const queryId = r.string();
  const clientInfo = revision >= Rev.ClientInfo ? readClientInfo(r, revision) : undefined;
  const settings = new Map<string, string>();
  readSettings(r, revision, settings);
  if (revision >= Rev.InterserverSecret) r.string();
  const stage = r.varuint();
  const compression = r.varuint();
  if (compression > 1) throw new DbError('UNKNOWN_PACKET_FROM_CLIENT', `Unknown compression flag ${compression}`);
  const sql = r.string();
  const params = new Map<string, string>();
  // Parameters travel as custom settings, i.e. quoted Field dumps, whatever flags the client set.
  if (revision >= Rev.Parameters) readSettings(r, revision, params, true);
  return { queryId, clientInfo, settings, stage, compression: compression === 1, sql, params };
}

/**
 * A Field dump as custom settings and query parameters carry it: `'text'` with backslash escapes for
 * strings, bare text for numbers. Anything else is taken as it is.
 */
export function unquoteFieldDump(s: string): string {
  if (s.length < 2 || s[0] !== "'" || s[s.length - 1] !== "'") return s;
  let out = '';
  for (let i = 1; i < s.length - 1; i++) {
    const ch = s[i]!;
    if (ch !== '\\' || i + 1 >= s.length - 1) {
      out += ch;
      continue;
    }
    const next = s[++i]!;
    switch (next) {
      case 'n': out += '\n'; break;
      case 't': out += '\t'; break;
      case 'r': out += '\r'; break;
      case '0': out += '\0'; break;
      case 'b': out += '\b'; break;
      case 'f': out += '\f'; break;
      case 'a': out += '\x07'; break;
      case 'v': out += '\v'; break;
      case 'x': {
        const hex = s.slice(i + 1, i + 3);
        if (/^[0-9a-fA-F]{2}$/.test(hex)) {
          out += String.fromCharCode(parseInt(hex, 16));
          i += 2;
        } else out += 'x';
        break;
      }
      default: out += next;
    }
  }
  return out;
}

/** TablesStatusRequest: the (database, table) pairs a distributed query wants to check. */
export function readTablesStatusRequest(r: BinaryReader): Array<[string, string]> {
  const n = r.varuint();
  if (n > 100_000) throw new DbError('TOO_LARGE_ARRAY_SIZE', `Too many tables in TablesStatusRequest: ${n}`);
  const out: Array<[string, string]> = [];
  for (let i = 0; i < n; i++) out.push([r.string(), r.string()]);
  return out;
}
