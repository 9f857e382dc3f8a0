import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../src/kube/source.js';
import { covers, podWatches, staleRows, waitingTexts, watchLine } from '../../src/ui/watch-line.js';

const NOW = 1_000_000;
const w = (
  context: string,
  resource: 'pods' | 'events',
  state: WatchStatus['state'],
  agoMs = 0,
  namespaces: string[] = [],
): WatchStatus => ({ context, resource, state, namespaces, since: NOW - agoMs });

describe('watchLine', () => {
  it.each<[string, WatchStatus[], string]>([
    ['nothing yet', [], 'connecting'],
    ['all live, said once', [w('a', 'pods', 'live'), w('a', 'events', 'live')], 'live'],
    [
      'several namespaces, all live',
      [w('a', 'pods', 'live', 0, ['x']), w('a', 'pods', 'live', 0, ['y']), w('a', 'events', 'live')],
      'live',
    ],
    [
      'events behind',
      [w('a', 'pods', 'live'), w('a', 'events', 'reconnecting', 12_000)],
      'pods live · events reconnecting 12s',
    ],
    [
      'the worst watch of a resource speaks for it',
      [w('a', 'pods', 'live', 0, ['x']), w('a', 'pods', 'stale', 180_000, ['y']), w('a', 'events', 'live')],
      'pods stale 3m · events live',
    ],
    [
      'both resources in the same state, said once',
      [w('a', 'pods', 'reconnecting', 5_000), w('a', 'events', 'reconnecting', 5_000)],
      'reconnecting 5s',
    ],
    [
      'several contexts are named',
      [
        w('prod', 'pods', 'live'),
        w('prod', 'events', 'live'),
        w('dev', 'pods', 'connecting'),
        w('dev', 'events', 'live'),
      ],
      'prod: live, dev: pods connecting · events live',
    ],
    [
      'a context that never answered says so, not stale: none of its data was ever shown',
      [
        w('prod', 'pods', 'live'),
        { ...w('dead', 'pods', 'stale', 70_000), neverConnected: true },
        { ...w('dead', 'events', 'stale', 70_000), neverConnected: true },
      ],
      'prod: live, dead: never connected 1m10s',
    ],
  ])('%s', (_, watches, expected) => {
    expect(watchLine(watches, NOW, '·')).toBe(expected);
  });
});

describe('covers and podWatches', () => {
  it.each<[string, string[], string, boolean]>([
    ['all namespaces reads every one', [], 'shop', true],
    ['a listed namespace', ['shop', 'web'], 'web', true],
    ['an unlisted one', ['shop'], 'web', false],
  ])('%s', (_, namespaces, namespace, expected) => {
    expect(covers({ namespaces }, namespace)).toBe(expected);
  });

  it('keeps the pods watches, a status naming no resource among them', () => {
    const { resource: _, ...legacy } = w('b', 'pods', 'live');
    expect(podWatches([w('a', 'pods', 'live'), w('a', 'events', 'live'), legacy])).toEqual([
      w('a', 'pods', 'live'),
      legacy,
    ]);
  });

  it('staleRows: a stale pods watch of one namespace marks that namespace of that context only', () => {
    const stale = staleRows([w('a', 'pods', 'stale', 0, ['shop']), w('a', 'events', 'stale')]);
    expect(stale?.('a', 'shop')).toBe(true);
    expect(stale?.('a', 'web')).toBe(false);
    expect(stale?.('b', 'shop')).toBe(false);
  });
});

describe('waitingTexts', () => {
  const waiting = (w: WatchStatus, server: string, agoMs: number): WatchStatus => ({
    ...w,
    waiting: { server, since: NOW - agoMs },
  });

  it.each<[string, WatchStatus[], string[]]>([
    ['no watch waiting', [w('a', 'pods', 'connecting'), w('a', 'events', 'live')], []],
    [
      'a silent server, how long',
      [waiting(w('a', 'pods', 'connecting'), 'https://10.0.0.1:6443', 12_000)],
      ['waiting 12s for https://10.0.0.1:6443'],
    ],
    [
      'its watches said once, silent since the last byte to any of them',
      [
        waiting(w('a', 'pods', 'connecting'), 'https://10.0.0.1:6443', 71_000),
        waiting(w('a', 'events', 'connecting'), 'https://10.0.0.1:6443/', 40_000),
      ],
      ['waiting 40s for https://10.0.0.1:6443'],
    ],
    [
      'not while it sends one of them something',
      [
        w('a', 'pods', 'connecting'),
        waiting(w('a', 'events', 'connecting'), 'https://10.0.0.1:6443', 40_000),
      ],
      [],
    ],
    [
      'a watch of it already live does not hold back the one still waiting',
      [w('a', 'pods', 'live'), waiting(w('a', 'events', 'connecting'), 'https://10.0.0.1:6443', 5_000)],
      ['waiting 5s for https://10.0.0.1:6443'],
    ],
    [
      'each silent server',
      [
        waiting(w('a', 'pods', 'connecting'), 'https://a.example:6443', 5_000),
        waiting(w('b', 'pods', 'connecting'), 'https://b.example', 4_000),
      ],
      ['waiting 5s for https://a.example:6443', 'waiting 4s for https://b.example'],
    ],
    [
      'only while connecting',
      [waiting(w('a', 'pods', 'reconnecting', 9_000), 'https://10.0.0.1:6443', 9_000)],
      [],
    ],
    [
      'no user info (a password), path or query of the URL',
      [
        waiting(
          w('a', 'pods', 'connecting'),
          'https://admin:hunter2@rancher.example/k8s/clusters/c-1?x=y',
          3_000,
        ),
      ],
      ['waiting 3s for https://rancher.example'],
    ],
    [
      'an IPv6 server',
      [waiting(w('a', 'pods', 'connecting'), 'https://[fd00::1]:6443', 3_000)],
      ['waiting 3s for https://[fd00::1]:6443'],
    ],
    [
      'a server that is no URL, not said',
      [waiting(w('a', 'pods', 'connecting'), '10.0.0.1:6443\u001b[2J', 3_000)],
      ['waiting 3s for the server'],
    ],
  ])('%s', (_, watches, expected) => {
    expect(waitingTexts(watches, NOW)).toEqual(expected);
  });

  it("never lets a control, escape, bidi character or the URL's password through, whatever the kubeconfig says", () => {
    fc.assert(
      fc.property(
        fc.string({ unit: 'binary', maxLength: 80 }),
        fc.webUrl({ withQueryParameters: true }),
        (junk, url) => {
          const secret = 'S3cr3t-pass';
          for (const server of [junk, url + junk, url.replace('://', `://user:${secret}@`) + junk]) {
            const [text] = waitingTexts([waiting(w('a', 'pods', 'connecting'), server, 3_000)], NOW);
            expect(text).not.toMatch(
              /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/,
            );
            expect(text).not.toContain(secret);
          }
        },
      ),
    );
  });
});
