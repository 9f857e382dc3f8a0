import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { columns } from '../../src/model/columns.js';
import { fitWidth, truncate, truncateMiddle, truncatePodName, wrapWords } from '../../src/ui/fit.js';

describe('truncate and fit', () => {
  it.each([
    ['fits', 'api', 5, 'left', 'api  '],
    ['right aligned', '7', 3, 'right', '  7'],
    ['cut with an ellipsis', 'payments-api', 8, 'left', 'payment…'],
    ['wide characters are two columns', '日本語のポッド', 7, 'left', '日本語…'],
    ['a wide character never straddles the edge', '日本語', 4, 'left', '日… '],
    ['zero width', 'abc', 0, 'left', ''],
  ] as const)('%s', (_name, text, width, align, expected) => {
    expect(fitWidth(text, width, align)).toBe(expected);
  });

  it('uses the ASCII ellipsis it is given', () => {
    expect(truncate('payments-api', 6, '~')).toBe('payme~');
  });

  it('always returns exactly the width asked for', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 30 }),
        fc.integer({ min: 1, max: 40 }),
        (text, width) => {
          fc.pre(!/[\u0000-\u001F\u007F-\u009F]/.test(text));
          expect(stringWidth(fitWidth(text, width))).toBe(width);
        },
      ),
    );
  });
});

describe('truncateMiddle', () => {
  it.each([
    ['payments-api-7d9f8c6b5-abc12', 20, 'payments-a…6b5-abc12'],
    ['short', 20, 'short'],
    ['日本語のポッド名前です', 9, '日本…です'],
  ])('%s in %i columns → %s', (text, width, expected) => {
    expect(truncateMiddle(text, width)).toBe(expected);
  });

  it('never exceeds the width, ASCII or not', () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'grapheme', maxLength: 40 }),
        fc.integer({ min: 0, max: 30 }),
        (text, width) => {
          fc.pre(!/[\u0000-\u001F\u007F-\u009F]/.test(text));
          expect(stringWidth(truncateMiddle(text, width))).toBeLessThanOrEqual(width);
        },
      ),
    );
  });
});

// Bug: at 120 columns `worker-0005-7d9f8c6b5-ls2zt` read `worker-00…wz7-ls2zt`: the workload lost, the hash kept.
describe('truncatePodName', () => {
  it.each([
    [
      'a Deployment pod keeps its workload and suffix',
      'worker-0005-7d9f8c6b5-ls2zt',
      19,
      'worker-0005-…-ls2zt',
    ],
    ['the hash goes first', 'report-builder-6c9d8f7b6mj-7fhxk', 24, 'report-builder-6c…-7fhxk'],
    ['a StatefulSet pod keeps its ordinal', 'kafka-broker-ingest-eu-west-12', 16, 'kafka-broker…-12'],
    ['fits: unchanged', 'web-0', 19, 'web-0'],
    ['no suffix: the middle goes', 'averyveryverylongpodnamewithoutdashes', 11, 'avery…ashes'],
    ['too narrow for the rule: the middle goes', 'worker-0005-7d9f8c6b5-ls2zt', 9, 'work…s2zt'],
  ])('%s', (_name, text, width, expected) => {
    expect(truncatePodName(text, width)).toBe(expected);
  });

  it('is never wider than asked and keeps a generated suffix whole when it has room', () => {
    const name = fc.stringMatching(/^[a-z][a-z0-9-]{0,40}-[a-z0-9]{5}$/);
    fc.assert(
      fc.property(name, fc.integer({ min: 1, max: 50 }), (text, width) => {
        const cut = truncatePodName(text, width);
        expect(columns(cut)).toBeLessThanOrEqual(width);
        if (columns(text) <= width) expect(cut).toBe(text);
        else if (width >= 14) expect(cut.endsWith(text.slice(-6))).toBe(true);
      }),
    );
  });
});

describe('wrapWords', () => {
  it('breaks between words, hangs the lines after the first, cuts a word wider than a line', () => {
    expect(
      wrapWords('MountVolume.SetUp failed for volume "cfg" : configmap "ledger" not found', 30, '  '),
    ).toEqual(['MountVolume.SetUp failed for', '  volume "cfg" : configmap', '  "ledger" not found']);
    expect(wrapWords('path /var/lib/kubelet/pods/0123456789abcdef/volumes end', 16)).toEqual([
      'path',
      '/var/lib/kubelet',
      '/pods/0123456789',
      'abcdef/volumes',
      'end',
    ]);
    expect(wrapWords('短い 日本語のメッセージです', 10)).toEqual(['短い', '日本語のメ', 'ッセージで', 'す']);
    expect(wrapWords('', 10)).toEqual(['']);
  });

  it('keeps every character and never exceeds the width', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string({ unit: 'grapheme-ascii', maxLength: 30 }), { maxLength: 12 }),
        fc.integer({ min: 4, max: 60 }),
        fc.constantFrom('', '  ', '    '),
        (words, width, hang) => {
          const text = words.join(' ');
          const lines = wrapWords(text, width, hang);
          for (const line of lines) expect(columns(line)).toBeLessThanOrEqual(width);
          expect(lines.join('').replace(/ /g, '')).toBe(text.replace(/ /g, ''));
        },
      ),
    );
  });
});
