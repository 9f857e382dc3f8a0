import { describe, expect, it } from 'vitest';
import type { WatchStatus } from '../../src/kube/source.js';
import { watchLine } from '../../src/ui/watch-line.js';

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
  ])('%s', (_, watches, expected) => {
    expect(watchLine(watches, NOW, '·')).toBe(expected);
  });
});
