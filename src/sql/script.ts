import { Lexer } from './lexer.js';

/**
 * Where inline INSERT data ends inside a multi-statement script (ClickHouse's client rules):
 * VALUES data runs to the next `;` outside strings and brackets; data in any other format runs to the end of
 * its line, without a trailing `;` on that line.
 */
export function insertDataEnd(sql: string, dataOffset: number, format: string): number {
  return format.toLowerCase() === 'values' ? valuesDataEnd(sql, dataOffset) : lineDataEnd(sql, dataOffset);
}

function valuesDataEnd(sql: string, i: number): number {
  const n = sql.length;
  let depth = 0;
  while (i < n) {
    const c = sql.charCodeAt(i);
    if (c === 39 || c === 34 || c === 96) {
      // quoted: skip with backslash escapes and doubled quotes
      i++;
      while (i < n) {
        const d = sql.charCodeAt(i);
        if (d === 92) i += 2;
        else if (d === c) {
          if (sql.charCodeAt(i + 1) === c) i += 2;
          else break;
        } else i++;
      }
      i++;
      continue;
    }
    if (c === 40 || c === 91 || c === 123) depth++;
    else if (c === 41 || c === 93 || c === 125) depth = Math.max(0, depth - 1);
    else if (c === 59 && depth === 0) return i;
    i++;
  }
  return n;
}

function lineDataEnd(sql: string, i: number): number {
  let end = sql.indexOf('\n', i);
  if (end < 0) end = sql.length;
  let j = end;
  while (j > i && /\s/.test(sql[j - 1]!)) j--;
  if (j > i && sql[j - 1] === ';') return j - 1;
  return end;
}

/**
 * Splits a script into statement texts on top-level `;` without parsing it, so that a statement with a
 * syntax error does not hide the ones after it. INSERT data is kept with its statement.
 */
export function splitStatements(sql: string): string[] {
  return splitStatementRanges(sql).map((r) => sql.slice(r.start, r.end));
}

/** Like splitStatements, with offsets into the script (`end` excludes the `;`). */
export function splitStatementRanges(sql: string): { start: number; end: number }[] {
  const out: { start: number; end: number }[] = [];
  const lexer = new Lexer(sql);
  let start = -1;
  let first = '';
  let prevUpper = '';
  let depth = 0;
  let sawSelect = false;
  const finish = (end: number) => {
    if (start >= 0) {
      let e = end;
      while (e > start && /\s/.test(sql[e - 1]!)) e--;
      if (e > start) out.push({ start, end: e });
    }
    start = -1;
    first = '';
    prevUpper = '';
    depth = 0;
    sawSelect = false;
  };
  for (;;) {
    let t;
    try {
      t = lexer.next();
    } catch {
      // An unterminated string or comment: the rest is one (broken) statement.
      if (start < 0) start = lexer.pos;
      finish(sql.length);
      return out;
    }
    if (t.type === 'eof') break;
    if (t.type === 'op' && t.value === ';') {
      finish(t.start);
      continue;
    }
    if (start < 0) {
      start = t.start;
      first = t.upper;
    }
    if (t.type === 'op') {
      if (t.value === '(' || t.value === '[') depth++;
      else if (t.value === ')' || t.value === ']') depth--;
    }
    if (t.upper === 'SELECT') sawSelect = true;
    if (first === 'INSERT' && depth === 0 && t.type === 'word' && (!sawSelect || prevUpper === 'FORMAT')) {
      let dataStart = -1;
      let format = '';
      if (t.upper === 'VALUES' && !sawSelect) {
        dataStart = t.end;
        format = 'Values';
      } else if (prevUpper === 'FORMAT') {
        dataStart = t.end;
        format = t.value;
      }
      if (dataStart >= 0) {
        let i = dataStart;
        if (format !== 'Values') {
          while (sql[i] === ' ' || sql[i] === '\t') i++;
          if (sql[i] === '\r') i++;
          if (sql[i] === '\n') i++;
        }
        const end = insertDataEnd(sql, i, format);
        finish(end);
        lexer.reset(end);
        continue;
      }
    }
    prevUpper = t.type === 'word' ? t.upper : '';
  }
  finish(sql.length);
  return out;
}
