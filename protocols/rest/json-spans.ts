/**
 * Raw-text spans of an already validated JSON document, so values reach the engine's JSON input format as the
 * client wrote them (an int64 such as 9007199254740993 would lose digits through JSON.parse).
 */

/** Index just past the JSON value starting at `i` (after whitespace). The text must be valid JSON. */
function skipValue(text: string, i: number): number {
  i = skipWs(text, i);
  const c = text[i];
  if (c === '"') return skipString(text, i);
  if (c === '{' || c === '[') {
    const close = c === '{' ? '}' : ']';
    i = skipWs(text, i + 1);
    if (text[i] === close) return i + 1;
    for (;;) {
      if (c === '{') {
        i = skipString(text, skipWs(text, i));
        i = skipWs(text, i) + 1; // ':'
      }
      i = skipWs(text, skipValue(text, i));
      if (text[i] === ',') {
        i++;
        continue;
      }
      return i + 1; // close
    }
  }
  // number, true, false, null
  while (i < text.length && !/[\s,\]}]/.test(text[i]!)) i++;
  return i;
}

function skipString(text: string, i: number): number {
  i++;
  while (i < text.length && text[i] !== '"') i += text[i] === '\\' ? 2 : 1;
  return i + 1;
}

function skipWs(text: string, i: number): number {
  while (i < text.length && (text[i] === ' ' || text[i] === '\n' || text[i] === '\r' || text[i] === '\t')) i++;
  return i;
}

/** The raw text of each member of a top-level JSON object, by key (last one wins, as JSON.parse). */
export function topLevelMembers(text: string): Map<string, string> {
  const out = new Map<string, string>();
  let i = skipWs(text, 0);
  if (text[i] !== '{') return out;
  i = skipWs(text, i + 1);
  if (text[i] === '}') return out;
  for (;;) {
    const keyStart = skipWs(text, i);
    const keyEnd = skipString(text, keyStart);
    const key = JSON.parse(text.slice(keyStart, keyEnd)) as string;
    const valueStart = skipWs(text, skipWs(text, keyEnd) + 1);
    const valueEnd = skipValue(text, valueStart);
    out.set(key, text.slice(valueStart, valueEnd));
    i = skipWs(text, valueEnd);
    if (text[i] !== ',') return out;
    i++;
  }
}

/** The raw text of each element of a JSON array. */
export function arrayElements(text: string): string[] {
  const out: string[] = [];
  let i = skipWs(text, 0);
  if (text[i] !== '[') return out;
  i = skipWs(text, i + 1);
  if (text[i] === ']') return out;
  for (;;) {
    const start = skipWs(text, i);
    const end = skipValue(text, start);
    out.push(text.slice(start, end));
    i = skipWs(text, end);
    if (text[i] !== ',') return out;
    i++;
  }
}
