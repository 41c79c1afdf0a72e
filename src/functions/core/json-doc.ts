/**
 * A small JSON reader for the JSON functions: keeps numbers as their text (so 64-bit integers and
 * `200.0` survive) and can re-serialise any node minified, as ClickHouse's JSONExtractRaw does.
 */
export type JsonNode =
  | { t: 'object'; entries: [string, JsonNode][] }
  | { t: 'array'; items: JsonNode[] }
  | { t: 'string'; v: string }
  | { t: 'number'; raw: string }
  | { t: 'bool'; v: boolean }
  | { t: 'null' };

class Reader {
  pos = 0;
  constructor(readonly s: string) {}
  ws(): void {
    const s = this.s;
    while (this.pos < s.length) {
      const c = s.charCodeAt(this.pos);
      if (c === 32 || c === 9 || c === 10 || c === 13) this.pos++;
      else break;
    }
  }
  fail(): never {
    throw new SyntaxError(`bad JSON at ${this.pos}`);
  }
  value(depth = 0): JsonNode {
    if (depth > 1000) this.fail();
    this.ws();
    const c = this.s[this.pos];
    if (c === '{') {
      this.pos++;
      const entries: [string, JsonNode][] = [];
      this.ws();
      if (this.s[this.pos] === '}') {
        this.pos++;
        return { t: 'object', entries };
      }
      for (;;) {
        this.ws();
        if (this.s[this.pos] !== '"') this.fail();
        const k = this.string();
        this.ws();
        if (this.s[this.pos] !== ':') this.fail();
        this.pos++;
        entries.push([k, this.value(depth + 1)]);
        this.ws();
        const d = this.s[this.pos++];
        if (d === '}') return { t: 'object', entries };
        if (d !== ',') this.fail();
      }
    }
    if (c === '[') {
      this.pos++;
      const items: JsonNode[] = [];
      this.ws();
      if (this.s[this.pos] === ']') {
        this.pos++;
        return { t: 'array', items };
      }
      for (;;) {
        items.push(this.value(depth + 1));
        this.ws();
        const d = this.s[this.pos++];
        if (d === ']') return { t: 'array', items };
        if (d !== ',') this.fail();
      }
    }
    if (c === '"') return { t: 'string', v: this.string() };
    if (this.s.startsWith('true', this.pos)) {
      this.pos += 4;
      return { t: 'bool', v: true };
    }
    if (this.s.startsWith('false', this.pos)) {
      this.pos += 5;
      return { t: 'bool', v: false };
    }
    if (this.s.startsWith('null', this.pos)) {
      this.pos += 4;
      return { t: 'null' };
    }
    const m = /^-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?/.exec(this.s.slice(this.pos, this.pos + 400));
    if (!m) this.fail();
    this.pos += m[0].length;
    return { t: 'number', raw: m[0] };
  }
  string(): string {
    const s = this.s;
    this.pos++;
    let out = '';
    for (;;) {
      if (this.pos >= s.length) this.fail();
      const c = s[this.pos++]!;
      if (c === '"') return out;
      if (c === '\\') {
        const e = s[this.pos++];
        switch (e) {
          case 'n':
            out += '\n';
            break;
          case 't':
            out += '\t';
            break;
          case 'r':
            out += '\r';
            break;
          case 'b':
            out += '\b';
            break;
          case 'f':
            out += '\f';
            break;
          case 'u': {
            const h = s.slice(this.pos, this.pos + 4);
            if (!/^[0-9a-fA-F]{4}$/.test(h)) this.fail();
            out += String.fromCharCode(parseInt(h, 16));
            this.pos += 4;
            break;
          }
          case '"':
          case '\\':
          case '/':
            out += e;
            break;
          default:
            this.fail();
        }
      } else out += c;
    }
  }
}

/** Parses a whole document; undefined when it is not valid JSON. */
export function parseJson(text: string): JsonNode | undefined {
  try {
    const r = new Reader(text);
    const v = r.value();
    r.ws();
    if (r.pos !== text.length) return undefined;
    return v;
  } catch {
    return undefined;
  }
}

/** Follows a path of object keys and 1-based array indexes (negative from the end). */
export function jsonPath(node: JsonNode | undefined, path: readonly (string | number)[]): JsonNode | undefined {
  let cur = node;
  for (const p of path) {
    if (!cur) return undefined;
    if (typeof p === 'string') {
      if (cur.t !== 'object') return undefined;
      const hit = cur.entries.find(([k]) => k === p);
      cur = hit?.[1];
    } else {
      const list = cur.t === 'array' ? cur.items : cur.t === 'object' ? cur.entries.map((e) => e[1]) : undefined;
      if (!list) return undefined;
      const idx = p > 0 ? p - 1 : p < 0 ? list.length + p : -1;
      cur = idx >= 0 && idx < list.length ? list[idx] : undefined;
    }
  }
  return cur;
}

export function stringifyJson(n: JsonNode): string {
  switch (n.t) {
    case 'object':
      return '{' + n.entries.map(([k, v]) => JSON.stringify(k) + ':' + stringifyJson(v)).join(',') + '}';
    case 'array':
      return '[' + n.items.map(stringifyJson).join(',') + ']';
    case 'string':
      return JSON.stringify(n.v);
    case 'number':
      return n.raw;
    case 'bool':
      return n.v ? 'true' : 'false';
    default:
      return 'null';
  }
}

/** ClickHouse's JSONType names. */
export function jsonTypeName(n: JsonNode): string {
  switch (n.t) {
    case 'object':
      return 'Object';
    case 'array':
      return 'Array';
    case 'string':
      return 'String';
    case 'bool':
      return 'Bool';
    case 'null':
      return 'Null';
    default:
      if (/[.eE]/.test(n.raw)) return 'Double';
      return n.raw.startsWith('-') || BigInt(n.raw) <= 9223372036854775807n ? 'Int64' : 'UInt64';
  }
}
