import type { OutputFormat } from './format.js';
import { RowTextWriter } from './text/row-text-output.js';

/** Values output: `(1,'a',[1,2]),(2,'b',[])` with SQL literal quoting. */
export const valuesOutput: OutputFormat = {
  name: 'Values',
  contentType: 'text/plain; charset=UTF-8',
  createWriter: (header, options, sink) =>
    new RowTextWriter(header, options, sink, {
      style: 'quoted',
      fieldPrefix: (k) => (k ? ',' : ''),
      rowStart: '(',
      rowEnd: ')',
      rowBetween: ',',
    }),
};
