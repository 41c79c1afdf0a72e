import { DbError } from '../../errors/index.js';

/**
 * RE2 (ClickHouse's regex engine) patterns translated to JS RegExp: inline flags `(?i)` `(?s)` `(?m)` at the
 * start become RegExp flags, `(?P<name>` becomes `(?<name>`. ClickHouse compiles with dot matching newlines.
 */
const cache = new Map<string, RegExp>();

export function compileRegexp(pattern: string, extraFlags = '', global = false): RegExp {
  const key = `${extraFlags}${global ? 'g' : ''}\u0000${pattern}`;
  let re = cache.get(key);
  if (re) {
    re.lastIndex = 0;
    return re;
  }
  let src = pattern;
  let flags = 'su' + extraFlags;
  for (;;) {
    const m = /^\(\?([imsU]+)\)/.exec(src);
    if (!m) break;
    for (const f of m[1]!) if (f !== 'U' && !flags.includes(f)) flags += f;
    src = src.slice(m[0].length);
  }
  src = src.replace(/\(\?P</g, '(?<').replace(/\\z/g, '$').replace(/\\A/g, '^');
  if (global) flags += 'g';
  try {
    re = new RegExp(src, flags);
  } catch {
    try {
      re = new RegExp(src, flags.replace('u', ''));
    } catch (e) {
      throw new DbError('CANNOT_COMPILE_REGEXP', `OptimizedRegularExpression: cannot compile re2: ${pattern}, error: ${(e as Error).message}`);
    }
  }
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

/** SQL LIKE pattern → RegExp: `%` any run, `_` one character, `\` escapes. */
export function likeToRegexp(pattern: string, caseInsensitive: boolean): RegExp {
  const key = `like${caseInsensitive ? 'i' : ''}\u0000${pattern}`;
  let re = cache.get(key);
  if (re) return re;
  let src = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      src += escapeRegexp(pattern[++i]!);
    } else if (c === '%') src += '.*';
    else if (c === '_') src += '.';
    else src += escapeRegexp(c);
  }
  src += '$';
  re = new RegExp(src, caseInsensitive ? 'isu' : 'su');
  if (cache.size > 1000) cache.clear();
  cache.set(key, re);
  return re;
}

export function escapeRegexp(s: string): string {
  return s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
}

/**
 * A LIKE pattern that is a plain literal with `%` only at the ends: matched on bytes without decoding.
 * Returns undefined for patterns that need the regex.
 */
export function simpleLike(pattern: string): { kind: 'equals' | 'prefix' | 'suffix' | 'contains'; literal: string } | undefined {
  if (/[_\\]/.test(pattern)) return undefined;
  const inner = pattern.replace(/^%+/, '').replace(/%+$/, '');
  if (inner.includes('%')) return undefined;
  const lead = pattern.startsWith('%');
  const trail = pattern.endsWith('%') && pattern.length > 0;
  if (lead && trail) return { kind: 'contains', literal: inner };
  if (lead) return { kind: 'suffix', literal: inner };
  if (trail) return { kind: 'prefix', literal: inner };
  return { kind: 'equals', literal: inner };
}

/** ClickHouse's replacement syntax (`\0`…`\9` are groups, `\\` a backslash) → a function for String.replace. */
export function replacementFn(replacement: string): (match: string, ...rest: unknown[]) => string {
  const parts: (string | number)[] = [];
  let lit = '';
  for (let i = 0; i < replacement.length; i++) {
    const c = replacement[i]!;
    if (c === '\\' && i + 1 < replacement.length) {
      const d = replacement[i + 1]!;
      if (d >= '0' && d <= '9') {
        if (lit) parts.push(lit);
        lit = '';
        parts.push(Number(d));
        i++;
        continue;
      }
      lit += d;
      i++;
      continue;
    }
    lit += c;
  }
  if (lit) parts.push(lit);
  return (match: string, ...rest: unknown[]) => {
    let out = '';
    for (const p of parts) {
      if (typeof p === 'string') out += p;
      else if (p === 0) out += match;
      else {
        const g = rest[p - 1];
        out += typeof g === 'string' ? g : '';
      }
    }
    return out;
  };
}
