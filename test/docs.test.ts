import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { defaultRegistry, renderFunctionDocs } from '../src/functions/index.js';

describe('generated docs', () => {
  it('docs/functions.md matches the registry (regenerate with `npm run docs:functions`)', () => {
    const file = path.join(import.meta.dirname, '..', 'docs', 'functions.md');
    expect(readFileSync(file, 'utf8')).toBe(renderFunctionDocs(defaultRegistry()));
  });
});
