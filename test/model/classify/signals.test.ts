import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundedLog,
  containerFacts,
  LOG_MAX_BYTES,
  LOG_MAX_LINES,
} from '../../../src/model/classify/signals.js';
import type { KubeEvent, Pod } from '../../../src/model/pod.js';

const bytes = (lines: readonly string[]) =>
  lines.reduce((n, l) => n + new TextEncoder().encode(l).length + 1, 0);

describe('boundedLog', () => {
  it('keeps only the newest lines, within the line and byte bounds', () => {
    fc.assert(
      fc.property(fc.array(fc.string({ maxLength: 2000 }), { maxLength: 400 }), (lines) => {
        const kept = boundedLog(lines);
        expect(kept.length).toBeLessThanOrEqual(LOG_MAX_LINES);
        expect(bytes(kept)).toBeLessThanOrEqual(LOG_MAX_BYTES);
        if (kept.length > 0 && bytes([lines.at(-1)!]) <= LOG_MAX_BYTES) {
          expect(kept).toEqual(lines.slice(lines.length - kept.length));
        }
      }),
      { numRuns: 50 },
    );
  });

  it('keeps all of a short log', () => {
    expect(boundedLog(['a', 'b'])).toEqual(['a', 'b']);
  });

  it('cuts a single runaway line instead of dropping everything', () => {
    const kept = boundedLog(['x'.repeat(200_000)]);
    expect(kept).toHaveLength(1);
    expect(bytes(kept)).toBeLessThanOrEqual(LOG_MAX_BYTES);
  });
});

describe('containerFacts events', () => {
  const pod: Pod = {
    metadata: { name: 'web-1', namespace: 'shop', uid: 'u1' },
    spec: { containers: [{ name: 'app' }, { name: 'proxy' }], initContainers: [{ name: 'app' }] },
  };
  const event = (involvedObject: KubeEvent['involvedObject'], message: string): KubeEvent => ({
    involvedObject,
    reason: 'Failed',
    message,
  });
  const events = [
    event({ kind: 'Pod', name: 'web-1', namespace: 'shop', fieldPath: 'spec.containers{app}' }, 'mine'),
    event(
      { kind: 'Pod', name: 'web-1', namespace: 'shop', fieldPath: 'spec.containers{proxy}' },
      'other container',
    ),
    event(
      { kind: 'Pod', name: 'web-1', namespace: 'shop', fieldPath: 'spec.initContainers{app}' },
      'init namesake',
    ),
    event({ kind: 'Pod', name: 'web-2', namespace: 'shop', fieldPath: 'spec.containers{app}' }, 'other pod'),
    event({ kind: 'Pod', name: 'web-1', namespace: 'shop', uid: 'u0' }, 'previous pod with the same name'),
    event({ kind: 'Pod', name: 'web-1', namespace: 'shop' }, 'pod-level'),
    event({ kind: 'Node', name: 'web-1' }, 'node'),
  ];

  it('keeps the events of this container and of the pod itself', () => {
    const facts = containerFacts(
      pod,
      { name: 'app', init: false, status: { name: 'app', ready: false, restartCount: 0 } },
      events,
      [],
    );
    expect(facts.events.map((e) => e.message)).toEqual(['mine', 'pod-level']);
  });

  it('tells an init container from a regular one of the same name', () => {
    const facts = containerFacts(
      pod,
      { name: 'app', init: true, status: { name: 'app', ready: false, restartCount: 0 } },
      events,
      [],
    );
    expect(facts.events.map((e) => e.message)).toEqual(['init namesake', 'pod-level']);
  });
});
