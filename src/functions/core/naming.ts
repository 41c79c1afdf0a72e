/**
 * Proton spells ClickHouse's camelCase functions in snake_case (`toStartOfMinute` → `to_start_of_minute`,
 * `parseDateTimeBestEffort` → `parse_datetime_best_effort`, `IPv4NumToString` → `ipv4_num_to_string`,
 * `cityHash64` → `city_hash64`). Acronyms and a few compound words stay whole.
 */
const WHOLE_WORDS: readonly (readonly [RegExp, string])[] = [
  [/DateTime/g, 'Datetime'],
  [/TimeZone/g, 'Timezone'],
  [/UUIDv4/g, 'Uuidv4'],
  [/UUID/g, 'Uuid'],
  [/UTF8/g, 'Utf8'],
  [/UTF16/g, 'Utf16'],
  [/IPv4/g, 'Ipv4'],
  [/IPv6/g, 'Ipv6'],
  [/JSON/g, 'Json'],
  [/MD5/g, 'Md5'],
  [/MD4/g, 'Md4'],
  [/SHA(\d+)/g, 'Sha$1'],
  [/HLL12/g, 'Hll12'],
  [/CIDR/g, 'Cidr'],
  [/ISO/g, 'Iso'],
  [/URL/g, 'Url'],
  [/NaN/g, 'Nan'],
  [/UInt/g, 'Uint'],
  [/CRC/g, 'Crc'],
];

export function toSnakeCase(name: string): string {
  if (!/[A-Z]/.test(name)) return name;
  let s = name;
  for (const [re, rep] of WHOLE_WORDS) s = s.replace(re, rep);
  // YYYYMM-style format names stay as one word, lower-cased.
  s = s.replace(/YYYYMMDDhhmmss|YYYYMMDD|YYYYMM/g, (m) => m.charAt(0) + m.slice(1).toLowerCase());
  s = s
    .replace(/([a-z0-9])([A-Z])/g, '$1_$2')
    .replace(/([A-Z])([A-Z][a-z])/g, '$1_$2')
    .toLowerCase()
    .replace(/_+/g, '_');
  return s.replace(/^_/, '');
}
