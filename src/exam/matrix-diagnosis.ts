/**
 * A diagnosis of a whole vector or matrix answer, entry by entry graded but
 * read together: when every entry the student gave fits one pattern, that
 * pattern is the mistake (contract 6.3's names):
 *   sign            every entry negated;
 *   factor          every entry the same multiple c of the key (c != 1);
 *   transposed      entry [i,j] holds the key's [j,i] (a square matrix, or the
 *                   entries that exist in both layouts), or the student's
 *                   transposed matrix read row by row into the boxes;
 *   missing-factor  each row (or column) off by a factor of its own: named
 *                   when it is the derivative of one of the network's
 *                   activations (the student's entries times relu'(z1) =
 *                   step(z1), row by row, give the key), else described.
 * A pattern needs at least two given entries and at least one wrong one;
 * nothing is claimed from a single entry, where the per-entry diagnosis
 * speaks. Pure: numbers in, a finding out.
 */
import { close } from '../check/compare.js';
import { fmt } from '../check/diagnose.js';

export type MatrixVerdict = 'sign' | 'factor' | 'transposed' | 'missing-factor';
export interface MatrixFinding { readonly verdict: MatrixVerdict; readonly detail: string }

/** A vector of the network (a unit's activation derivative) that may be missing from every entry. */
export interface FactorCandidate {
  /** how a note names it, e.g. `relu'(z1) = step(z1)` */
  readonly label: string;
  readonly values: ArrayLike<number>;
}

/**
 * `got[i]` is the student's i-th entry (row-major; null where none was
 * given or it is not a number), `key[i]` the right one, `rel` the relative
 * tolerance each entry is graded with.
 */
export function diagnoseMatrix(shape: readonly number[], got: ReadonlyArray<number | null>, key: ArrayLike<number>, rel: number, candidates: readonly FactorCandidate[] = []): MatrixFinding | null {
  const n = key.length;
  const given = [...Array(n).keys()].filter((i) => got[i] !== null);
  if (n < 2 || given.length < 2) return null;
  const agrees = (i: number, want: number) => close(got[i]!, want, rel);
  if (given.every((i) => agrees(i, key[i]!))) return null;
  const every = (want: (i: number) => number | null) => given.every((i) => { const w = want(i); return w !== null && agrees(i, w); });

  if (every((i) => -key[i]!)) return { verdict: 'sign', detail: 'every entry is the negative of the right one' };

  const c = commonFactor(given, got, key, rel);
  if (c !== null) return { verdict: 'factor', detail: `every entry is ${simpleRatio(c, rel) ?? fmt(c)} times the right one` };

  if (shape.length === 2) {
    const [r, k] = shape as [number, number];
    // by index: [i,j] holds the key's [j,i] (for a non-square matrix, only the boxes that exist both ways can be filled so)
    const swapped = (i: number): number | null => {
      const row = Math.floor(i / k), col = i % k;
      return col < r && row < k ? key[col * k + row]! : null;
    };
    if (every(swapped)) return { verdict: 'transposed', detail: `entry [i,j] holds the right [j,i]: the answer is the transpose of the ${r}x${k} matrix` };
    if (r !== k) {
      // row by row: the student's k x r matrix read into the r x k boxes in reading order
      const reading = (i: number): number => key[(i % r) * k + Math.floor(i / r)]!;
      if (every(reading)) return { verdict: 'transposed', detail: `the entries, read row by row, are those of the transpose (${k}x${r}) of the ${r}x${k} matrix` };
    }
  }

  const rows = shape.length === 0 ? 1 : shape[0]!;
  const cols = n / rows;
  for (const cand of candidates) {
    for (const axis of axesFor(shape, cand.values.length)) {
      const f = (i: number) => cand.values[axis === 'row' ? Math.floor(i / cols) : i % cols]!;
      // the student's entry times the factor is the right entry, and the factor is not 1 where they differ
      if (given.every((i) => close(got[i]! * f(i), key[i]!, rel))) {
        return { verdict: 'missing-factor', detail: `each ${axis === 'row' ? (shape.length === 1 ? 'entry' : 'row') : 'column'} lacks its factor ${cand.label}: the answer times it gives the right entries` };
      }
    }
  }
  const own = ownFactors(shape, given, got, key, rel);
  if (own) return { verdict: 'missing-factor', detail: `each ${own.axis} is off by a factor of its own (${own.factors.map(fmt).join(', ')}), as when a factor of the adjoint, such as an activation's derivative, is left out` };
  return null;
}

/** Axes along which a vector of length m scales a tensor of this shape: rows (or a vector's entries) and columns. */
function axesFor(shape: readonly number[], m: number): Array<'row' | 'col'> {
  if (shape.length === 1) return shape[0] === m ? ['row'] : [];
  if (shape.length !== 2) return [];
  const out: Array<'row' | 'col'> = [];
  if (shape[0] === m) out.push('row');
  if (shape[1] === m) out.push('col');
  return out;
}

/** p/q with q <= 4 and |p| <= 12 within `rel` of x, as text (a student's slip: 2, 1/2, 3/2, -4); else null. */
function simpleRatio(x: number, rel: number): string | null {
  for (let q = 1; q <= 4; q++) {
    const p = Math.round(x * q);
    if (p !== 0 && Math.abs(p) <= 12 && Math.abs(p / q - x) <= 2 * rel * Math.abs(x)) return q === 1 ? `${p}` : `${p}/${q}`;
  }
  return null;
}

/** One factor c with got = c key at every given entry (not 1, not 0), else null. */
function commonFactor(given: readonly number[], got: ReadonlyArray<number | null>, key: ArrayLike<number>, rel: number): number | null {
  // the largest entry: a rounded answer's ratio is most precise there
  let base: number | undefined;
  for (const i of given) if (key[i] !== 0 && got[i] !== 0 && (base === undefined || Math.abs(key[i]!) > Math.abs(key[base]!))) base = i;
  if (base === undefined) return null;
  const c = got[base]! / key[base]!;
  if (close(c, 1, rel) || close(c, -1, rel)) return null;
  return given.every((i) => close(got[i]!, c * key[i]!, rel)) ? c : null;
}

/**
 * Per-row (or per-column) factors when every row (column) has one ratio
 * key/got over two or more entries, and the ratios are not all one number.
 */
function ownFactors(shape: readonly number[], given: readonly number[], got: ReadonlyArray<number | null>, key: ArrayLike<number>, rel: number): { axis: 'row' | 'column'; factors: number[] } | null {
  if (shape.length !== 2) return null;
  const [r, k] = shape as [number, number];
  const n = r * k;
  if (given.length !== n || given.some((i) => got[i] === 0 || key[i] === 0)) return null;
  for (const axis of ['row', 'column'] as const) {
    const groups = axis === 'row' ? r : k, size = axis === 'row' ? k : r;
    if (size < 2 || groups < 2) continue;
    const at = (g: number, j: number) => (axis === 'row' ? g * k + j : j * k + g);
    const factors: number[] = [];
    let ok = true;
    for (let g = 0; g < groups && ok; g++) {
      const f = key[at(g, 0)]! / got[at(g, 0)]!;
      for (let j = 1; j < size && ok; j++) ok = close(key[at(g, j)]! / got[at(g, j)]!, f, rel);
      factors.push(f);
    }
    if (ok && !factors.every((f) => close(f, factors[0]!, rel))) return { axis, factors };
  }
  return null;
}
