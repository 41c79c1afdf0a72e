import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { dirname, join } from 'node:path';

const here = dirname(fileURLToPath(import.meta.url));

/** Reads a `hexdump -C` style golden file (as ch-go stores them) into bytes. */
export function readHexGolden(name: string): Uint8Array {
  const text = readFileSync(join(here, 'golden', 'ch-go', `${name}.hex`), 'utf8');
  const out: number[] = [];
  for (const line of text.split('\n')) {
    const m = /^[0-9a-f]{8}\s+(.*?)\s*(\|.*\|)?$/.exec(line);
    if (!m) continue;
    for (const h of m[1]!.trim().split(/\s+/)) if (h) out.push(parseInt(h, 16));
  }
  return Uint8Array.from(out);
}

export function hex(b: Uint8Array): string {
  return Array.from(b, (x) => x.toString(16).padStart(2, '0')).join(' ');
}
