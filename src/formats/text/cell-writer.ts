import { tzOffsetSeconds } from '../../types/time.js';
import type { DataType } from '../../types/data-type.js';
import { decimalByteWidth } from '../../types/data-type.js';
import type {
  ArrayColumn,
  BigNumColumn,
  Column,
  FixedColumn,
  NullableColumn,
  NumericColumn,
  StringColumn,
  TupleColumn,
} from '../../columns/column.js';
import { materialize } from '../../columns/ops.js';
import { uuidToString } from '../../columns/values.js';
import { formatDecimal, formatIPv4, formatIPv6, formatValueText } from '../../types/text-conversion.js';
import { DateTimeWriter, TextOutput } from './text-output.js';
import { utf8, writeCsvQuoted, writeEscaped, writeJsonString, writeQuoted } from './escape.js';

/**
 * Compiles, per column and block, a function that writes row i's value as text in one of ClickHouse's text
 * styles. Hot types (integers, floats, strings, dates) write bytes directly; the long tail goes through
 * formatValueText.
 *
 *   tsv     TabSeparated: strings escaped, NULL `\N`, nested values in quoted form
 *   tsvRaw  strings as they are (TSVRaw, Pretty, Vertical, JSONStrings content), NULL per `nullText`
 *   csv     strings / dates double-quoted, numbers bare, NULL `\N`, arrays as a quoted CSV field
 *   json    JSON values (64-bit integers quoted per settings, nan/inf as null)
 *   quoted  SQL literals (Values, and every value inside an array / tuple / map of the styles above)
 *   jsonStrings  the tsvRaw text as a JSON string (JSONStrings, JSONCompactStrings…)
 */
export type TextStyle = 'tsv' | 'tsvRaw' | 'csv' | 'json' | 'quoted' | 'jsonStrings';

export interface TextWriterSettings {
  readonly tz: string;
  /** What tsvRaw prints for NULL (`\N`, or `ᴺᵁᴸᴸ` in Pretty). */
  readonly rawNull: string;
  readonly csvDelimiter: number;
  readonly quote64bit: boolean;
  readonly quoteDecimals: boolean;
  readonly quoteDenormals: boolean;
  readonly escapeForwardSlashes: boolean;
  readonly namedTuplesAsObjects: boolean;
  readonly decimalTrailingZeros: boolean;
  /**
   * Proton prints a DateTime whose type names a timezone with its UTC offset: `2020-01-01 00:00:00Z`,
   * `1970-01-02 00:00:00+03:00` (dialect = 'proton').
   */
  readonly zoneSuffix?: boolean;
}

export type CellWriter = (row: number) => void;

/** `Z` at offset zero, else `+HH:MM` / `-HH:MM`: the offset of `tz` at that instant. */
function zoneSuffix(tz: string, utcSeconds: number): string {
  const off = tzOffsetSeconds(tz, utcSeconds);
  if (off === 0) return 'Z';
  const a = Math.abs(off);
  const hh = String(Math.floor(a / 3600)).padStart(2, '0');
  const mm = String(Math.floor((a % 3600) / 60)).padStart(2, '0');
  return `${off < 0 ? '-' : '+'}${hh}:${mm}`;
}

export class CellWriterFactory {
  private readonly dates = new Map<string, DateTimeWriter>();
  private readonly rawNullBytes: Uint8Array;

  constructor(readonly settings: TextWriterSettings) {
    this.rawNullBytes = utf8(settings.rawNull);
  }

  dateWriter(tz: string | undefined): DateTimeWriter {
    const zone = tz ?? this.settings.tz;
    let w = this.dates.get(zone);
    if (!w) this.dates.set(zone, (w = new DateTimeWriter(zone)));
    return w;
  }

  compile(type: DataType, col: Column, out: TextOutput, style: TextStyle): CellWriter {
    if (col.kind === 'const') col = materialize(col);
    if (style === 'jsonStrings') {
      const slash = this.settings.escapeForwardSlashes;
      return this.stringified(type, col, out, 'tsvRaw', (o, b, s, e) => writeJsonString(o, b, s, e, slash));
    }
    switch (type.kind) {
      case 'LowCardinality':
      case 'SimpleAggregateFunction':
        return this.compile(type.inner, col, out, style);
      case 'Nullable': {
        const c = col as NullableColumn;
        const nulls = c.nulls;
        const inner = this.compile(type.inner, c.inner, out, style);
        const token = this.nullToken(style);
        return (i) => {
          if (nulls[i]) out.bytes(token);
          else inner(i);
        };
      }
      case 'Nothing': {
        const token = this.nullToken(style);
        return () => out.bytes(token);
      }
      case 'String': {
        const { chars, offsets } = col as StringColumn;
        const write = stringWriter(out, style, this.settings.escapeForwardSlashes);
        return (i) => write(chars, offsets[i]!, offsets[i + 1]!);
      }
      case 'FixedString': {
        const { data, width } = col as FixedColumn;
        const write = stringWriter(out, style, this.settings.escapeForwardSlashes);
        return (i) => write(data, i * width, i * width + width);
      }
      case 'UInt8':
      case 'UInt16':
      case 'UInt32':
      case 'Int8':
      case 'Int16':
      case 'Int32':
      case 'Interval': {
        const d = (col as NumericColumn).data as Float64Array;
        return (i) => out.int(d[i]!);
      }
      case 'Int64':
      case 'UInt64': {
        const d = (col as NumericColumn).data as BigInt64Array;
        if (style === 'json' && this.settings.quote64bit) {
          return (i) => {
            out.byte(0x22);
            out.bigint(d[i]!);
            out.byte(0x22);
          };
        }
        return (i) => out.bigint(d[i]!);
      }
      case 'Int128':
      case 'UInt128':
      case 'Int256':
      case 'UInt256': {
        const d = (col as BigNumColumn).data;
        const q = style === 'json' && this.settings.quote64bit;
        return (i) => (q ? out.ascii(`"${d[i]!}"`) : out.ascii(d[i]!.toString()));
      }
      case 'Float32':
      case 'Float64': {
        const d = (col as NumericColumn).data as Float64Array;
        const f32 = type.kind === 'Float32';
        if (style === 'json') {
          const quoteDenormals = this.settings.quoteDenormals;
          return (i) => {
            const x = d[i]!;
            if (x - x !== 0) {
              if (quoteDenormals) out.ascii(x !== x ? '"nan"' : x > 0 ? '"inf"' : '"-inf"');
              else out.ascii('null');
            } else if (f32) out.float32(x);
            else out.float64(x);
          };
        }
        return f32 ? (i) => out.float32(d[i]!) : (i) => out.float64(d[i]!);
      }
      case 'Bool': {
        const d = (col as NumericColumn<Uint8Array>).data;
        return (i) => out.ascii(d[i] ? 'true' : 'false');
      }
      case 'Decimal':
        return this.decimal(type.precision, type.scale, col, out, style);
      case 'Date':
      case 'Date32': {
        const d = (col as NumericColumn).data as Float64Array;
        const dw = this.dateWriter(undefined);
        return this.quotedBy(style, out, (i) => dw.date(out, d[i]!));
      }
      case 'DateTime': {
        const d = (col as NumericColumn<Uint32Array>).data;
        const dw = this.dateWriter(type.timezone);
        const tz = this.settings.zoneSuffix ? type.timezone : undefined;
        if (tz) return this.quotedBy(style, out, (i) => (dw.dateTime(out, d[i]!), out.ascii(zoneSuffix(tz, d[i]!))));
        return this.quotedBy(style, out, (i) => dw.dateTime(out, d[i]!));
      }
      case 'DateTime64': {
        const d = (col as NumericColumn<Float64Array>).data;
        const dw = this.dateWriter(type.timezone);
        const p = type.precision;
        const tz = this.settings.zoneSuffix ? type.timezone : undefined;
        if (tz) {
          const scale = 10 ** p;
          return this.quotedBy(style, out, (i) => (dw.dateTime64(out, d[i]!, p), out.ascii(zoneSuffix(tz, Math.floor(d[i]! / scale)))));
        }
        return this.quotedBy(style, out, (i) => dw.dateTime64(out, d[i]!, p));
      }
      case 'UUID': {
        const d = (col as FixedColumn).data;
        return this.quotedBy(style, out, (i) => out.ascii(uuidToString(d, i * 16)));
      }
      case 'IPv4': {
        const d = (col as NumericColumn<Uint32Array>).data;
        return this.quotedBy(style, out, (i) => out.ascii(formatIPv4(d[i]!)));
      }
      case 'IPv6': {
        const c = col as FixedColumn;
        return this.quotedBy(style, out, (i) => out.ascii(formatIPv6(c.bytesAt(i))));
      }
      case 'Enum8':
      case 'Enum16': {
        const d = (col as NumericColumn).data as Float64Array;
        const names = new Map<number, Uint8Array>();
        for (const [name, v] of type.values) names.set(v, utf8(name));
        const write = stringWriter(out, style, this.settings.escapeForwardSlashes);
        return (i) => {
          const bytes = names.get(d[i]!) ?? utf8(String(d[i]));
          write(bytes, 0, bytes.length);
        };
      }
      case 'Array':
      case 'Map':
        return this.container(type, col as ArrayColumn, out, style);
      case 'Tuple':
        return this.tuple(type, col as TupleColumn, out, style);
      default: {
        const tz = this.settings.tz;
        const write = stringWriter(out, style, this.settings.escapeForwardSlashes);
        return (i) => {
          const bytes = utf8(formatValueText(type, col, i, tz));
          write(bytes, 0, bytes.length);
        };
      }
    }
  }

  private nullToken(style: TextStyle): Uint8Array {
    switch (style) {
      case 'quoted':
        return NULL_SQL;
      case 'json':
        return NULL_JSON;
      case 'tsvRaw':
        return this.rawNullBytes;
      default:
        return NULL_TSV;
    }
  }

  /** Dates, UUIDs, IPs: bare in TSV, quoted in CSV / JSON / SQL. */
  private quotedBy(style: TextStyle, out: TextOutput, write: CellWriter): CellWriter {
    const q = style === 'csv' || style === 'json' ? 0x22 : style === 'quoted' ? 0x27 : 0;
    if (q === 0) return write;
    return (i) => {
      out.byte(q);
      write(i);
      out.byte(q);
    };
  }

  private decimal(precision: number, scale: number, col: Column, out: TextOutput, style: TextStyle): CellWriter {
    const trailing = this.settings.decimalTrailingZeros;
    const quote = style === 'json' && this.settings.quoteDecimals;
    let write: CellWriter;
    if (decimalByteWidth(precision) >= 16) {
      const d = (col as BigNumColumn).data;
      write = (i) => out.ascii(formatDecimal(d[i]!, scale, trailing));
    } else {
      const d = (col as NumericColumn).data;
      const big = d instanceof BigInt64Array;
      const pow = 10 ** scale;
      write = (i) => {
        const raw = d[i]!;
        if (big && (raw > 9007199254740991n || raw < -9007199254740991n)) return out.ascii(formatDecimal(raw as bigint, scale, trailing));
        const v = Number(raw);
        if (scale === 0) return out.int(v);
        const neg = v < 0;
        const a = neg ? -v : v;
        const ip = Math.floor(a / pow);
        let frac = a - ip * pow;
        if (neg) out.byte(45);
        out.uint(ip);
        if (!trailing) {
          if (frac === 0) return;
          let digits = scale;
          while (frac % 10 === 0) {
            frac /= 10;
            digits--;
          }
          out.byte(46);
          writePadded(out, frac, digits);
          return;
        }
        out.byte(46);
        writePadded(out, frac, scale);
      };
    }
    if (!quote) return write;
    return (i) => {
      out.byte(0x22);
      write(i);
      out.byte(0x22);
    };
  }

  private container(type: DataType & { kind: 'Array' | 'Map' }, col: ArrayColumn, out: TextOutput, style: TextStyle): CellWriter {
    if (style === 'csv') return this.stringified(type, col, out, 'quoted', (o, b, s, e) => writeCsvQuoted(o, b, s, e));
    const inner = style === 'json' ? 'json' : 'quoted';
    const offsets = col.offsets;
    if (type.kind === 'Array') {
      const item = this.compile(type.element, col.inner, out, inner);
      return (i) => {
        const s = offsets[i]!;
        const e = offsets[i + 1]!;
        out.byte(0x5b);
        for (let j = s; j < e; j++) {
          if (j > s) out.byte(0x2c);
          item(j);
        }
        out.byte(0x5d);
      };
    }
    const t = materialize(col.inner) as TupleColumn;
    const value = this.compile(type.value, t.columns[0 + 1]!, out, inner);
    let key: CellWriter;
    if (style === 'json') {
      const kt = type.key.kind === 'LowCardinality' ? type.key.inner : type.key;
      key =
        kt.kind === 'String' || kt.kind === 'FixedString'
          ? this.compile(kt, t.columns[0]!, out, 'json')
          : this.stringified(kt, t.columns[0]!, out, 'tsvRaw', (o, b, s, e) => writeJsonString(o, b, s, e, this.settings.escapeForwardSlashes));
    } else key = this.compile(type.key, t.columns[0]!, out, 'quoted');
    return (i) => {
      const s = offsets[i]!;
      const e = offsets[i + 1]!;
      out.byte(0x7b);
      for (let j = s; j < e; j++) {
        if (j > s) out.byte(0x2c);
        key(j);
        out.byte(0x3a);
        value(j);
      }
      out.byte(0x7d);
    };
  }

  private tuple(type: DataType & { kind: 'Tuple' }, col: TupleColumn, out: TextOutput, style: TextStyle): CellWriter {
    const n = type.elements.length;
    if (style === 'csv') {
      const items = type.elements.map((e, k) => this.compile(e, col.columns[k]!, out, 'csv'));
      const delim = this.settings.csvDelimiter;
      return (i) => {
        for (let k = 0; k < n; k++) {
          if (k) out.byte(delim);
          items[k]!(i);
        }
      };
    }
    const inner = style === 'json' ? 'json' : 'quoted';
    const items = type.elements.map((e, k) => this.compile(e, col.columns[k]!, out, inner));
    if (style === 'json' && type.names && this.settings.namedTuplesAsObjects) {
      const keys = type.names.map((name) => {
        const tmp = new TextOutput(() => {});
        const b = utf8(name);
        writeJsonString(tmp, b, 0, b.length, this.settings.escapeForwardSlashes);
        tmp.byte(0x3a);
        return tmp.buf.slice(0, tmp.pos);
      });
      return (i) => {
        out.byte(0x7b);
        for (let k = 0; k < n; k++) {
          if (k) out.byte(0x2c);
          out.bytes(keys[k]!);
          items[k]!(i);
        }
        out.byte(0x7d);
      };
    }
    const open = style === 'json' ? 0x5b : 0x28;
    const close = style === 'json' ? 0x5d : 0x29;
    return (i) => {
      out.byte(open);
      for (let k = 0; k < n; k++) {
        if (k) out.byte(0x2c);
        items[k]!(i);
      }
      out.byte(close);
    };
  }

  /** Renders the value in `innerStyle` into a scratch buffer, then writes those bytes through `wrap`. */
  stringified(
    type: DataType,
    col: Column,
    out: TextOutput,
    innerStyle: TextStyle,
    wrap: (out: TextOutput, bytes: Uint8Array, start: number, end: number) => void,
  ): CellWriter {
    const scratch = new TextOutput(() => {}, 1 << 30);
    const inner = this.compile(type, col, scratch, innerStyle);
    return (i) => {
      scratch.pos = 0;
      inner(i);
      wrap(out, scratch.buf, 0, scratch.pos);
    };
  }
}

type BytesWriter = (src: Uint8Array, start: number, end: number) => void;

function stringWriter(out: TextOutput, style: TextStyle, escapeSlash: boolean): BytesWriter {
  switch (style) {
    case 'tsv':
      return (b, s, e) => writeEscaped(out, b, s, e);
    case 'tsvRaw':
      return (b, s, e) => out.bytes(b, s, e);
    case 'csv':
      return (b, s, e) => writeCsvQuoted(out, b, s, e);
    case 'json':
      return (b, s, e) => writeJsonString(out, b, s, e, escapeSlash);
    case 'quoted':
      return (b, s, e) => writeQuoted(out, b, s, e);
    case 'jsonStrings':
      throw new Error('unreachable: jsonStrings is handled before per-type writers');
  }
}

function writePadded(out: TextOutput, v: number, digits: number): void {
  out.ensure(digits);
  const b = out.buf;
  for (let k = digits - 1; k >= 0; k--) {
    b[out.pos + k] = 48 + (v % 10);
    v = Math.floor(v / 10);
  }
  out.pos += digits;
}

const NULL_TSV = utf8('\\N');
const NULL_SQL = utf8('NULL');
const NULL_JSON = utf8('null');
