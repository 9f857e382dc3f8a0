import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { LayeredMap } from '../../src/model/layered-map.js';

// The cluster source hands every snapshot a version of its live pod map: each version must hold what the live
// map held when it was taken, forever, and two versions must name every key that differs between them.

const op = fc.oneof(
  fc.record({ set: fc.integer({ min: 0, max: 400 }), value: fc.integer() }),
  fc.record({ del: fc.integer({ min: 0, max: 400 }) }),
  fc.record({ version: fc.constant(true), wholesale: fc.boolean() }),
);

describe('LayeredMap', () => {
  it('keeps each version as the live map was, and names what changed between any two', () => {
    fc.assert(
      fc.property(
        fc.array(fc.integer({ min: 0, max: 400 }), { maxLength: 300 }),
        fc.array(op, { maxLength: 600 }),
        (initial, ops) => {
          const live = new Map(initial.map((k) => [k, k]));
          let version = LayeredMap.of(live);
          const versions: [LayeredMap<number, number>, Map<number, number>][] = [[version, new Map(live)]];
          let changed: number[] | undefined = [];
          for (const o of ops) {
            if ('set' in o) {
              live.set(o.set, o.value);
              changed?.push(o.set);
            } else if ('del' in o) {
              live.delete(o.del);
              changed?.push(o.del);
            } else {
              version = version.next(live, o.wholesale ? undefined : changed);
              versions.push([version, new Map(live)]);
              changed = [];
            }
          }
          for (const [kept, was] of versions) {
            expect(kept.size).toBe(was.size);
            expect(new Map(kept)).toEqual(was);
            for (const key of [0, 1, 200, 400]) {
              expect(kept.get(key)).toBe(was.get(key));
              expect(kept.has(key)).toBe(was.has(key));
            }
          }
          for (const [i, [before, was]] of versions.entries()) {
            const [after, is] = versions[Math.min(versions.length - 1, i + 1 + (i % 3))]!;
            const named = LayeredMap.changedKeys(before, after);
            if (named === undefined) continue;
            for (const key of new Set([...was.keys(), ...is.keys()]))
              if (was.get(key) !== is.get(key)) expect(named.has(key)).toBe(true);
          }
        },
      ),
      { numRuns: 200 },
    );
  });

  it('copies only the changes while they are few, and the whole map once they are many', () => {
    const live = new Map(Array.from({ length: 10_000 }, (_, i) => [i, i]));
    const first = LayeredMap.of(live);
    live.set(5, -5);
    const second = first.next(live, [5]);
    expect([...(LayeredMap.changedKeys(first, second) ?? [])]).toEqual([5]);
    for (let i = 0; i < 400; i++) live.set(i, -i);
    const third = second.next(
      live,
      Array.from({ length: 400 }, (_, i) => i),
    );
    // Copied whole, yet it still knows what changed since the version it was made from.
    expect(LayeredMap.changedKeys(second, third)?.size).toBe(400);
    expect(LayeredMap.changedKeys(first, third)).toBeUndefined();
    expect(third.get(399)).toBe(-399);
    expect(first.get(5)).toBe(5);
    expect(LayeredMap.changedKeys(third, third.next(live, undefined))).toBeUndefined();
  });
});
