import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { trimEvents } from '../../src/kube/event-watcher.js';
import { byTime, insertByTime } from '../../src/kube/events.js';
import type { KubeEvent } from '../../src/model/pod.js';

const event = (name: string, type: 'Normal' | 'Warning'): KubeEvent => ({
  metadata: { name },
  involvedObject: { kind: 'Pod', name: 'web' },
  type,
});
const names = (events: KubeEvent[]) => events.map((e) => e.metadata?.name).join(' ');

describe('trimEvents', () => {
  it.each([
    { name: 'under the bound: unchanged', events: 'n1 w1 n2', bound: 5, kept: 'n1 w1 n2' },
    { name: 'drops the oldest Normal events first', events: 'n1 w1 n2 w2 n3', bound: 3, kept: 'w1 w2 n3' },
    { name: 'then the oldest Warnings', events: 'w1 n1 w2 w3 n2', bound: 2, kept: 'w2 w3' },
    { name: 'keeps order, newest last', events: 'w1 n1 w2 n2', bound: 3, kept: 'w1 w2 n2' },
  ])('$name', ({ events, bound, kept }) => {
    const list = events.split(' ').map((name) => event(name, name.startsWith('w') ? 'Warning' : 'Normal'));
    expect(names(trimEvents(list, bound))).toBe(kept);
  });
});

describe('insertByTime', () => {
  // Times as the API server writes them, some equal, some missing (eventTime then counts them as 0).
  const stamp = fc.option(
    fc.integer({ min: 0, max: 20 }).map((s) => `2026-11-25T13:59:${String(s * 2).padStart(2, '0')}Z`),
  );
  const anEvent = fc.record({ n: fc.nat(), last: stamp, created: stamp }).map(
    ({ n, last, created }): KubeEvent => ({
      metadata: { name: `e${n}`, ...(created ? { creationTimestamp: created } : {}) },
      involvedObject: { kind: 'Pod', name: 'web' },
      ...(last ? { lastTimestamp: last } : {}),
    }),
  );
  it('puts an event where sorting the list with it puts it', () => {
    fc.assert(
      fc.property(fc.array(anEvent, { maxLength: 50 }), anEvent, (list, event) => {
        const sorted = [...list].sort(byTime);
        expect(insertByTime(sorted, event)).toEqual([...sorted, event].sort(byTime));
        expect(insertByTime(sorted, event).indexOf(event)).toBe(
          [...sorted, event].sort(byTime).indexOf(event),
        );
      }),
    );
  });
});
