import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import yaml from 'js-yaml';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { ListItemSplitter } from '../../src/kube/list-items.js';

// A list's items split out of its bytes as they arrive (src/kube/list-items.ts): what comes out must be what
// JSON.parse makes of the whole body, wherever the network cut it, and what is left must parse as the body without
// its items.

const pod = yaml.load(readFileSync(new URL('../fixtures/kube/pod-full.yaml', import.meta.url), 'utf8'));

/**
 * The items and the rest of `bytes` fed in the pieces `cuts` (offsets) make; `early`, the items handed out before
 * the end.
 */
function split(
  bytes: Buffer,
  cuts: readonly number[] = [],
): { items: unknown[]; early: number; rest: unknown } {
  const splitter = new ListItemSplitter();
  const items: unknown[] = [];
  let from = 0;
  for (const cut of [...new Set(cuts)].sort((a, b) => a - b).concat(bytes.length)) {
    items.push(...splitter.push(bytes.subarray(from, cut)));
    from = cut;
  }
  const early = items.length;
  const end = splitter.end();
  return { items: [...items, ...end.items], early, rest: end.rest };
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
      expect(result.rest).toEqual(rest);
    }
  });

  it('hands out the items of a page as they arrive, not at its end', () => {
    // A list's items carry no kind or apiVersion of their own: each begins with its metadata.
    const { kind: _kind, apiVersion: _apiVersion, ...listed } = pod as Record<string, unknown>;
    const page = Buffer.from(
      JSON.stringify({
        kind: 'PodList',
        apiVersion: 'v1',
        metadata: { continue: TOKEN },
        items: [listed, listed, listed],
      }),
    );
    const one = JSON.stringify(listed);
    const third = page.indexOf(one, page.indexOf(one, page.indexOf(one) + 1) + 1);
    const splitter = new ListItemSplitter();
    // Cut inside the third pod: the first two are whole.
    expect(splitter.push(page.subarray(0, third + 100))).toEqual([listed, listed]);
    expect(splitter.push(page.subarray(third + 100))).toEqual([]);
    expect(splitter.end()).toEqual({
      items: [listed],
      rest: { kind: 'PodList', apiVersion: 'v1', metadata: { continue: TOKEN }, items: [] },
    });
  });

  it('takes an item that holds what looks like the start of the next one as one item', () => {
    const tricky = { metadata: { name: 'a' }, spec: { list: [{ x: 1 }, { metadata: { name: 'inner' } }] } };
    const page = Buffer.from(JSON.stringify({ kind: 'List', items: [tricky, tricky, { metadata: {} }] }));
    for (let cut = 0; cut <= page.length; cut++) {
      expect(split(page, [cut]).items).toEqual([tricky, tricky, { metadata: {} }]);
    }
  });

  it('fails at the end on a body that is not JSON', () => {
    const splitter = new ListItemSplitter();
    expect(splitter.push(Buffer.from('<html>502 Bad '))).toEqual([]);
    expect(splitter.push(Buffer.from('Gateway</html>'))).toEqual([]);
    expect(() => splitter.end()).toThrow(SyntaxError);
  });

  it.each([
    ['cut short inside its items', '{"kind":"List","items":[{"a":1},{"a":2},{"a":', [{ a: 1 }, { a: 2 }]],
    ['an empty element', '{"items":[{"a":1},,{"a":2}]}', []],
    ['a trailing comma', '{"items":[{"a":1},{"a":2},]}', [{ a: 1 }]],
  ])('fails at the end on a list %s, after the items before the fault', (_, text, early) => {
    const splitter = new ListItemSplitter();
    expect(splitter.push(Buffer.from(text))).toEqual(early);
    expect(() => splitter.end()).toThrow(SyntaxError);
  });

  describe('on a corrupt body, work in proportion to its length', () => {
    // Counted, not timed: the bytes given to JSON.parse and the bytes copied by Buffer.concat, both called through.
    const work = () => {
      const parse = vi.spyOn(JSON, 'parse');
      const concat = vi.spyOn(Buffer, 'concat');
      return {
        parsed: () => parse.mock.calls.reduce((sum, [text]) => sum + text.length, 0),
        copied: () => concat.mock.results.reduce((sum, r) => sum + (r.value as Buffer).length, 0),
      };
    };
    afterEach(() => {
      vi.restoreAllMocks();
    });

    /** `bytes` through a splitter in chunks of `size`: the items handed out before the end, and the error at it. */
    const feed = (bytes: Buffer, size: number) => {
      const splitter = new ListItemSplitter();
      const early: unknown[] = [];
      for (let from = 0; from < bytes.length; from += size) {
        early.push(...splitter.push(bytes.subarray(from, from + size)));
      }
      let error: unknown;
      try {
        splitter.end();
      } catch (thrown) {
        error = thrown;
      }
      return { early, error };
    };

    const { kind: _kind, apiVersion: _apiVersion, ...listed } = pod as Record<string, unknown>;
    const one = JSON.stringify(listed);

    it('a list with an item cut short (bytes lost on the way) and 3 MB of items after it', () => {
      const after = Array.from({ length: Math.ceil(3e6 / one.length) }, () => one).join(',');
      const text = `{"kind":"PodList","apiVersion":"v1","metadata":{},"items":[${one},${one.slice(0, 900)},${after}]}`;
      const bytes = Buffer.from(text);
      const counted = work();
      const { error } = feed(bytes, 16 * 1024);
      expect(error).toBeInstanceOf(SyntaxError);
      expect(counted.parsed()).toBeLessThan(3 * bytes.length);
      expect(counted.copied()).toBeLessThan(3 * bytes.length);
    });

    it('a first item whose first key never ends (3 MB of it)', () => {
      const bytes = Buffer.from(`{"kind":"PodList","items":[{"${'k'.repeat(3e6)}`);
      const counted = work();
      const { early, error } = feed(bytes, 16 * 1024);
      expect(error).toBeInstanceOf(SyntaxError);
      expect(early).toEqual([]);
      expect(counted.parsed()).toBeLessThan(3 * bytes.length);
      expect(counted.copied()).toBeLessThan(3 * bytes.length);
    });
  });

  // Strings of any code points, astral ones among them (four UTF-8 bytes), so that cuts fall inside characters.
  const value = fc.jsonValue({ maxDepth: 3, stringUnit: 'binary' });
  const item = fc.oneof(
    fc.record({ metadata: fc.dictionary(fc.string({ unit: 'binary' }), value, { maxKeys: 3 }), spec: value }),
    value,
  );
  const list = fc.record(
    {
      kind: fc.string({ unit: 'binary' }),
      apiVersion: fc.string(),
      metadata: fc.dictionary(fc.string({ unit: 'binary' }), value, { maxKeys: 3 }),
      items: fc.array(item, { maxLength: 8 }),
      extra: value,
    },
    { requiredKeys: ['items'] },
  );

  it('yields what JSON.parse makes of the whole, wherever the chunks end', () => {
    fc.assert(
      fc.property(list, fc.boolean(), fc.array(fc.nat(), { maxLength: 12 }), (body, pretty, offsets) => {
        const text = pretty ? JSON.stringify(body, null, 1) : JSON.stringify(body);
        const bytes = Buffer.from(text);
        const whole = JSON.parse(text) as Record<string, unknown>;
        const { items, rest } = split(
          bytes,
          offsets.map((offset) => offset % (bytes.length + 1)),
        );
        expect(items).toEqual(whole.items);
        expect(rest).toEqual({ ...whole, items: [] });
      }),
    );
  });

  // Items that hold arrays of objects opening as the items do, so that runs cut by that opening fail to parse.
  const nesting = fc.record({
    metadata: fc.dictionary(fc.string(), value, { maxKeys: 2 }),
    spec: fc.array(fc.record({ metadata: value, spec: value }), { minLength: 1, maxLength: 3 }),
  });

  it('agrees with JSON.parse on lists whose items nest their own opening, broken bytes or not', () => {
    fc.assert(
      fc.property(
        fc.array(fc.oneof(item, nesting), { maxLength: 8 }),
        fc.option(
          fc.record({ at: fc.nat(), drop: fc.nat({ max: 8 }), put: fc.constantFrom('', '}', ',', '"', 'x') }),
        ),
        fc.array(fc.nat(), { maxLength: 12 }),
        (items, broken, offsets) => {
          let bytes = Buffer.from(JSON.stringify({ kind: 'List', metadata: {}, items }));
          if (broken !== null) {
            const at = broken.at % bytes.length;
            bytes = Buffer.concat([
              bytes.subarray(0, at),
              Buffer.from(broken.put),
              bytes.subarray(at + broken.drop),
            ]);
          }
          const cuts = offsets.map((offset) => offset % (bytes.length + 1));
          let whole: unknown;
          try {
            whole = JSON.parse(bytes.toString('utf8'));
          } catch {
            expect(() => split(bytes, cuts)).toThrow(SyntaxError);
            return;
          }
          // A changed byte may leave JSON that is no list (`"itemsx"`).
          const list = whole as { items?: unknown };
          const isList =
            typeof whole === 'object' && whole !== null && !Array.isArray(whole) && Array.isArray(list.items);
          const { items: out, rest } = split(bytes, cuts);
          expect(out).toEqual(isList ? list.items : []);
          expect(rest).toEqual(isList ? { ...(whole as object), items: [] } : whole);
        },
      ),
      { numRuns: 500 },
    );
  });

  it('leaves any JSON that is no list as it is', () => {
    fc.assert(
      fc.property(value, fc.array(fc.nat(), { maxLength: 12 }), (json, offsets) => {
        const text = JSON.stringify(json);
        const bytes = Buffer.from(text);
        // What the text says (JSON writes -0 as 0).
        const whole: unknown = JSON.parse(text);
        const list = whole as { items?: unknown };
        const isList =
          typeof whole === 'object' && whole !== null && !Array.isArray(whole) && Array.isArray(list.items);
        const { items, rest } = split(
          bytes,
          offsets.map((offset) => offset % (bytes.length + 1)),
        );
        expect(items).toEqual(isList ? list.items : []);
        expect(rest).toEqual(isList ? { ...(whole as object), items: [] } : whole);
      }),
    );
  });

  it('throws nothing while bytes arrive, whatever they are', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 300 }), fc.array(fc.nat({ max: 300 })), (raw, cuts) => {
        const splitter = new ListItemSplitter();
        let from = 0;
        for (const cut of [...cuts.map((c) => Math.min(c, raw.length)).sort((a, b) => a - b), raw.length]) {
          splitter.push(Buffer.from(raw.subarray(from, Math.max(from, cut))));
          from = Math.max(from, cut);
        }
      }),
    );
  });
});
