import { describe, expect, it } from 'vitest';
import { call, col, lit, one } from './helpers.js';

describe('string functions', () => {
  it('lengths and case over UTF-8', () => {
    expect(call('length', [col('String', 'abc', 'héllo', '')]).values).toEqual([3n, 6n, 0n]);
    expect(one('lengthUTF8', lit('String', 'héllo'))).toBe(5n);
    expect(one('char_length', lit('String', '日本'))).toBe(2n);
    expect(one('upper', lit('String', 'abc héllo'))).toBe('ABC HéLLO');
    expect(one('upperUTF8', lit('String', 'abc héllo'))).toBe('ABC HÉLLO');
    expect(one('lower', lit('String', 'ABC'))).toBe('abc');
    expect(call('empty', [col('String', '', 'x')]).values).toEqual([1, 0]);
    expect(call('notEmpty', [col('Array(UInt8)', [], [1])]).values).toEqual([0, 1]);
  });
  it('concat, substring, left/right, trim, pad, repeat, reverse', () => {
    expect(call('concat', [col('String', 'a', 'b'), lit('UInt8', 1), col('Nullable(String)', 'x', null)]).values).toEqual(['a1x', null]);
    expect(one('concatWithSeparator', lit('String', '-'), lit('String', 'a'), lit('String', 'b'))).toBe('a-b');
    expect(one('substring', lit('String', 'Hello, world'), lit('Int8', -5), lit('UInt8', 3))).toBe('wor');
    expect(one('substring', lit('String', 'Hello'), lit('UInt8', 2))).toBe('ello');
    expect(one('substr', lit('String', 'Hello'), lit('UInt8', 0))).toBe('');
    expect(one('substringUTF8', lit('String', 'héllo'), lit('UInt8', 2), lit('UInt8', 2))).toBe('él');
    expect(one('left', lit('String', 'Hello'), lit('UInt8', 2))).toBe('He');
    expect(one('right', lit('String', 'Hello'), lit('Int8', -2))).toBe('llo');
    expect(one('trimBoth', lit('String', '  ab  '))).toBe('ab');
    expect(one('trimLeft', lit('String', '  ab  '))).toBe('ab  ');
    expect(one('rtrim', lit('String', '  ab  '))).toBe('  ab');
    expect(one('leftPad', lit('String', 'abc'), lit('UInt8', 7), lit('String', '*'))).toBe('****abc');
    expect(one('rightPad', lit('String', 'abc'), lit('UInt8', 2))).toBe('ab');
    expect(one('repeat', lit('String', 'ab'), lit('UInt8', 3))).toBe('ababab');
    expect(one('reverse', lit('String', 'abc'))).toBe('cba');
    expect(one('format', lit('String', '{} - {1} {{}}'), lit('String', 'a'), lit('UInt8', 5))).toBe('a - 5 {}');
  });
  it('search: position, like, match, extract, replace', () => {
    expect(call('position', [col('String', 'hello', 'xyz'), lit('String', 'l')]).values).toEqual([3n, 0n]);
    expect(one('positionUTF8', lit('String', 'héllo'), lit('String', 'l'))).toBe(3n);
    expect(one('positionCaseInsensitive', lit('String', 'HELLO'), lit('String', 'll'))).toBe(3n);
    expect(one('locate', lit('String', 'l'), lit('String', 'hello'))).toBe(3n);
    expect(call('like', [col('String', 'hello', 'help', 'x'), lit('String', 'hel%')]).values).toEqual([1, 1, 0]);
    expect(call('like', [col('String', 'hello', 'hallo'), lit('String', 'h_llo')]).values).toEqual([1, 1]);
    expect(call('like', [col('String', 'a%b', 'ab'), lit('String', 'a\\%b')]).values).toEqual([1, 0]);
    expect(call('notLike', [col('String', 'abc'), lit('String', '%b%')]).values).toEqual([0]);
    expect(call('ilike', [col('String', 'HELLO'), lit('String', '%ell%')]).values).toEqual([1]);
    expect(one('match', lit('String', 'abc123'), lit('String', '\\d+'))).toBe(1);
    expect(one('match', lit('String', 'ABC'), lit('String', '(?i)abc'))).toBe(1);
    expect(one('extract', lit('String', 'abc123def'), lit('String', '(\\d+)'))).toBe('123');
    expect(one('extractAll', lit('String', 'a1b22c333'), lit('String', '\\d+'))).toEqual(['1', '22', '333']);
    expect(one('replaceAll', lit('String', 'aXbXc'), lit('String', 'X'), lit('String', '--'))).toBe('a--b--c');
    expect(one('replaceOne', lit('String', 'aXbXc'), lit('String', 'X'), lit('String', '-'))).toBe('a-bXc');
    expect(one('replaceRegexpAll', lit('String', 'Hello World'), lit('String', '(\\w+)'), lit('String', '<\\1>'))).toBe('<Hello> <World>');
    expect(one('replaceRegexpOne', lit('String', '2020-01-02'), lit('String', '(\\d+)-(\\d+)-(\\d+)'), lit('String', '\\3/\\2/\\1'))).toBe('02/01/2020');
    expect(one('startsWith', lit('String', 'hello'), lit('String', 'he'))).toBe(1);
    expect(one('endsWith', lit('String', 'hello'), lit('String', 'lo'))).toBe(1);
    expect(one('countSubstrings', lit('String', 'aaaa'), lit('String', 'aa'))).toBe(2n);
  });
  it('split, join and encodings', () => {
    expect(one('splitByChar', lit('String', ','), lit('String', 'a,b,,c'))).toEqual(['a', 'b', '', 'c']);
    expect(one('splitByString', lit('String', ', '), lit('String', 'a, b, c'))).toEqual(['a', 'b', 'c']);
    expect(one('splitByRegexp', lit('String', '\\d+'), lit('String', 'a1b22c'))).toEqual(['a', 'b', 'c']);
    expect(one('arrayStringConcat', lit('Array(String)', ['a', 'b']), lit('String', '-'))).toBe('a-b');
    expect(one('arrayStringConcat', lit('Array(UInt8)', [1, 2]))).toBe('12');
    expect(one('base64Encode', lit('String', 'hello'))).toBe('aGVsbG8=');
    expect(one('base64Decode', lit('String', 'aGVsbG8='))).toBe('hello');
    expect(one('tryBase64Decode', lit('String', '!!'))).toBe('');
    expect(call('hex', [col('UInt32', 255, 65536)]).values).toEqual(['FF', '010000']);
    expect(one('hex', lit('String', 'abc'))).toBe('616263');
    expect(one('unhex', lit('String', '616263'))).toBe('abc');
  });
});
