import { Block, type Header } from '../core/block.js';

import { StringBuilder } from '../columns/builder.js';
import { DbError } from '../errors/index.js';
import type { InputFormat, InputReader, OutputFormat, OutputWriter } from './format.js';
import { RowTextWriter } from './text/row-text-output.js';
import { RowInputReader } from './row-input.js';
import { NeedMoreData } from '../types/serializations/buffer.js';

/** Null (discard), RawBLOB (one value, bytes as they are) and LineAsString (a line per row). */

export const nullOutput: OutputFormat = {
  name: 'Null',
  contentType: 'text/plain; charset=UTF-8',
  createWriter: (): OutputWriter => ({
    writePrefix() {},
    writeBlock() {},
    writeSuffix() {},
  }),
};

function requireSingleString(header: Header, format: string): void {
  if (header.length !== 1 || !['String', 'FixedString'].includes(header[0]!.type.kind === 'LowCardinality' ? header[0]!.type.inner.kind : header[0]!.type.kind)) {
    throw new DbError('BAD_ARGUMENTS', `This input format is only suitable for tables with a single column of type String but the number of columns is ${header.length}: ${format}`);
  }
}

export const rawBlobOutput: OutputFormat = {
  name: 'RawBLOB',
  contentType: 'application/octet-stream',
  createWriter: (header, options, sink) =>
    new RowTextWriter(header, options, sink, { style: 'tsvRaw', fieldPrefix: () => '', rowEnd: '' }),
};

class RawBlobReader implements InputReader {
  private readonly parts: Uint8Array[] = [];
  constructor(private readonly header: Header) {
    requireSingleString(header, 'RawBLOB');
  }
  push(chunk: Uint8Array): Block[] {
    this.parts.push(new Uint8Array(chunk));
    return [];
  }
  end(): Block[] {
    const b = new StringBuilder(1, this.parts.reduce((s, p) => s + p.length, 0) + 1);
    b.pushBytes(Buffer.concat(this.parts));
    return [new Block(this.header, [b.build()], 1)];
  }
}

export const rawBlobInput: InputFormat = {
  name: 'RawBLOB',
  createReader: (header) => new RawBlobReader(header),
};

class LineReader extends RowInputReader {
  constructor(header: Header, blockRows: number) {
    requireSingleString(header, 'LineAsString');
    super(header, blockRows);
  }
  protected readRow(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    let i = buf.indexOf(10, pos);
    if (i < 0 || i >= end) {
      if (!final) throw new NeedMoreData(end + 1);
      i = end;
    }
    let e = i;
    if (e > pos && buf[e - 1] === 13) e--;
    (this.acc.builders[0] as StringBuilder).pushBytes(buf, pos, e);
    this.acc.rows++;
    return Math.min(i + 1, end);
  }
}

export const lineAsStringInput: InputFormat = {
  name: 'LineAsString',
  createReader: (header, options) => new LineReader(header, options.blockRows),
};

export const lineAsStringOutput: OutputFormat = {
  name: 'LineAsString',
  contentType: 'text/plain; charset=UTF-8',
  createWriter: (header, options, sink) =>
    new RowTextWriter(header, options, sink, { style: 'tsvRaw', fieldPrefix: () => '', rowEnd: '\n' }),
};

