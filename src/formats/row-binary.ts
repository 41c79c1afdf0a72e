import type { Block, ColumnInfo, Header } from '../core/block.js';
import { DbError } from '../errors/index.js';
import { removeLowCardinality } from '../types/data-type.js';
import { parseDataType } from '../types/type-factory.js';
import { createBuilder } from '../columns/builder.js';
import { BinaryReader, BinaryWriter } from '../types/serializations/buffer.js';
import { bindRowBinaryReader, bindRowBinaryWriter, type RowValueReader } from '../types/serializations/row-binary.js';
import type { FormatOptions, InputFormat, InputReader, OutputFormat, OutputWriter, ResultStatistics } from './format.js';
import { RowInputReader } from './row-input.js';
import { settingBool } from './settings.js';

/** RowBinary, RowBinaryWithNames, RowBinaryWithNamesAndTypes: output and incremental input. */

class RowBinaryWriter implements OutputWriter {
  private readonly w = new BinaryWriter(1 << 16);

  constructor(
    private readonly header: Header,
    private readonly sink: (chunk: Uint8Array) => void,
    private readonly withNames: boolean,
    private readonly withTypes: boolean,
  ) {}

  writePrefix(): void {
    if (!this.withNames) return;
    this.w.varuint(this.header.length);
    for (const c of this.header) this.w.string(c.name);
    if (this.withTypes) for (const c of this.header) this.w.string(c.type.name);
  }

  writeBlock(block: Block): void {
    const w = this.w;
    const ws = this.header.map((c, k) => bindRowBinaryWriter(c.type, block.columns[k]!));
    const n = ws.length;
    for (let r = 0; r < block.rows; r++) {
      for (let k = 0; k < n; k++) ws[k]!(r, w);
      if (w.pos >= 1 << 16) this.sink(w.take());
    }
    if (w.pos) this.sink(w.take());
  }

  writeSuffix(_stats: ResultStatistics): void {
    if (this.w.pos) this.sink(this.w.take());
  }
}

function rowBinaryOutput(name: string, withNames: boolean, withTypes: boolean): OutputFormat {
  return {
    name,
    contentType: 'application/octet-stream',
    createWriter: (header, _options, sink) => new RowBinaryWriter(header, sink, withNames, withTypes),
  };
}

/** Whether a column sent as `sent` can be stored as `target` without conversion. */
export function sameStorage(sent: ColumnInfo['type'], target: ColumnInfo['type']): boolean {
  return sent.name === target.name || removeLowCardinality(sent).name === removeLowCardinality(target).name;
}

class RowBinaryReader extends RowInputReader {
  private readers: RowValueReader[] = [];
  /** For each target column not present in the input: fill with defaults. */
  private missing: number[] = [];
  private r = new BinaryReader(new Uint8Array(0));

  constructor(
    private readonly header: Header,
    blockRows: number,
    private readonly withNames: boolean,
    private readonly withTypes: boolean,
    private readonly skipUnknown: boolean,
  ) {
    super(header, blockRows);
    if (!withNames) this.bind(header.map((_, k) => k), header.map((c) => c.type));
  }

  /** `order[i]` = target column of input column i (-1 = skip), `types[i]` = its wire type. */
  private order: number[] = [];
  private types: ColumnInfo['type'][] = [];

  private bind(order: number[], types: ColumnInfo['type'][]): void {
    this.order = order;
    this.types = types;
    const present = new Set(order);
    this.missing = this.header.map((_, k) => k).filter((k) => !present.has(k));
    this.rebind();
  }

  /** Readers bound to the current builders (called again after each block is taken). */
  private rebind(): void {
    this.readers = this.order.map((k, i) => {
      if (k >= 0) return bindRowBinaryReader(this.types[i]!, this.acc.builders[k]!);
      const sink = createBuilder(this.types[i]!, 16);
      const read = bindRowBinaryReader(this.types[i]!, sink);
      return (r: BinaryReader) => {
        read(r);
        if (sink.length > 1024) sink.build(); // values are discarded
      };
    });
    this.boundTo = this.acc.builders;
  }

  private boundTo: unknown = undefined;

  private reader(buf: Uint8Array, pos: number, final: boolean): BinaryReader {
    if (this.r.buf !== buf) this.r = new BinaryReader(buf);
    this.r.pos = pos;
    this.r.partial = !final;
    return this.r;
  }

  protected override readHeader(buf: Uint8Array, pos: number, _end: number, final: boolean): number {
    if (!this.withNames) return pos;
    const r = this.reader(buf, pos, final);
    r.context = 'RowBinary header';
    const n = r.varuint();
    if (n > r.remaining) r.fail(n);
    const names: string[] = [];
    for (let i = 0; i < n; i++) names.push(r.string());
    const types = this.withTypes ? names.map(() => parseDataType(r.string())) : [];
    r.context = '';
    const order = names.map((name, i) => {
      const k = this.header.findIndex((c) => c.name === name);
      if (k < 0) {
        if (this.skipUnknown && this.withTypes) return -1;
        throw new DbError('INCORRECT_DATA', `Unknown field found while parsing RowBinary format: ${name}`);
      }
      if (this.withTypes && !sameStorage(types[i]!, this.header[k]!.type)) {
        throw new DbError('TYPE_MISMATCH', `Type of '${name}' must be ${this.header[k]!.type.name}, not ${types[i]!.name}`);
      }
      return k;
    });
    this.bind(
      order,
      order.map((k, i) => (this.withTypes ? types[i]! : this.header[k]!.type)),
    );
    return r.pos;
  }

  protected readRow(buf: Uint8Array, pos: number, _end: number, final: boolean): number {
    if (this.boundTo !== this.acc.builders) this.rebind();
    const r = this.reader(buf, pos, final);
    const readers = this.readers;
    for (let i = 0; i < readers.length; i++) readers[i]!(r);
    for (const k of this.missing) this.acc.builders[k]!.pushDefault();
    this.acc.rows++;
    return r.pos;
  }
}

function rowBinaryInput(name: string, withNames: boolean, withTypes: boolean): InputFormat {
  return {
    name,
    createReader: (header, options: FormatOptions & { blockRows: number }): InputReader =>
      new RowBinaryReader(header, options.blockRows, withNames, withTypes, settingBool(options, 'input_format_skip_unknown_fields', false)),
  };
}

export const rowBinaryOutputs: OutputFormat[] = [
  rowBinaryOutput('RowBinary', false, false),
  rowBinaryOutput('RowBinaryWithNames', true, false),
  rowBinaryOutput('RowBinaryWithNamesAndTypes', true, true),
];

export const rowBinaryInputs: InputFormat[] = [
  rowBinaryInput('RowBinary', false, false),
  rowBinaryInput('RowBinaryWithNames', true, false),
  rowBinaryInput('RowBinaryWithNamesAndTypes', true, true),
];
