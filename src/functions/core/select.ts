import { type Column, ConstColumn, NumericColumn, type NumericArray } from '../../columns/column.js';
import { concatColumns, materialize, takeColumn } from '../../columns/ops.js';

/**
 * Row i of the result comes from branches[branch[i]] row i (if, multiIf, coalesce). Branches are
 * columns of one type; constants are fine. Numeric branches use a typed-array loop; others gather by index.
 */
export function selectBranches(branch: Uint8Array | Uint16Array | Uint32Array, branches: readonly Column[], rows: number): Column {
  if (branches.length === 1) return branches[0]!.kind === 'const' ? new ConstColumn((branches[0] as ConstColumn).inner, rows) : branches[0]!;
  const inners = branches.map((b) => (b.kind === 'const' ? b.inner : b));
  if (inners.every((c) => c.kind === 'numeric') && sameCtor(inners as NumericColumn[])) {
    const arrays = inners.map((c) => (c as NumericColumn).data);
    const consts = branches.map((b) => b.kind === 'const');
    const out = new (arrays[0]!.constructor as { new (n: number): NumericArray })(rows) as Float64Array;
    if (branches.length === 2) {
      const [a, b] = arrays as [Float64Array, Float64Array];
      const [ac, bc] = consts as [boolean, boolean];
      const av = a[0]!;
      const bv = b[0]!;
      for (let i = 0; i < rows; i++) out[i] = branch[i] === 0 ? (ac ? av : a[i]!) : bc ? bv : b[i]!;
    } else {
      for (let i = 0; i < rows; i++) {
        const k = branch[i]!;
        (out as unknown as NumericArray)[i] = arrays[k]![consts[k] ? 0 : i]!;
      }
    }
    return new NumericColumn(out);
  }
  const full = branches.map((b) => (b.kind === 'const' ? materialize(new ConstColumn(b.inner, rows)) : b));
  const all = concatColumns(full);
  const idx = new Uint32Array(rows);
  for (let i = 0; i < rows; i++) idx[i] = branch[i]! * rows + i;
  return takeColumn(all, idx);
}

function sameCtor(cols: NumericColumn[]): boolean {
  const c = cols[0]!.data.constructor;
  return cols.every((x) => x.data.constructor === c);
}

export { materialize };
