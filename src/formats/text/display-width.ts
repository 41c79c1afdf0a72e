/**
 * Terminal width of UTF-8 text as ClickHouse's Pretty formats measure it (UTF8::computeWidth): control
 * characters take no room, a tab advances to the next multiple of 8 counted from `prefix` columns, East Asian
 * wide characters take two columns, everything else one.
 */
export function displayWidth(b: Uint8Array, start: number, end: number, prefix = 0): number {
  let w = 0;
  let i = start;
  while (i < end) {
    const c = b[i]!;
    if (c < 0x80) {
      i++;
      if (c === 9) w += 8 - ((prefix + w) % 8);
      else if (c >= 0x20) w++;
      continue;
    }
    let cp: number;
    let n: number;
    if (c >= 0xf0) {
      n = 4;
      cp = c & 0x07;
    } else if (c >= 0xe0) {
      n = 3;
      cp = c & 0x0f;
    } else if (c >= 0xc0) {
      n = 2;
      cp = c & 0x1f;
    } else {
      // a stray continuation byte
      i++;
      w++;
      continue;
    }
    let k = 1;
    for (; k < n && i + k < end; k++) cp = (cp << 6) | (b[i + k]! & 0x3f);
    i += k;
    w += isWide(cp) ? 2 : isZeroWidth(cp) ? 0 : 1;
  }
  return w;
}

function isWide(cp: number): boolean {
  return (
    (cp >= 0x1100 && cp <= 0x115f) ||
    (cp >= 0x2e80 && cp <= 0xa4cf && cp !== 0x303f) ||
    (cp >= 0xac00 && cp <= 0xd7a3) ||
    (cp >= 0xf900 && cp <= 0xfaff) ||
    (cp >= 0xfe30 && cp <= 0xfe4f) ||
    (cp >= 0xff00 && cp <= 0xff60) ||
    (cp >= 0xffe0 && cp <= 0xffe6) ||
    (cp >= 0x1f300 && cp <= 0x1f64f) ||
    (cp >= 0x1f900 && cp <= 0x1f9ff) ||
    (cp >= 0x20000 && cp <= 0x3fffd)
  );
}

function isZeroWidth(cp: number): boolean {
  return (cp >= 0x0300 && cp <= 0x036f) || cp === 0x200b || (cp >= 0x80 && cp < 0xa0);
}
