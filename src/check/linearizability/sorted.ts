/** Small ascending arrays of item indices, the sets the searches key their memos on. */

export function insertSorted(xs: readonly number[], x: number): number[] {
  let i = xs.length;
  while (i > 0 && (xs[i - 1] as number) > x) i--;
  return [...xs.slice(0, i), x, ...xs.slice(i)];
}

/** Both ascending. */
export function isSubset(small: readonly number[], big: readonly number[]): boolean {
  if (small.length > big.length) return false;
  let j = 0;
  for (const x of small) {
    while (j < big.length && (big[j] as number) < x) j++;
    if (j === big.length || big[j] !== x) return false;
    j++;
  }
  return true;
}
