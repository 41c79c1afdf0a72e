import { Block, type Header } from '../core/block.js';
import type { Column } from '../columns/column.js';
import { defaultColumn } from '../columns/ops.js';
import { DbError } from '../errors/index.js';
import { BinaryWriter } from '../types/serializations/buffer.js';
import type { FormatOptions, InputFormat, InputReader, OutputFormat, OutputWriter, ResultStatistics } from './format.js';
import { encodeNativeBlock, type NativeBlockOptions, NativeBlockStreamDecoder } from './native-block.js';
import { sameStorage } from './row-binary.js';
import { settingBool, settingInt } from './settings.js';

/**
 * The Native format over HTTP: blocks back to back, BlockInfo when `client_protocol_version` > 0, the
 * custom-serialization byte from revision 54454. An empty result still sends its header block so clients
 * learn the column names and types.
 */
export function nativeOptionsFrom(options: FormatOptions): NativeBlockOptions {
  const revision = settingInt(options, 'client_protocol_version', 0);
  return { revision, withBlockInfo: revision > 0 };
}

class NativeWriter implements OutputWriter {
  private wroteBlock = false;
  private readonly opts: NativeBlockOptions;

  constructor(
    private readonly header: Header,
    options: FormatOptions,
    private readonly sink: (chunk: Uint8Array) => void,
  ) {
    this.opts = nativeOptionsFrom(options);
  }

  writePrefix(): void {}

  writeBlock(block: Block): void {
    if (block.rows === 0) return;
    const w = new BinaryWriter(Math.max(4096, block.byteSize + 64 * this.header.length + 64));
    encodeNativeBlock(block, w, this.opts);
    this.wroteBlock = true;
    this.sink(w.buf.subarray(0, w.pos));
  }

  writeSuffix(_stats: ResultStatistics): void {
    if (this.wroteBlock) return;
    const w = new BinaryWriter(1024);
    encodeNativeBlock(Block.empty(this.header), w, this.opts);
    this.sink(w.buf.subarray(0, w.pos));
  }
}

/** Maps decoded blocks onto the target header: by name, defaults for absent columns. */
class NativeReader implements InputReader {
  private readonly decoder: NativeBlockStreamDecoder;

  constructor(
    private readonly header: Header,
    options: FormatOptions,
    private readonly skipUnknown: boolean,
  ) {
    this.decoder = new NativeBlockStreamDecoder(nativeOptionsFrom(options));
  }

  push(chunk: Uint8Array): Block[] {
    return this.decoder.push(chunk).map((b) => this.fit(b)).filter((b) => b.rows > 0);
  }

  end(): Block[] {
    return this.decoder.end().map((b) => this.fit(b)).filter((b) => b.rows > 0);
  }

  private fit(b: Block): Block {
    if (this.header.length === 0) return b;
    const byName = new Map<string, number>();
    b.header.forEach((c, i) => byName.set(c.name, i));
    for (const c of b.header) {
      if (!this.header.some((t) => t.name === c.name) && !this.skipUnknown) {
        throw new DbError('INCORRECT_DATA', `Unknown column ${c.name} in Native input`);
      }
    }
    const columns: Column[] = this.header.map((t) => {
      const i = byName.get(t.name);
      if (i === undefined) return defaultColumn(t.type, b.rows);
      const sent = b.header[i]!.type;
      if (!sameStorage(sent, t.type)) {
        throw new DbError('TYPE_MISMATCH', `Type of column ${t.name} in Native input is ${sent.name}, expected ${t.type.name}`);
      }
      return b.columns[i]!;
    });
    return new Block(this.header, columns, b.rows);
  }
}

export const nativeOutput: OutputFormat = {
  name: 'Native',
  contentType: 'application/octet-stream',
  createWriter: (header, options, sink) => new NativeWriter(header, options, sink),
};

export const nativeInput: InputFormat = {
  name: 'Native',
  createReader: (header, options) => new NativeReader(header, options, settingBool(options, 'input_format_skip_unknown_fields', false)),
};
