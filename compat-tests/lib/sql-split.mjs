// Splits a multi-statement SQL script the way clickhouse-client --multiquery does:
// on top-level `;`, respecting 'strings', "identifiers", `identifiers`, -- line comments
// and (nested) /* block comments */. `INSERT ... FORMAT <fmt> <data>` carries its data to
// the end of the line (as clickhouse-client does); a trailing `;` on that line is dropped.
//
// Each statement knows the comments inside it and on the line of its closing `;`, from
// which test annotations are read: `-- { serverError 60 }`, `-- {serverError UNKNOWN_TABLE}`,
// `-- { clientError 62 }`, `-- { clientError 0 serverError 47 }`,
// `-- { serverError NOT_IMPLEMENTED (48) }`. It also knows the comment lines that follow
// it directly (up to a blank line or the next statement): the differential suite keeps
// `-- expected (...)` blocks there.
import { resolveErrorCode } from './error-codes.mjs';

/**
 * @typedef {{ text: string, line: number, start: number, end: number, ownLine: boolean }} Comment
 * @typedef {{ server: number[], client: number[], unresolved: string[], raw: string }} ErrorAnnotation
 * @typedef {{
 *   sql: string,
 *   line: number,
 *   endLine: number,
 *   comments: string[],
 *   following: string[],
 *   annotation: ErrorAnnotation | null,
 *   insertData: boolean,
 * }} Statement
 */

const IDENT_START = /[A-Za-z_]/;
const IDENT_PART = /[A-Za-z0-9_]/;

/**
 * @param {string} input
 * @returns {Statement[]}
 */
export function splitSqlScript(input) {
  const text = input.replace(/\r\n/g, '\n');
  const n = text.length;
  /** @type {Comment[]} */
  const comments = [];
  /** @type {{ start: number, end: number, semicolon: number, insertData: boolean }[]} */
  const spans = [];

  let i = 0;
  let line = 1;
  let lineStart = 0;
  let stmtStart = -1;
  let depth = 0;
  /** words of the current statement at paren depth 0, upper-cased, only as long as needed */
  let words = [];

  const ownLineAt = (/** @type {number} */ pos) => text.slice(lineStart, pos).trim() === '';
  const endStatement = (/** @type {number} */ end, /** @type {number} */ semicolon, insertData = false) => {
    if (stmtStart >= 0) spans.push({ start: stmtStart, end, semicolon, insertData });
    stmtStart = -1;
    depth = 0;
    words = [];
  };

  while (i < n) {
    const c = text[i];
    if (c === '\n') {
      i++;
      line++;
      lineStart = i;
      continue;
    }
    if (c === ' ' || c === '\t' || c === '\f' || c === '\v') {
      i++;
      continue;
    }
    // -- line comment
    if (c === '-' && text[i + 1] === '-') {
      let j = text.indexOf('\n', i);
      if (j < 0) j = n;
      comments.push({ text: text.slice(i + 2, j), line, start: i, end: j, ownLine: ownLineAt(i) });
      i = j;
      continue;
    }
    // /* block comment */ (nested, as ClickHouse's lexer allows)
    if (c === '/' && text[i + 1] === '*') {
      const start = i;
      const startLine = line;
      const own = ownLineAt(i);
      let nest = 0;
      while (i < n) {
        if (text[i] === '/' && text[i + 1] === '*') {
          nest++;
          i += 2;
        } else if (text[i] === '*' && text[i + 1] === '/') {
          nest--;
          i += 2;
          if (nest === 0) break;
        } else {
          if (text[i] === '\n') {
            line++;
            lineStart = i + 1;
          }
          i++;
        }
      }
      comments.push({ text: text.slice(start + 2, Math.max(start + 2, i - 2)), line: startLine, start, end: i, ownLine: own });
      continue;
    }
    if (c === ';') {
      endStatement(i, i);
      i++;
      continue;
    }
    if (stmtStart < 0) stmtStart = i;
    if (c === "'" || c === '"' || c === '`') {
      // quoted literal or identifier: backslash escapes and doubled quotes
      i++;
      while (i < n) {
        const d = text[i];
        if (d === '\\') {
          if (text[i + 1] === '\n') {
            line++;
            lineStart = i + 2;
          }
          i += 2;
          continue;
        }
        if (d === '\n') {
          line++;
          lineStart = i + 1;
        }
        if (d === c) {
          if (text[i + 1] === c) {
            i += 2;
            continue;
          }
          i++;
          break;
        }
        i++;
      }
      continue;
    }
    if (c === '(' || c === '[' || c === '{') {
      depth++;
      i++;
      continue;
    }
    if (c === ')' || c === ']' || c === '}') {
      depth--;
      i++;
      continue;
    }
    if (IDENT_START.test(c)) {
      let j = i + 1;
      while (j < n && IDENT_PART.test(text[j])) j++;
      const word = text.slice(i, j).toUpperCase();
      i = j;
      if (depth === 0 && words.length < 64) {
        words.push(word);
        const data = insertDataStart(words, text, i);
        if (data !== null) {
          // the data runs to the end of the line it starts on
          let eol = text.indexOf('\n', data);
          if (eol < 0) eol = n;
          let end = eol;
          while (end > data && /\s/.test(text[end - 1])) end--;
          if (end > data && text[end - 1] === ';') end--;
          // the newline between FORMAT <fmt> and the data is part of the statement
          for (let k = i; k < eol; k++) {
            if (text[k] === '\n') {
              line++;
              lineStart = k + 1;
            }
          }
          endStatement(end, -1, true);
          i = eol;
          continue;
        }
      }
      continue;
    }
    i++;
  }
  endStatement(n, -1);

  /** @type {Statement[]} */
  const out = [];
  for (let s = 0; s < spans.length; s++) {
    const span = spans[s];
    const next = s + 1 < spans.length ? spans[s + 1].start : n;
    let sql = text.slice(span.start, span.end);
    if (!span.insertData) sql = sql.replace(/\s+$/, '');
    if (sql.trim() === '') continue;
    const startLine = lineOf(text, span.start);
    const closeLine = lineOf(text, span.semicolon >= 0 ? span.semicolon : span.end);
    const inside = comments.filter((c) => c.start >= span.start && c.start < span.end);
    const sameLine = comments.filter((c) => c.start >= span.end && c.start < next && c.line === closeLine && !c.ownLine);
    const following = [];
    for (const c of sameLine) following.push(c.text);
    let expectLine = closeLine + 1;
    for (const c of comments) {
      if (c.start < span.end || c.start >= next) continue;
      if (!c.ownLine) continue;
      if (c.line !== expectLine) break;
      following.push(c.text);
      expectLine = c.line + 1;
    }
    const annotationTexts = [...inside, ...sameLine].map((c) => c.text);
    out.push({
      sql,
      line: startLine,
      endLine: closeLine,
      comments: annotationTexts,
      following,
      annotation: parseErrorAnnotation(annotationTexts),
      insertData: span.insertData,
    });
  }
  return out;
}

/**
 * If `words` (upper-cased top-level words of a statement, the last just read) end an
 * `INSERT ... FORMAT <name>` head, returns the index where inline data starts.
 * @param {string[]} words
 * @param {string} text
 * @param {number} pos index just after the last word
 * @returns {number | null}
 */
function insertDataStart(words, text, pos) {
  if (words[0] !== 'INSERT' || words.length < 3) return null;
  if (words[words.length - 2] !== 'FORMAT') return null;
  if (words.includes('SELECT') || words.includes('WITH') || words.includes('VALUES')) return null;
  let j = pos;
  while (j < text.length && (text[j] === ' ' || text[j] === '\t' || text[j] === '\f')) j++;
  if (text[j] === '\r') j++;
  if (text[j] === '\n') j++;
  if (text[j] === ';' || j >= text.length) return null;
  return j;
}

/** @param {string} text @param {number} pos */
function lineOf(text, pos) {
  let line = 1;
  for (let k = 0; k < pos && k < text.length; k++) if (text[k] === '\n') line++;
  return line;
}

/**
 * Reads `{ serverError X[, Y] }` / `{ clientError X }` hints from comment texts.
 * @param {string[]} texts
 * @returns {ErrorAnnotation | null}
 */
export function parseErrorAnnotation(texts) {
  for (const t of texts) {
    const m = /\{\s*((?:server|client)Error\b[^}]*)\}/.exec(t);
    if (!m) continue;
    /** @type {ErrorAnnotation} */
    const ann = { server: [], client: [], unresolved: [], raw: m[0] };
    const re = /(server|client)Error\s+([^]*?)(?=(?:server|client)Error|$)/g;
    let g;
    while ((g = re.exec(m[1])) !== null) {
      const target = g[1] === 'server' ? ann.server : ann.client;
      // tokens: 60, UNKNOWN_TABLE, NOT_IMPLEMENTED (48), 43 | 44, 43, 44; trailing `;`
      for (const tok of g[2].split(/[\s,|;()]+/)) {
        if (tok === '') continue;
        const code = resolveErrorCode(tok);
        if (code === undefined) ann.unresolved.push(tok);
        else if (!target.includes(code)) target.push(code);
      }
    }
    return ann;
  }
  return null;
}

/**
 * The `-- Tags: a, b` line of a ClickHouse-style test.
 * @param {string} text
 * @returns {string[]}
 */
export function parseTags(text) {
  const m = /^--\s*Tags:\s*(.*)$/m.exec(text);
  if (!m) return [];
  return m[1]
    .split(',')
    .map((t) => t.trim())
    .filter((t) => t !== '');
}
