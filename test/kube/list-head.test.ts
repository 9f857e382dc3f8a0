import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { listMetaAhead } from '../../src/kube/list-head.js';

// A list's metadata read from its first bytes (src/kube/list-head.ts): the next page is asked for with it before
// the rest of the page has arrived, so an answer must never differ from what the whole body says.

const TOKEN = 'eyJydiI6MTQzOSwic3RhcnQiOiJ0ZWFtLTAxL3NlcnZpY2UtMDA1OS13bjJ3eG03dnRuLXc2azVsIn0';

describe('listMetaAhead', () => {
  it.each([
    [
      'a PodList page as the API server writes it',
      `{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1439","continue":"${TOKEN}","remainingItemCount":500},"items":[{"metadata":{"name":"w`,
      { continue: TOKEN },
    ],
    [
      'the last page: no continue token',
      '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"1439"},"items":[',
      {},
    ],
    [
      // kube-apiserver leaves the field out on the last page (ListMeta.continue is omitempty), as does the
      // simulator; "" comes only from a server or proxy that encodes the list its own way, and means no next page.
      'an empty continue token',
      '{"kind":"EventList","apiVersion":"v1","metadata":{"resourceVersion":"7","continue":""},"items":[]}',
      { continue: '' },
    ],
    [
      'whitespace between the fields',
      '{ "kind": "List",\n "metadata": { "continue": "2" }, "items": [',
      { continue: '2' },
    ],
    ['no kind at all', '{"metadata":{"continue":"2"},"items":[', { continue: '2' }],
    [
      'the metadata cut short',
      '{"kind":"PodList","apiVersion":"v1","metadata":{"resourceVersion":"14',
      undefined,
    ],
    ['items before the metadata', '{"kind":"List","items":[],"metadata":{"continue":"2"}}', undefined],
    [
      'another field before the metadata',
      '{"kind":"List","selfLink":"/x","metadata":{"continue":"2"}}',
      undefined,
    ],
    ['an object inside the metadata', '{"metadata":{"labels":{"a":"b"},"continue":"2"}}', undefined],
    ['a brace inside a string of the metadata', '{"metadata":{"selfLink":"/a}b","continue":"2"}}', undefined],
    [
      'a Status, not a list',
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","code":410}',
      {},
    ],
    ['not JSON', '<html>502 Bad Gateway</html>', undefined],
    ['nothing yet', '', undefined],
  ])('%s', (_, head, expected) => {
    expect(listMetaAhead(head)).toEqual(expected);
  });

  const metadata = fc.record(
    {
      resourceVersion: fc.string(),
      continue: fc.string(),
      remainingItemCount: fc.integer(),
      selfLink: fc.string(),
    },
    { requiredKeys: [] },
  );
  const list = fc.record({
    kind: fc.string(),
    apiVersion: fc.string(),
    metadata,
    items: fc.array(fc.object(), { maxLength: 3 }),
  });

  it('never differs from the whole body, read from any first part of it', () => {
    fc.assert(
      fc.property(list, fc.nat(), (body, cut) => {
        const text = JSON.stringify(body);
        const ahead = listMetaAhead(text.slice(0, cut));
        if (ahead === undefined) return;
        const whole = JSON.parse(text).metadata as Record<string, unknown>;
        expect(ahead.continue).toBe(whole.continue);
      }),
    );
  });

  it('reads the metadata of a body that shows it whole before its items', () => {
    fc.assert(
      fc.property(list, (body) => {
        const text = JSON.stringify(body);
        const head = text.slice(0, text.indexOf(',"items":'));
        const written = JSON.stringify(body.metadata);
        fc.pre(!/[{}\\"]/.test(body.kind + body.apiVersion) && !/[{}]/.test(written.slice(1, -1)));
        expect(listMetaAhead(head)).toEqual(
          body.metadata.continue !== undefined ? { continue: body.metadata.continue } : {},
        );
      }),
    );
  });

  it('never throws on any text', () => {
    fc.assert(
      fc.property(fc.string(), (text) => {
        listMetaAhead(text);
      }),
    );
  });
});
