import { describe, expect, it } from 'vitest';
import { DbError } from '../../src/errors/index.js';
import { tokenize } from '../../src/sql/index.js';

const kinds = (sql: string) => tokenize(sql).map((t) => [t.type, t.value]);

describe('lexer', () => {
  it('reads words, quoted identifiers and strings', () => {
    expect(kinds('select `a b`, "c""d", \'it\'\'s\'')).toEqual([
      ['word', 'select'],
      ['quoted', 'a b'],
      ['op', ','],
      ['quoted', 'c"d'],
      ['op', ','],
      ['string', "it's"],
    ]);
    expect(tokenize('SeLeCt')[0]!.upper).toBe('SELECT');
  });

  it('unescapes ClickHouse string escapes', () => {
    const v = (s: string) => tokenize(s)[0]!.value;
    expect(v(String.raw`'a\nb\tc\\d\'e'`)).toBe("a\nb\tc\\d'e");
    expect(v(String.raw`'\x41\x42'`)).toBe('AB');
    expect(v(String.raw`'\xD0\x9F'`)).toBe('П');
    expect(v(String.raw`'\xFF'`)).toBe('\u00ff');
    expect(v(String.raw`'\0\r\b\f'`)).toBe('\0\r\b\f');
    expect(v(String.raw`'a\.b'`)).toBe('a\\.b'); // unknown escapes keep the backslash
    expect(v("'€ ünïcode'")).toBe('€ ünïcode');
  });

  it('reads heredocs and placeholders', () => {
    expect(kinds('$$ return x; $$')).toEqual([['heredoc', ' return x; ']]);
    expect(kinds('$js$ a $$ b $js$')).toEqual([['heredoc', ' a $$ b ']]);
    expect(kinds('a = $1 AND b = $12')).toEqual([
      ['word', 'a'],
      ['op', '='],
      ['placeholder', '$1'],
      ['word', 'AND'],
      ['word', 'b'],
      ['op', '='],
      ['placeholder', '$12'],
    ]);
  });

  it('reads numbers keeping their text', () => {
    expect(kinds('1 1.5 1e3 1.5e-3 0x1F 0b101 1_000 (.5 0x1p4')).toEqual([
      ['number', '1'],
      ['number', '1.5'],
      ['number', '1e3'],
      ['number', '1.5e-3'],
      ['number', '0x1F'],
      ['number', '0b101'],
      ['number', '1_000'],
      ['op', '('],
      ['number', '.5'],
      ['number', '0x1p4'],
    ]);
  });

  it('reads words that start with digits (intervals, table names)', () => {
    expect(kinds('5s 100ms 2m 1M 99004_speed')).toEqual([
      ['word', '5s'],
      ['word', '100ms'],
      ['word', '2m'],
      ['word', '1M'],
      ['word', '99004_speed'],
    ]);
  });

  it('splits tuple access after a dot', () => {
    expect(kinds('x.1.2')).toEqual([
      ['word', 'x'],
      ['op', '.'],
      ['number', '1'],
      ['op', '.'],
      ['number', '2'],
    ]);
    expect(kinds('db.t')).toEqual([
      ['word', 'db'],
      ['op', '.'],
      ['word', 't'],
    ]);
  });

  it('reads operators', () => {
    expect(tokenize(':: -> || != <> == <= >= < > = : ? @ \\G').map((t) => t.value)).toEqual([
      '::', '->', '||', '!=', '<>', '==', '<=', '>=', '<', '>', '=', ':', '?', '@', '\\G',
    ]);
  });

  it('skips comments of every kind, nested block comments included', () => {
    expect(kinds('a -- x\n b # y\n c /* d /* e */ f */ g // h\n i')).toEqual([
      ['word', 'a'],
      ['word', 'b'],
      ['word', 'c'],
      ['word', 'g'],
      ['word', 'i'],
    ]);
  });

  it('skips Unicode spaces', () => {
    expect(kinds('SELECT\u00a01\u2002+\u200b2\u3000\ufeff')).toEqual([
      ['word', 'SELECT'],
      ['number', '1'],
      ['op', '+'],
      ['number', '2'],
    ]);
  });

  it('records positions', () => {
    const t = tokenize('SELECT  abc');
    expect([t[1]!.start, t[1]!.end]).toEqual([8, 11]);
  });

  it('reports unterminated strings, comments and stray characters as SYNTAX_ERROR', () => {
    for (const bad of ["SELECT 'abc", 'SELECT `abc', 'SELECT /* x', 'SELECT a ! b', 'SELECT a | b', 'SELECT $$ x']) {
      let err: unknown;
      try {
        tokenize(bad);
      } catch (e) {
        err = e;
      }
      expect(err).toBeInstanceOf(DbError);
      expect((err as DbError).code).toBe(62);
    }
  });
});
