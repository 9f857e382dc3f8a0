import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { doubleQuantity, formatQuantity, parseQuantity } from '../../src/model/quantity.js';

describe('parseQuantity', () => {
  it.each([
    ['512Mi', 512 * 2 ** 20],
    ['1Gi', 2 ** 30],
    ['1.5Gi', 1.5 * 2 ** 30],
    ['1G', 1e9],
    ['500M', 5e8],
    ['128k', 128_000],
    ['268435456', 268_435_456],
    ['1e9', 1e9],
    ['1E3', 1000],
  ])('%s', (text, bytes) => {
    expect(parseQuantity(text)).toBe(bytes);
  });

  it.each(['', 'lots', '512 Mi', '1GB', 'Mi'])('rejects %j', (text) => {
    expect(parseQuantity(text)).toBeUndefined();
  });
});

describe('doubleQuantity', () => {
  it.each([
    ['512Mi', '1Gi'],
    ['256Mi', '512Mi'],
    ['1.5Gi', '3Gi'],
    ['1G', '2G'],
    ['750M', '1500M'],
    ['268435456', '512Mi'],
    ['1000', '2k'],
    ['100Mi', '200Mi'],
  ])('%s → %s', (text, doubled) => {
    expect(doubleQuantity(text)).toBe(doubled);
  });

  it('gives nothing for what is not a quantity', () => {
    expect(doubleQuantity('unlimited')).toBeUndefined();
  });

  it('always parses back to exactly twice the bytes', () => {
    const units = ['', 'Ki', 'Mi', 'Gi', 'k', 'M', 'G'];
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 4096 }), fc.constantFrom(...units), (n, unit) => {
        const text = `${n}${unit}`;
        expect(parseQuantity(doubleQuantity(text)!)).toBe(2 * parseQuantity(text)!);
      }),
    );
  });
});

describe('formatQuantity', () => {
  it('stays exact when no unit divides the value', () => {
    expect(formatQuantity(1_000_001, 'Mi')).toBe('1000001');
  });
});
