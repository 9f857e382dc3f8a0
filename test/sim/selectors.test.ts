import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { fieldMatcher, labelMatcher } from '../../src/sim/http/selectors.js';
import { HttpError } from '../../src/sim/http/status.js';

// Label selectors: the textual forms of k8s.io/apimachinery pkg/labels, checked against a direct evaluation.

type Req =
  | { op: '=' | '==' | '!='; key: string; value: string }
  | { op: 'in' | 'notin'; key: string; values: string[] }
  | { op: 'exists' | '!'; key: string };

const key = fc.constantFrom('app', 'tier', 'env', 'team');
const value = fc.constantFrom('web', 'db', 'prod', 'dev', 'x');
const req: fc.Arbitrary<Req> = fc.oneof(
  fc.record({ op: fc.constantFrom('=', '==', '!=' as const), key, value }),
  fc.record({
    op: fc.constantFrom('in', 'notin' as const),
    key,
    values: fc.uniqueArray(value, { minLength: 1, maxLength: 3 }),
  }),
  fc.record({ op: fc.constantFrom('exists', '!' as const), key }),
);
const labels = fc.dictionary(key, value);

function text(r: Req): string {
  switch (r.op) {
    case 'in':
    case 'notin':
      return `${r.key} ${r.op} (${r.values.join(',')})`;
    case 'exists':
      return r.key;
    case '!':
      return `!${r.key}`;
    default:
      return `${r.key}${r.op}${r.value}`;
  }
}

function holds(r: Req, l: Record<string, string>): boolean {
  const v = l[r.key];
  switch (r.op) {
    case '=':
    case '==':
      return v === r.value;
    case '!=':
      return v !== r.value;
    case 'in':
      return v !== undefined && r.values.includes(v);
    case 'notin':
      return v === undefined || !r.values.includes(v);
    case 'exists':
      return v !== undefined;
    case '!':
      return v === undefined;
  }
}

describe('labelMatcher', () => {
  it('matches exactly when every requirement holds', () => {
    fc.assert(
      fc.property(fc.array(req, { minLength: 1, maxLength: 4 }), labels, (reqs, l) => {
        expect(labelMatcher(reqs.map(text).join(','))(l)).toBe(reqs.every((r) => holds(r, l)));
      }),
    );
  });

  it('refuses any text it cannot parse with a 400, never another error', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: fc.constantFrom('a', '1', '-', '/', '.', ' ', '=', '!', '(', ')', ',', '<', '>') }),
        (text) => {
          try {
            labelMatcher(text);
          } catch (error) {
            expect(error).toBeInstanceOf(HttpError);
            expect((error as HttpError).code).toBe(400);
          }
        },
      ),
    );
  });

  it.each([
    ['count>5', { count: '7' }, true],
    ['count>5', { count: '5' }, false],
    ['count<5', { count: '-2' }, true],
    ['count<5', { count: 'x' }, false],
    ['count<5', {}, false],
    ['app in ()', { app: '' }, true],
    ['tier notin (,web)', { tier: 'db' }, true],
  ])('%s on %j: %s', (selector, labels, expected) => {
    expect(labelMatcher(selector)(labels)).toBe(expected);
  });

  it('matches everything when empty and rejects malformed selectors with the apiserver message', () => {
    expect(labelMatcher('')({})).toBe(true);
    expect(() => labelMatcher('app in (a')).toThrow(/unable to parse requirement/);
  });
});

describe('fieldMatcher', () => {
  it.each([
    ['metadata.name=web-1', { 'metadata.name': 'web-1' }, true],
    ['metadata.name==web-1', { 'metadata.name': 'web-2' }, false],
    ['spec.nodeName!=n1,metadata.name=web-1', { 'metadata.name': 'web-1', 'spec.nodeName': 'n2' }, true],
  ])('%s', (selector, fields, expected) => {
    expect(fieldMatcher(selector, ['metadata.name', 'spec.nodeName'])(fields)).toBe(expected);
  });

  it('refuses fields the resource does not support', () => {
    expect(() => fieldMatcher('status.hostIP=1.2.3.4', ['metadata.name'])).toThrow(
      'field label not supported: status.hostIP',
    );
  });
});
