import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { BoundedMap } from '../../src/model/bounded-map.js';

describe('BoundedMap', () => {
  it('keeps the first value of a key and hands it back for an equal one', () => {
    const strings = new BoundedMap<string, string>(10);
    const first = ['api', 'server'].join('-');
    const second = ['api', 'server'].join('-');
    expect(strings.intern(first, first)).toBe(first);
    expect(strings.intern(second, second)).toBe(first);
    expect(strings.size).toBe(1);
  });

  it('empties itself when a new key arrives full, and keeps that key', () => {
    const map = new BoundedMap<string, number>(3);
    map.set('a', 1).set('b', 2).set('c', 3);
    expect(map.size).toBe(3);
    map.set('d', 4);
    expect(map.size).toBe(1);
    expect(map.get('a')).toBeUndefined();
    expect(map.get('d')).toBe(4);
  });

  it('replaces the value of a key it holds without emptying itself, also when full', () => {
    const map = new BoundedMap<string, number>(2);
    map.set('a', 1).set('b', 2).set('b', 20);
    expect(map.size).toBe(2);
    expect(map.get('a')).toBe(1);
    expect(map.get('b')).toBe(20);
    expect(map.intern('a', 100)).toBe(1);
    expect(map.size).toBe(2);
  });

  it('never holds more than max, and always holds the last key set (any sequence of keys)', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 8 }), fc.array(fc.integer({ min: 0, max: 20 })), (max, keys) => {
        const map = new BoundedMap<number, number>(max);
        for (const key of keys) {
          expect(map.intern(key, key * 2)).toBe(key * 2);
          expect(map.size).toBeLessThanOrEqual(max);
          expect(map.get(key)).toBe(key * 2);
        }
      }),
    );
  });
});
