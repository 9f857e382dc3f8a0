import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { describe, expect, it } from 'vitest';
import { ListItemSplitter, ListSyntaxError } from '../../src/kube/list-items.js';

// A list's items split out of its bytes as they arrive (src/kube/list-items.ts): what comes out must be what
// JSON.parse makes of the whole body, wherever the network cut it, and what is left must parse as the body without
// its items.

const pod = yaml.load(readFileSync(new URL('../fixtures/kube/pod-full.yaml', import.meta.url), 'utf8'));

/** The items and the rest of `bytes` fed in the pieces `cuts` (offsets) make. */
function split(bytes: Buffer, cuts: readonly number[] = []): { items: unknown[]; rest: string } {
  const splitter = new ListItemSplitter();
  const items: unknown[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    for (const text of splitter.push(bytes.subarray(from, cut))) items.push(JSON.parse(text));
    from = cut;
  }
  return { items, rest: splitter.end() };
}

const TOKEN = 'eyJydiI6MTQzOSwic3RhcnQiOiJ0ZWFtLTAxL3NlcnZpY2UtMDA1OS13bjJ3eG03dnRuLXc2azVsIn0';

describe('ListItemSplitter', () => {
  it.each([
    [
      'a PodList as the API server writes it',
      JSON.stringify({
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1439', continue: TOKEN, remainingItemCount: 500 },
        items: [pod, pod],
      }),
      [pod, pod],
      {
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { resourceVersion: '1439', continue: TOKEN, remainingItemCount: 500 },
        items: [],
      },
    ],
    [
      'items before the metadata',
      '{"kind":"List","items":[{"a":1},{"b":[2]}],"metadata":{"continue":"2"}}',
      [{ a: 1 }, { b: [2] }],
      { kind: 'List', items: [], metadata: { continue: '2' } },
    ],
    [
      'pretty-printed',
      JSON.stringify({ kind: 'List', metadata: {}, items: [{ a: '] , }' }, 3, 'x'] }, null, 2),
      [{ a: '] , }' }, 3, 'x'],
      { kind: 'List', metadata: {}, items: [] },
    ],
    [
      'no items',
      '{"kind":"EventList","metadata":{"resourceVersion":"7"},"items":[]}',
      [],
      { kind: 'EventList', metadata: { resourceVersion: '7' }, items: [] },
    ],
    ['items null', '{"kind":"List","items":null}', [], { kind: 'List', items: null }],
    [
      'an items key inside an item, and "items" as a value',
      '{"kind":"items","items":[{"items":[1,2]},{"k":"items"}]}',
      [{ items: [1, 2] }, { k: 'items' }],
      { kind: 'items', items: [] },
    ],
    [
      'the key written with an escape, as JSON.parse reads it',
      '{"\\u0069tems":[{"name":"caf\\u00e9 \\"quoted\\" \\\\"}]}',
      [{ name: 'café "quoted" \\' }],
      { items: [] },
    ],
    [
      'a Status, not a list',
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","reason":"Expired","code":410}',
      [],
      { kind: 'Status', apiVersion: 'v1', metadata: {}, status: 'Failure', reason: 'Expired', code: 410 },
    ],
    ['an array at the top', '[{"items":[1]}]', [], [{ items: [1] }]],
  ])('%s', (_, text, items, rest) => {
    const bytes = Buffer.from(text);
    for (const cuts of [[], Array.from({ length: bytes.length }, (_, i) => i)]) {
      const result = split(bytes, cuts);
      expect(result.items).toEqual(items);
      expect(JSON.parse(result.rest)).toEqual(rest);
    }
  });

  it('keeps a body that is not JSON as it came, to fail where it is parsed', () => {
    const { items, rest } = split(Buffer.from('<html>502 Bad Gateway</html>'), [3, 9]);
    expect(items).toEqual([]);
    expect(rest).toBe('<html>502 Bad Gateway</html>');
  });

  it('leaves a body cut short inside its items unparseable', () => {
    const { items, rest } = split(Buffer.from('{"kind":"List","items":[{"a":1},{"b":'));
    expect(items).toEqual([{ a: 1 }]);
    expect(() => JSON.parse(rest)).toThrow();
  });

  it.each([
    ['an empty element', '{"items":[{},,{}]}'],
    ['a leading comma', '{"items":[,{}]}'],
    ['a trailing comma', '{"items":[{},]}'],
    ['two items arrays', '{"items":[{}],"items":[{}]}'],
  ])('refuses %s', (_, text) => {
    expect(() => split(Buffer.from(text))).toThrow(ListSyntaxError);
  });

  // Strings of any code points, astral ones among them (four UTF-8 bytes), so that cuts fall inside characters.
  const value = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
  const list = fc.record(
    {
      kind: fc.string({ unit: 'binary' }),
      apiVersion: fc.string(),
      metadata: fc.dictionary(fc.string({ unit: 'binary' }), value, { maxKeys: 3 }),
      items: fc.array(value, { maxLength: 6 }),
      extra: value,
    },
    { requiredKeys: ['items'] },
  );
  const cutsIn = (bytes: Buffer) => fc.array(fc.nat({ max: bytes.length }), { maxLength: 12 });

  it('yields what JSON.parse makes of the whole, wherever the chunks end', () => {
    fc.assert(
      fc.property(list, fc.boolean(), fc.infiniteStream(fc.nat()), (body, pretty, offsets) => {
        const bytes = Buffer.from(pretty ? JSON.stringify(body, null, 1) : JSON.stringify(body));
        const cuts = [...offsets.take(12)].map((offset) => offset % (bytes.length + 1));
        const whole = JSON.parse(bytes.toString('utf8')) as Record<string, unknown>;
        const { items, rest } = split(bytes, cuts);
        expect(items).toEqual(whole.items);
        expect(JSON.parse(rest)).toEqual({ ...whole, items: [] });
      }),
    );
  });

  it('leaves any JSON that is no list as it is', () => {
    fc.assert(
      fc.property(value, (json) => {
        const bytes = Buffer.from(JSON.stringify(json));
        fc.assert(
          fc.property(cutsIn(bytes), (cuts) => {
            const { items, rest } = split(bytes, cuts);
            const whole = json as { items?: unknown };
            const hasItems =
              typeof json === 'object' && json !== null && !Array.isArray(json) && Array.isArray(whole.items);
            expect(items).toEqual(hasItems ? whole.items : []);
            expect(JSON.parse(rest)).toEqual(hasItems ? { ...(json as object), items: [] } : json);
          }),
          { numRuns: 5 },
        );
      }),
      { numRuns: 200 },
    );
  });

  it('throws nothing but ListSyntaxError on any bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 200 }), fc.array(fc.nat({ max: 200 })), (raw, cuts) => {
        const bytes = Buffer.from(raw);
        try {
          split(
            bytes,
            cuts.map((cut) => Math.min(cut, bytes.length)),
          );
        } catch (error) {
          // JSON.parse of an item the splitter handed out may fail on bytes that are not JSON: that is the
          // caller's to report, as for the rest.
          if (!(error instanceof ListSyntaxError) && !(error instanceof SyntaxError)) throw error;
        }
      }),
    );
  });
});
