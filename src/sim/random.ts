import seedrandom from "seedrandom";
import { assert } from "./assert.js";

/** A probability as a ratio of integers (TigerBeetle's `Ratio`): no floating point reaches a draw. */
export interface Ratio {
  readonly num: number;
  readonly den: number;
}

export const ratio = (num: number, den: number): Ratio => {
  assert(Number.isSafeInteger(num) && Number.isSafeInteger(den) && den > 0 && num >= 0 && num <= den, `bad ratio ${num}/${den}`);
  return { num, den };
};
export const NEVER: Ratio = { num: 0, den: 1 };
export const ALWAYS: Ratio = { num: 1, den: 1 };

const TWO_32 = 0x1_0000_0000;
const TWO_53 = 2 ** 53;

/**
 * A named, seeded stream of integers. Streams are derived from (seed, name), so drawing from one
 * (say a new client's `node/c4`) never shifts another (`net`). Only integers come out.
 *
 * seedrandom (alea) turns (seed, name) into the generator's 128-bit state; the draws themselves come
 * from sfc32 (Chris Doty-Humphrey's small fast counting generator), which uses integer arithmetic
 * only: no floating point sits between the seed and a draw, and a draw costs a few instructions.
 */
export class Stream {
  readonly name: string;
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  constructor(seed: number | string, name: string) {
    this.name = name;
    const init = seedrandom.alea(`zksim:${seed}:${name}`);
    this.a = init.int32();
    this.b = init.int32();
    this.c = init.int32();
    this.d = 1;
    // Warm-up rounds, as sfc32's author recommends, so nearby seeds diverge at once.
    for (let i = 0; i < 12; i++) this.u32();
  }

  /** A uniform 32-bit unsigned integer. */
  u32(): number {
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, n), unbiased (rejection sampling), for 1 <= n <= 2^32. */
  below(n: number): number {
    assert(Number.isSafeInteger(n) && n >= 1 && n <= TWO_32, `below(${n})`);
    if (n === 1) return 0;
    const limit = TWO_32 - (TWO_32 % n);
    for (;;) {
      const x = this.u32();
      if (x < limit) return x % n;
    }
  }

  /** Uniform integer in [lo, hi], both inclusive (integers, hi - lo < 2^53). */
  between(lo: number, hi: number): number {
    assert(Number.isSafeInteger(lo) && Number.isSafeInteger(hi) && hi >= lo, `between(${lo}, ${hi})`);
    const span = hi - lo + 1;
    if (span <= TWO_32) return lo + this.below(span);
    // Wider than 32 bits: a 53-bit draw from two 32-bit ones, with rejection (no float, no clamping).
    assert(Number.isSafeInteger(span), `between(${lo}, ${hi}) spans more than 2^53`);
    const limit = TWO_53 - (TWO_53 % span);
    for (;;) {
      const x = (this.u32() >>> 11) * TWO_32 + this.u32();
      if (x < limit) return lo + (x % span);
    }
  }

  chance(p: Ratio): boolean {
    if (p.num === 0) return false;
    if (p.num >= p.den) return true;
    return this.below(p.den) < p.num;
  }

  pick<T>(items: readonly T[]): T {
    assert(items.length > 0, "pick from an empty list");
    return items[this.below(items.length)] as T;
  }

  /** A new array with the items in a seeded order (Fisher-Yates). */
  shuffled<T>(items: readonly T[]): T[] {
    const out = items.slice();
    for (let i = out.length - 1; i > 0; i--) {
      const j = this.below(i + 1);
      const tmp = out[i] as T;
      out[i] = out[j] as T;
      out[j] = tmp;
    }
    return out;
  }
}
