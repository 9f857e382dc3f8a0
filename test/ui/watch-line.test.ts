import { describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../src/kube/source.js';
import { covers, podWatches, staleRows, watchLine } from '../../src/ui/watch-line.js';

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
