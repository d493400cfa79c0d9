import fc from "fast-check";
import { describe, expect, it } from "vitest";
import { AssertionError } from "../../src/sim/assert.js";
import { EventQueue } from "../../src/sim/event-queue.js";

interface E {
  t: number;
  seq: number;
  /** The order in which the test pushed it. */
  readonly label: number;
}

const ev = (t: number, label: number): E => ({ t, seq: -1, label });

/** Model: a list kept sorted by (t, push order); stable sort keeps push order among equal t. */
const byTimeThenPush = (a: E, b: E): number => a.t - b.t || a.label - b.label;

describe("EventQueue", () => {
  it("pops every pushed event in (t, push order) for arbitrary push sequences", () => {
    fc.assert(
      fc.property(fc.array(fc.integer({ min: 0, max: 50 }), { maxLength: 300 }), (times) => {
        const q = new EventQueue<E>();
        const pushed = times.map((t, i) => ev(t, i));
        for (const e of pushed) q.push(e);
        expect(q.size).toBe(pushed.length);
        const out: number[] = [];
        for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e.label);
        expect(out).toEqual([...pushed].sort(byTimeThenPush).map((e) => e.label));
        expect(q.size).toBe(0);
      }),
      { numRuns: 200 },
    );
  });

  it("breaks ties in time by push order, never by object identity or content", () => {
    const q = new EventQueue<E>();
    for (let i = 0; i < 100; i++) q.push(ev(7, 99 - i));
    const out: number[] = [];
    for (let e = q.pop(); e !== undefined; e = q.pop()) out.push(e.label);
    expect(out).toEqual(Array.from({ length: 100 }, (_, i) => 99 - i));
  });

  it("stamps increasing sequence numbers on push", () => {
    const q = new EventQueue<E>();
    const a = ev(5, 0);
    const b = ev(1, 1);
    q.push(a);
    q.push(b);
    expect(b.seq).toBeGreaterThan(a.seq);
  });

  it("agrees with a sorted-list model under interleaved push and pop", () => {
    const action = fc.oneof(
      fc.record({ push: fc.integer({ min: 0, max: 30 }) }),
      fc.constant({ pop: true as const }),
      fc.constant({ peek: true as const }),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 400 }), (actions) => {
        const q = new EventQueue<E>();
        let model: E[] = [];
        let label = 0;
        for (const a of actions) {
          if ("push" in a) {
            const e = ev(a.push, label++);
            q.push(e);
            model.push(e);
            model = model.sort(byTimeThenPush);
          } else if ("pop" in a) {
            const got = q.pop();
            const want = model.shift();
            expect(got?.label).toBe(want?.label);
          } else {
            expect(q.peek()?.label).toBe(model[0]?.label);
          }
          expect(q.size).toBe(model.length);
        }
      }),
      { numRuns: 200 },
    );
  });

  it("pop and peek on an empty queue return undefined; clear empties it", () => {
    const q = new EventQueue<E>();
    expect(q.pop()).toBeUndefined();
    expect(q.peek()).toBeUndefined();
    q.push(ev(1, 0));
    q.push(ev(2, 1));
    q.clear();
    expect(q.size).toBe(0);
    expect(q.pop()).toBeUndefined();
  });

  it("rejects negative, fractional and unsafe times", () => {
    const q = new EventQueue<E>();
    expect(() => q.push(ev(-1, 0))).toThrow(AssertionError);
    expect(() => q.push(ev(1.5, 0))).toThrow(AssertionError);
    expect(() => q.push(ev(Number.NaN, 0))).toThrow(AssertionError);
    expect(() => q.push(ev(2 ** 53, 0))).toThrow(AssertionError);
    expect(q.size).toBe(0);
  });
});
