import fs from 'node:fs';
import path from 'node:path';

/**
 * Sequence numbers for positions in a Kafka topic, so a materialized view reading an external stream can
 * checkpoint "where it got to" as one number, as it does for a stream. A position is a map partition → next
 * offset; each one reported to a view gets a fresh sequence number (from BASE up, never reused) and is
 * appended to a small file before the view sees it, so any checkpoint names a position on disk. On restart
 * the view asks to resume after sequence number n: `lookup(n)` gives the offsets to continue from.
 * The file keeps the latest KEEP positions (a checkpoint is taken every second; a view resuming from an
 * older one than that fails loudly instead of reading from the wrong place).
 */
export const POSITION_BASE = 1_000_000_000_000;
const KEEP = 50_000;

export class PositionJournal {
  private readonly file: string;
  private nextSeq = POSITION_BASE;
  private lines = 0;
  private loaded = false;

  constructor(private readonly dir: string) {
    this.file = path.join(dir, 'positions.log');
  }

  private load(): void {
    if (this.loaded) return;
    this.loaded = true;
    fs.mkdirSync(this.dir, { recursive: true });
    for (const [seq] of this.entries()) {
      this.nextSeq = Math.max(this.nextSeq, seq + 1);
      this.lines++;
    }
  }

  private *entries(): Generator<[number, string]> {
    let text: string;
    try {
      text = fs.readFileSync(this.file, 'utf8');
    } catch {
      return;
    }
    for (const line of text.split('\n')) {
      const sp = line.indexOf(' ');
      if (sp <= 0) continue;
      const seq = Number(line.slice(0, sp));
      if (Number.isSafeInteger(seq)) yield [seq, line.slice(sp + 1)];
    }
  }

  /** Appends a position and returns its sequence number (written before returning). */
  record(next: ReadonlyMap<number, number>): number {
    this.load();
    const seq = this.nextSeq++;
    const body = [...next].map(([p, o]) => `${p}:${o}`).join(',');
    fs.appendFileSync(this.file, `${seq} ${body}\n`);
    if (++this.lines > KEEP * 2) this.compact();
    return seq;
  }

  lookup(seq: number): Map<number, number> | undefined {
    this.load();
    for (const [s, body] of this.entries()) {
      if (s !== seq) continue;
      const out = new Map<number, number>();
      for (const part of body.split(',')) {
        if (!part) continue;
        const [p, o] = part.split(':');
        out.set(Number(p), Number(o));
      }
      return out;
    }
    return undefined;
  }

  private compact(): void {
    const all = [...this.entries()].slice(-KEEP);
    const tmp = `${this.file}.tmp`;
    fs.writeFileSync(tmp, all.map(([s, b]) => `${s} ${b}\n`).join(''));
    fs.renameSync(tmp, this.file);
    this.lines = all.length;
  }

  remove(): void {
    fs.rmSync(this.dir, { recursive: true, force: true });
  }
}
