/**
 * Proton prints type names in lower snake case (`nullable(int32)`, `low_cardinality(string)`,
 * `datetime64(3, 'UTC')`) where ClickHouse prints `Nullable(Int32)`. Sessions with `dialect = 'proton'` see
 * Proton's spelling; ClickHouse clients keep ClickHouse's.
 */
const SPECIAL: Record<string, string> = {
  DateTime: 'datetime',
  DateTime64: 'datetime64',
  LowCardinality: 'low_cardinality',
  FixedString: 'fixed_string',
  AggregateFunction: 'aggregate_function',
  SimpleAggregateFunction: 'simple_aggregate_function',
};

const FAMILIES = new Set([
  'Int8', 'Int16', 'Int32', 'Int64', 'Int128', 'Int256', 'UInt8', 'UInt16', 'UInt32', 'UInt64', 'UInt128', 'UInt256',
  'Float32', 'Float64', 'Decimal', 'Bool', 'String', 'UUID', 'Date', 'Date32', 'IPv4', 'IPv6', 'Nothing', 'Nullable',
  'Array', 'Map', 'Tuple', 'Enum8', 'Enum16', 'Nested',
]);

export function protonTypeName(name: string): string {
  let out = '';
  let i = 0;
  while (i < name.length) {
    const c = name[i]!;
    if (c === "'") {
      // Quoted parts (enum names, timezones) stay as they are.
      let j = i + 1;
      while (j < name.length && name[j] !== "'") j += name[j] === '\\' ? 2 : 1;
      out += name.slice(i, j + 1);
      i = j + 1;
      continue;
    }
    const m = /^[A-Za-z_][A-Za-z0-9_]*/.exec(name.slice(i));
    if (m) {
      const word = m[0];
      const interval = /^Interval([A-Z][a-z]+)$/.exec(word);
      out += SPECIAL[word] ?? (FAMILIES.has(word) ? word.toLowerCase() : interval ? `interval_${interval[1]!.toLowerCase()}` : word);
      i += word.length;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

export function isProtonDialect(settings: ReadonlyMap<string, string>): boolean {
  return settings.get('dialect') === 'proton';
}

/** A type's name as the session's dialect prints it. */
export function typeNameFor(name: string, settings: ReadonlyMap<string, string>): string {
  return isProtonDialect(settings) ? protonTypeName(name) : name;
}
