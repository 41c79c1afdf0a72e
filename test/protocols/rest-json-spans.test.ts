import { describe, expect, test } from 'vitest';
import { arrayElements, topLevelMembers } from '../../protocols/rest/json-spans.js';

describe('json-spans', () => {
  test('top-level members keep their raw text', () => {
    const text = ' { "columns" : ["a","b"], "data":[[1, "x]y"], [18446744073709551615, "q\\"],"]] ,"z": {"k": [1, {"m": null}]}, "t": true } ';
    const m = topLevelMembers(text);
    expect([...m.keys()]).toEqual(['columns', 'data', 'z', 't']);
    expect(m.get('columns')).toBe('["a","b"]');
    expect(m.get('data')).toBe('[[1, "x]y"], [18446744073709551615, "q\\"],"]]');
    expect(m.get('z')).toBe('{"k": [1, {"m": null}]}');
    expect(m.get('t')).toBe('true');
  });

  test('array elements split at top-level commas only', () => {
    expect(arrayElements('[[1, "x]y"], [18446744073709551615, "q\\"],"]]')).toEqual(['[1, "x]y"]', '[18446744073709551615, "q\\"],"]']);
    expect(arrayElements('[]')).toEqual([]);
    expect(arrayElements(' [ [ ] , [ {"a":[1,2]} ] ] ')).toEqual(['[ ]', '[ {"a":[1,2]} ]']);
    expect(arrayElements('[-1.5e3,null,"\\\\"]')).toEqual(['-1.5e3', 'null', '"\\\\"']);
  });

  test('the last duplicate key wins, as in JSON.parse', () => {
    expect(topLevelMembers('{"data":[1],"data":[2]}').get('data')).toBe('[2]');
  });
});
