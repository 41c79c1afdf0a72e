import type { DataType } from '../../types/data-type.js';
import { DbError } from '../../errors/index.js';
import {
  type ArrayBuilder,
  type ColumnBuilder,
  type NullableBuilder,
  NumericBuilder,
  StringBuilder,
  type TupleBuilder,
} from '../../columns/builder.js';
import { bindPlainParser, bytesToText, type PlainParser } from './plain-parser.js';
import type { JsonCursor } from './json-cursor.js';

/**
 * Reads one JSON value of a column's type straight into its builder: strings unescaped into the builder,
 * numbers (bare or quoted, as ClickHouse writes 64-bit integers) parsed from bytes, arrays / maps / tuples
 * recursively. In `strings` mode (JSONStrings…) every value is a JSON string holding the plain text.
 */
export type JsonValueParser = (c: JsonCursor) => void;

export interface JsonParserOptions {
  readonly tz: string;
  readonly nullAsDefault: boolean;
  readonly strings: boolean;
}

const NULL_PRETTY = new TextEncoder().encode('ᴺᵁᴸᴸ');

function isNullText(c: JsonCursor): boolean {
  const n = c.len;
  const s = c.scratch;
  if (n === 2 && s[0] === 0x5c && s[1] === 0x4e) return true;
  if (n !== NULL_PRETTY.length) return false;
  for (let i = 0; i < n; i++) if (s[i] !== NULL_PRETTY[i]) return false;
  return true;
}

export function bindJsonParser(type: DataType, builder: ColumnBuilder, o: JsonParserOptions): JsonValueParser {
  switch (type.kind) {
    case 'LowCardinality':
    case 'SimpleAggregateFunction':
      return bindJsonParser(type.inner, builder, o);
    case 'Nullable': {
      const b = builder as NullableBuilder;
      const inner = bindJsonParser(type.inner, b.inner, o);
      return (c) => {
        c.peek();
        if (c.isNull()) return b.pushNull();
        if (o.strings && c.buf[c.pos] === 0x22) {
          const save = c.pos;
          c.string();
          if (isNullText(c)) return b.pushNull();
          c.pos = save;
        }
        b.markNotNull();
        inner(c);
      };
    }
    case 'Array': {
      const b = builder as ArrayBuilder;
      const item = bindJsonParser(type.element, b.inner, { ...o, strings: false });
      const nested = o.strings ? stringWrapped(type, builder, o) : undefined;
      return (c) => {
        if (nested && c.peek() === 0x22) return nested(c);
        if (nullAsDefault(c, builder, o, type)) return;
        c.expect(0x5b);
        if (c.peek() === 0x5d) c.pos++;
        else {
          for (;;) {
            item(c);
            const d = c.peek();
            c.pos++;
            if (d === 0x5d) break;
            if (d !== 0x2c) throw c.error("expected ',' or ']'");
          }
        }
        b.endRow();
      };
    }
    case 'Map': {
      const b = builder as ArrayBuilder;
      const t = b.inner as TupleBuilder;
      const key = bindPlainParser(type.key, t.elements[0]!, o);
      const value = bindJsonParser(type.value, t.elements[1]!, { ...o, strings: false });
      const nested = o.strings ? stringWrapped(type, builder, o) : undefined;
      return (c) => {
        if (nested && c.peek() === 0x22) return nested(c);
        if (nullAsDefault(c, builder, o, type)) return;
        c.expect(0x7b);
        if (c.peek() === 0x7d) c.pos++;
        else {
          for (;;) {
            if (!c.string()) throw c.error('expected a key string');
            key(c.scratch, 0, c.len);
            c.expect(0x3a);
            value(c);
            t.endRow();
            const d = c.peek();
            c.pos++;
            if (d === 0x7d) break;
            if (d !== 0x2c) throw c.error("expected ',' or '}'");
          }
        }
        b.endRow();
      };
    }
    case 'Tuple': {
      const b = builder as TupleBuilder;
      const items = type.elements.map((e, k) => bindJsonParser(e, b.elements[k]!, { ...o, strings: false }));
      const names = type.names;
      const nested = o.strings ? stringWrapped(type, builder, o) : undefined;
      return (c) => {
        if (nested && c.peek() === 0x22) return nested(c);
        if (nullAsDefault(c, builder, o, type)) return;
        const open = c.peek();
        if (open === 0x7b && names) {
          c.pos++;
          const seen = new Array<boolean>(items.length).fill(false);
          if (c.peek() === 0x7d) c.pos++;
          else {
            for (;;) {
              if (!c.string()) throw c.error('expected a key string');
              const k = names.indexOf(bytesToText(c.scratch, 0, c.len));
              c.expect(0x3a);
              if (k < 0) c.skipValue();
              else {
                items[k]!(c);
                seen[k] = true;
              }
              const d = c.peek();
              c.pos++;
              if (d === 0x7d) break;
              if (d !== 0x2c) throw c.error("expected ',' or '}'");
            }
          }
          seen.forEach((s, k) => s || b.elements[k]!.pushDefault());
          b.endRow();
          return;
        }
        c.expect(0x5b);
        for (let k = 0; k < items.length; k++) {
          if (k) c.expect(0x2c);
          items[k]!(c);
        }
        c.expect(0x5d);
        b.endRow();
      };
    }
    default: {
      const plain: PlainParser = bindPlainParser(type, builder, o);
      const isString = type.kind === 'String' || type.kind === 'FixedString';
      const sb = type.kind === 'String' ? (builder as StringBuilder) : undefined;
      return (c) => {
        const first = c.peek();
        if (first === 0x22) {
          c.string();
          if (sb) sb.pushBytes(c.scratch, 0, c.len);
          else plain(c.scratch, 0, c.len);
          return;
        }
        if (c.isNull()) {
          if (!o.nullAsDefault) throw new DbError('CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN', `Cannot insert NULL value into a column of type '${type.name}'`);
          builder.pushDefault();
          return;
        }
        if (first === 0x7b || first === 0x5b) {
          if (!isString) throw c.error(`expected a value of type ${type.name}`);
          const [s, e] = c.skipValue();
          plain(c.buf, s, e);
          return;
        }
        const start = c.pos;
        const end = c.scalarEnd();
        if (type.kind === 'Bool' || (builder instanceof NumericBuilder && (c.buf[start] === 0x74 || c.buf[start] === 0x66))) {
          const t = c.buf[start] === 0x74 ? 1 : c.buf[start] === 0x66 ? 0 : -1;
          if (t >= 0 && type.kind !== 'String') {
            (builder as NumericBuilder).pushNumber(t);
            return;
          }
        }
        plain(c.buf, start, end);
      };
    }
  }
}

/** For a non-null `null` token on a column that cannot hold NULL: the default, or an error. */
function nullAsDefault(c: JsonCursor, builder: ColumnBuilder, o: JsonParserOptions, type: DataType): boolean {
  c.peek();
  if (!c.isNull()) return false;
  if (!o.nullAsDefault) throw new DbError('CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN', `Cannot insert NULL value into a column of type '${type.name}'`);
  builder.pushDefault();
  return true;
}

/** In JSONStrings formats a nested value arrives as a string holding its quoted text form. */
function stringWrapped(type: DataType, builder: ColumnBuilder, o: JsonParserOptions): JsonValueParser {
  const plain = bindPlainParser(type, builder, o);
  return (c) => {
    c.string();
    plain(c.scratch, 0, c.len);
  };
}
