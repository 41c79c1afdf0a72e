import { describe, expect, it } from 'vitest';
import { defaultRegistry, renderFunctionDocs } from '../../src/functions/index.js';
import { toSnakeCase } from '../../src/functions/core/naming.js';
import { agg, col } from './helpers.js';

describe('function registry', () => {
  const reg = defaultRegistry();

  it('finds functions by exact name and case-insensitively only when marked', () => {
    expect(reg.getScalar('plus')).toBeDefined();
    expect(reg.getScalar('LOWER')).toBeDefined();
    expect(reg.getScalar('Concat')).toBeDefined();
    expect(reg.getScalar('toStartOfMinute')).toBeDefined();
    expect(reg.getScalar('TOSTARTOFMINUTE')).toBeUndefined();
    expect(reg.getAggregate('COUNT')).toBeDefined();
    expect(reg.getAggregate('Sum')).toBeDefined();
  });

  it('derives Proton snake_case aliases', () => {
    expect(toSnakeCase('toStartOfMinute')).toBe('to_start_of_minute');
    expect(toSnakeCase('parseDateTimeBestEffort')).toBe('parse_datetime_best_effort');
    expect(toSnakeCase('IPv4NumToString')).toBe('ipv4_num_to_string');
    expect(toSnakeCase('lengthUTF8')).toBe('length_utf8');
    expect(toSnakeCase('toYYYYMM')).toBe('to_yyyymm');
    expect(toSnakeCase('JSONExtractString')).toBe('json_extract_string');
    expect(toSnakeCase('cityHash64')).toBe('city_hash64');
    expect(toSnakeCase('toUInt8')).toBe('to_uint8');
    expect(toSnakeCase('quantileTDigest')).toBe('quantile_t_digest');
    for (const n of ['to_start_of_minute', 'array_join', 'to_string', 'parse_datetime_best_effort', 'md5', 'sha256', 'to_uuid', 'to_datetime64', 'json_extract_string', 'is_ipv4_string', 'to_yyyymmdd', 'date_diff', 'multi_if']) {
      expect(reg.has(n), n).toBe(true);
    }
    expect(reg.isAggregate('group_array')).toBe(true);
    expect(reg.isAggregate('unique_exact')).toBe(true);
  });

  it('resolves aggregate combinators, including nested and snake_case ones', () => {
    for (const n of ['sumIf', 'countIf', 'uniqMerge', 'sumIfOrNull', 'avgState', 'groupArrayArray', 'sumForEach', 'countDistinct', 'sum_if', 'count_distinct', 'max_or_null', 'uniqExactIf']) {
      expect(reg.isAggregate(n), n).toBe(true);
    }
    expect(reg.isAggregate('plusIf')).toBe(false);
    expect(agg('countDistinct', [], [col('UInt8', 1, 1, 2, 3)]).values).toEqual([3n]);
    expect(agg('sumIfOrNull', [], [col('UInt8', 1, 2), col('UInt8', 0, 0)]).values).toEqual([null]);
    expect(agg('sumIfOrNull', [], [col('UInt8', 1, 2), col('UInt8', 0, 1)]).values).toEqual([2n]);
  });

  it('marks arrayJoin and IN for the engine and hints unknown names', () => {
    expect(reg.specialOf('arrayJoin')).toBe('arrayJoin');
    expect(reg.specialOf('array_join')).toBe('arrayJoin');
    expect(reg.specialOf('in')).toBe('in');
    expect(() => reg.resolveScalar('lowerr', [], {} as never)).toThrow(/Unknown function lowerr.*lower/);
  });

  it('lists system.functions rows with aliases and docs', () => {
    const rows = reg.list();
    const byName = new Map(rows.map((r) => [r.name, r]));
    expect(byName.get('plus')!.category).toBe('Arithmetic');
    expect(byName.get('to_start_of_minute')!.aliasTo).toBe('toStartOfMinute');
    expect(byName.get('count')!.isAggregate).toBe(true);
    expect(byName.get('count')!.caseInsensitive).toBe(true);
    expect(byName.get('row_number')!.isWindow).toBe(true);
    expect(rows.every((r) => r.description.length > 0)).toBe(true);
    const md = renderFunctionDocs(reg);
    expect(md).toContain('### toStartOfMinute');
    expect(md).toContain('`to_start_of_minute`');
  });
});
