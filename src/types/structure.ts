import { DbError } from '../errors/index.js';
import type { DataType } from './data-type.js';
import { parseDataType } from './type-factory.js';

/**
 * A table structure as text, `a UInt8, b Nullable(String)` (table functions' structure arguments,
 * `VALUES('…', …)`), into names and types.
 */
export function parseStructure(text: string): { name: string; type: DataType }[] {
  return splitTopLevel(text)
    .filter((part) => part.trim().length > 0)
    .map((def) => {
      const m = /^\s*(`[^`]+`|"[^"]+"|[A-Za-z_][A-Za-z0-9_]*)\s+([\s\S]+)$/.exec(def);
      if (!m) throw new DbError('BAD_ARGUMENTS', `Cannot parse the structure '${text}': expected 'name Type' in '${def.trim()}'`);
      return { name: m[1]!.replace(/^[`"]|[`"]$/g, ''), type: parseDataType(m[2]!.trim()) };
    });
}

/** Splits at commas outside parentheses and quotes. */
function splitTopLevel(s: string): string[] {
  const out: string[] = [];
  let depth = 0;
  let quote = '';
  let cur = '';
  for (const ch of s) {
    if (quote) {
      if (ch === quote) quote = '';
    } else if (ch === "'" || ch === '`' || ch === '"') quote = ch;
    else if (ch === '(') depth++;
    else if (ch === ')') depth--;
    else if (ch === ',' && depth === 0) {
      out.push(cur);
      cur = '';
      continue;
    }
    cur += ch;
  }
  out.push(cur);
  return out;
}
