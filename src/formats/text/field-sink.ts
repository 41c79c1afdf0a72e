import type { Header } from '../../core/block.js';
import type { DataType } from '../../types/data-type.js';
import { DbError } from '../../errors/index.js';
import type { ColumnBuilder, NullableBuilder } from '../../columns/builder.js';
import { bindPlainParser, bytesToText, type PlainParser } from './plain-parser.js';

/**
 * Where one text field goes: the target builder, NULL handling (`\N`, input_format_null_as_default), and the
 * plain parser for its value. Text input formats rebind these to fresh builders after each block.
 */
export interface FieldSink {
  readonly type: DataType;
  /** The value's text is bytes [s, e) of buf (already unescaped / unquoted). */
  value(buf: Uint8Array, s: number, e: number): void;
  /** The field was a NULL marker. */
  null(): void;
  /** The field was omitted (a column missing from the input). */
  missing(): void;
  /** String-like values are stored as the text itself: formats may skip unescaping into a scratch buffer. */
  readonly isString: boolean;
  /** Arrays, tuples and maps are read in their quoted form straight from the escaped text (no TSV unescaping). */
  readonly nested: boolean;
}

export interface FieldSinkOptions {
  readonly tz: string;
  readonly nullAsDefault: boolean;
}

function isNested(t: DataType): boolean {
  while (t.kind === 'LowCardinality' || t.kind === 'Nullable') t = t.inner;
  return t.kind === 'Array' || t.kind === 'Map' || t.kind === 'Tuple';
}

function isStringLike(t: DataType): boolean {
  while (t.kind === 'LowCardinality' || t.kind === 'Nullable') t = t.inner;
  return t.kind === 'String' || t.kind === 'FixedString';
}

export function bindFieldSink(type: DataType, builder: ColumnBuilder, o: FieldSinkOptions): FieldSink {
  const base = type.kind === 'LowCardinality' ? type.inner : type;
  const isString = isStringLike(type);
  const nested = isNested(type);
  if (base.kind === 'Nullable') {
    const nb = builder as NullableBuilder;
    const inner: PlainParser = bindPlainParser(base.inner, nb.inner, o);
    return {
      type,
      isString,
      nested,
      value(buf, s, e) {
        nb.markNotNull();
        inner(buf, s, e);
      },
      null() {
        nb.pushNull();
      },
      missing() {
        nb.pushNull();
      },
    };
  }
  const parse = bindPlainParser(base, builder, o);
  return {
    type,
    isString,
    nested,
    value: parse,
    null() {
      if (!o.nullAsDefault) throw new DbError('CANNOT_INSERT_NULL_IN_ORDINARY_COLUMN', `Cannot insert NULL value into a column of type '${type.name}'`);
      builder.pushDefault();
    },
    missing() {
      builder.pushDefault();
    },
  };
}

/**
 * Maps the column names of a `WithNames` header line to target columns: order[i] = target index of input
 * field i, or -1 to skip it (input_format_skip_unknown_fields).
 */
export function mapInputNames(names: string[], header: Header, skipUnknown: boolean, format: string): number[] {
  const seen = new Set<number>();
  return names.map((name) => {
    const k = header.findIndex((c) => c.name === name);
    if (k < 0) {
      if (skipUnknown) return -1;
      throw new DbError('INCORRECT_DATA', `Unknown field found in ${format} header: '${name}'`);
    }
    if (seen.has(k)) throw new DbError('INCORRECT_DATA', `Duplicate field found while parsing ${format} header: ${name}`);
    seen.add(k);
    return k;
  });
}

/** `before: '…'` context for parse errors, as ClickHouse prints it. */
export function contextAt(buf: Uint8Array, pos: number, end: number): string {
  return bytesToText(buf, pos, Math.min(end, pos + 40))
    .replace(/\\/g, '\\\\')
    .replace(/\t/g, '\\t')
    .replace(/\n/g, '\\n');
}
