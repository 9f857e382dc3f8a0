import { describe, expect, it } from 'vitest';
import { trimEvents } from '../../src/kube/event-watcher.js';
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
