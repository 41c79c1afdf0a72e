import { T, isNumber, type DataType } from '../../types/data-type.js';
import type { Value } from '../../columns/values.js';
import { DbError } from '../../errors/index.js';
import type { ScalarFunction } from '../function.js';
import { illegalType } from '../core/args.js';
import { rowwise } from '../core/rowwise.js';
import { convertValue } from '../core/cast.js';

const CATEGORY = 'Array';

function defaultOf(t: DataType): Value {
  switch (t.kind) {
    case 'Nullable':
    case 'Nothing':
      return null;
    case 'String':
    case 'FixedString':
      return '';
    case 'Array':
    case 'Map':
      return [];
    case 'Tuple':
      return t.elements.map(defaultOf);
    case 'Int64': case 'UInt64': case 'Int128': case 'UInt128': case 'Int256': case 'UInt256': case 'Decimal':
      return 0n;
    case 'Bool':
      return false;
    case 'LowCardinality':
      return defaultOf(t.inner);
    case 'UUID':
      return '00000000-0000-0000-0000-000000000000';
    default:
      return 0;
  }
}

const emptyArrayToSingle = rowwise({
  name: 'emptyArrayToSingle',
  category: CATEGORY,
  description: 'An empty array becomes a one-element array of the default value of the element type',
  syntax: 'emptyArrayToSingle(arr)',
  minArgs: 1,
  bind(args) {
    const t = args[0]!.type;
    if (t.kind !== 'Array') throw illegalType('emptyArrayToSingle', t, 0);
    const d = defaultOf(t.element);
    return { returnType: t, row: (v) => ((v[0] as Value[]).length ? v[0]! : [d]) };
  },
});

function moveFunction(name: string, mode: 'rotate' | 'shift', left: boolean): ScalarFunction {
  return rowwise({
    name,
    category: CATEGORY,
    description: mode === 'rotate'
      ? `Rotates the array ${left ? 'left' : 'right'} by n elements (negative n rotates the other way)`
      : `Shifts the array ${left ? 'left' : 'right'} by n elements, filling with default (or the given value)`,
    syntax: mode === 'rotate' ? `${name}(arr, n)` : `${name}(arr, n[, default])`,
    minArgs: 2,
    maxArgs: mode === 'rotate' ? 2 : 3,
    bind(args) {
      const t = args[0]!.type;
      if (t.kind !== 'Array') throw illegalType(name, t, 0);
      if (!isNumber(args[1]!.type)) throw illegalType(name, args[1]!.type, 1);
      const fillType = args[2]?.type;
      return {
        returnType: t,
        row(v) {
          const a = v[0] as Value[];
          const len = a.length;
          let n = Number(v[1]);
          if (!left) n = -n;
          if (len === 0) return a;
          if (mode === 'rotate') {
            const k = ((n % len) + len) % len;
            return [...a.slice(k), ...a.slice(0, k)];
          }
          const fill = fillType ? convertValue(v[2]!, fillType, t.element, { timezone: 'UTC' } as never) : defaultOf(t.element);
          const out: Value[] = new Array(len);
          for (let i = 0; i < len; i++) {
            const j = i + n;
            out[i] = j >= 0 && j < len ? a[j]! : fill;
          }
          return out;
        },
      };
    },
  });
}

const arrayAUC = rowwise({
  name: 'arrayAUC',
  category: CATEGORY,
  description: 'Area under the ROC curve for the scores and the 0/1 labels',
  syntax: 'arrayAUC(arr_scores, arr_labels)',
  minArgs: 2,
  bind(args) {
    for (let i = 0; i < 2; i++) {
      const t = args[i]!.type;
      if (t.kind !== 'Array' || !(isNumber(t.element) || t.element.kind === 'Bool' || t.element.kind === 'Enum8' || t.element.kind === 'Enum16')) throw illegalType('arrayAUC', t, i);
    }
    return {
      returnType: T.Float64,
      row(v) {
        const scores = (v[0] as Value[]).map(Number);
        const labels = (v[1] as Value[]).map((x) => (Number(x) > 0 ? 1 : 0));
        if (scores.length !== labels.length) throw new DbError('BAD_ARGUMENTS', 'Arrays passed to arrayAUC must have equal size');
        const idx = scores.map((_, i) => i).sort((a, b) => scores[b]! - scores[a]!);
        // ClickHouse's trapezoidal ROC area over groups of equal scores
        let area = 0;
        let tp = 0;
        let fp = 0;
        let prevTp = 0;
        let prevFp = 0;
        for (let k = 0; k < idx.length; k++) {
          const i = idx[k]!;
          if (labels[i]) tp++;
          else fp++;
          if (k + 1 === idx.length || scores[idx[k + 1]!] !== scores[i]) {
            area += ((fp - prevFp) * (tp + prevTp)) / 2;
            prevTp = tp;
            prevFp = fp;
          }
        }
        return tp === 0 || fp === 0 ? NaN : area / (tp * fp);
      },
    };
  },
});

export const arrayExtraFunctions: ScalarFunction[] = [
  emptyArrayToSingle,
  moveFunction('arrayRotateLeft', 'rotate', true),
  moveFunction('arrayRotateRight', 'rotate', false),
  moveFunction('arrayShiftLeft', 'shift', true),
  moveFunction('arrayShiftRight', 'shift', false),
  arrayAUC,
];
