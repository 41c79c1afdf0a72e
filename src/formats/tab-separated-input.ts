import type { Header } from '../core/block.js';
import type { FormatOptions, InputFormat } from './format.js';
import { settingBool } from './settings.js';
import { SeparatedInputReader, type SeparatedInputOptions } from './text/separated-input.js';
import { Unescaper } from './text/unescape.js';
import { NeedMoreData } from '../types/serializations/buffer.js';

/** TabSeparated input: one row per line, fields split by tabs, backslash escapes, `\N` for NULL. */
class TsvReader extends SeparatedInputReader {
  private readonly unescaper = new Unescaper();

  constructor(
    header: Header,
    blockRows: number,
    o: SeparatedInputOptions,
    private readonly raw: boolean,
  ) {
    super(header, blockRows, o);
  }

  protected readHeaderLine(buf: Uint8Array, pos: number, end: number, final: boolean, out: string[]): number {
    const le = this.lineEnd(buf, pos, end, final);
    let lineEnd = le;
    if (lineEnd > pos && buf[lineEnd - 1] === 13) lineEnd--;
    let s = pos;
    for (let i = pos; i <= lineEnd; i++) {
      if (i === lineEnd || buf[i] === 9) {
        this.unescaper.run(buf, s, i);
        out.push(this.text(this.unescaper.buf, 0, this.unescaper.len));
        s = i + 1;
      }
    }
    return Math.min(le + 1, end);
  }

  protected readRow(buf: Uint8Array, pos: number, end: number, final: boolean): number {
    const sinks = this.bind();
    const n = sinks.length;
    let p = pos;
    for (let k = 0; k < n; k++) {
      // Scan the field: up to a tab or newline, noting escapes.
      const s = p;
      let escaped = false;
      let c = 0;
      while (p < end) {
        c = buf[p]!;
        if (c === 9 || c === 10) break;
        if (c === 92) {
          escaped = true;
          if (!this.raw) p++; // the escaped byte cannot end the field
        }
        p++;
      }
      if (p >= end) {
        if (!final) throw new NeedMoreData(end + 1);
        p = end;
        c = 10;
      }
      let e = p > end ? end : p;
      if (c === 10 && e > s && buf[e - 1] === 13) e--;
      const sink = sinks[k];
      if (sink) {
        if (escaped && e - s === 2 && buf[s] === 92 && buf[s + 1] === 78) sink.null();
        else if (!escaped || this.raw || sink.nested) sink.value(buf, s, e);
        else {
          this.unescaper.run(buf, s, e);
          sink.value(this.unescaper.buf, 0, this.unescaper.len);
        }
      }
      if (k + 1 < n) {
        if (c !== 9) throw this.tooFewFields(buf, p, end, '\\t');
        p++;
      } else if (c !== 10) throw this.tooManyFields(buf, p, end);
    }
    this.finishRow();
    return Math.min(p + 1, end);
  }
}

function tsvInput(name: string, raw: boolean, withNames: boolean, withTypes: boolean): InputFormat {
  return {
    name,
    createReader: (header, options: FormatOptions & { blockRows: number }) =>
      new TsvReader(
        header,
        options.blockRows,
        {
          tz: options.timezone,
          nullAsDefault: settingBool(options, 'input_format_null_as_default', true),
          skipUnknown: settingBool(options, 'input_format_skip_unknown_fields', false),
          withNames,
          withTypes,
          formatName: name,
        },
        raw,
      ),
  };
}

export const tabSeparatedInputs: InputFormat[] = [
  tsvInput('TabSeparated', false, false, false),
  tsvInput('TabSeparatedWithNames', false, true, false),
  tsvInput('TabSeparatedWithNamesAndTypes', false, true, true),
  tsvInput('TabSeparatedRaw', true, false, false),
  tsvInput('TabSeparatedRawWithNames', true, true, false),
  tsvInput('TabSeparatedRawWithNamesAndTypes', true, true, true),
];
