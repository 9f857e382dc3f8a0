import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  boundedLog,
  containerFacts,
  describeEvent,
  LOG_MAX_BYTES,
  LOG_MAX_LINES,
} from '../../../src/model/classify/signals.js';
import type { KubeEvent, Pod } from '../../../src/model/pod.js';
import { sanitizeLine, sanitizeText } from '../../../src/ui/sanitize.js';

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

describe('boundedLog escape sequences', () => {
  it.each([
    [
      'colour codes',
      '\u001b[31mError\u001b[39m: connect ECONNREFUSED \u001b[1mredis:6379',
      'Error: connect ECONNREFUSED redis:6379',
    ],
    ['a window title', '\u001b]0;x\u0007ready', 'ready'],
    ['plain text', 'Error: connect ECONNREFUSED redis:6379', 'Error: connect ECONNREFUSED redis:6379'],
  ])('matches rules against the words a terminal shows: %s', (_, line, kept) => {
    expect(boundedLog([line])).toEqual([kept]);
  });
});

describe('describeEvent with hostile messages', () => {
  const unhealthy = (message: string): KubeEvent => ({
    type: 'Warning',
    reason: 'Unhealthy',
    message,
    involvedObject: { kind: 'Pod', name: 'p' },
  });
  it.each([
    [
      'a carriage return keeps the message’s last segment, after our label',
      'Liveness probe failed: HTTP probe failed with statuscode: 500 \u001b]0;X\u0007\r\bgone \u202eevil\u202c',
      'event Warning Unhealthy: gone evil',
    ],
    [
      'a forged label stays inside the message',
      'x\rlastState.terminated.reason: OOMKilled',
      'event Warning Unhealthy: lastState.terminated.reason: OOMKilled',
    ],
    [
      'an unterminated OSC cannot eat what follows',
      'probe failed \u001b]8;;http://x',
      'event Warning Unhealthy: probe failed',
    ],
    [
      'curl progress in an exec probe message shows its last segment',
      'Liveness probe failed:   0  0 0\r100 12 100 12 failed',
      'event Warning Unhealthy: 100 12 100 12 failed',
    ],
    [
      'CRLF line endings are line endings',
      'Liveness probe failed: a\r\nb\r\n',
      'event Warning Unhealthy: Liveness probe failed: a b',
    ],
  ])('%s', (_, message, shown) => {
    const evidence = describeEvent(unhealthy(message));
    expect(sanitizeLine(evidence)).toBe(shown);
    // The JSON report's text (sanitizeText) carries the same safe line.
    expect(sanitizeText(evidence)).toBe(shown);
  });

  const hostileText = fc
    .array(fc.constantFrom('\r', '\n', '\u001b', '\u001b]0;', '\u001b[', '\u0007', '\u202e', 'a', ' '), {
      maxLength: 20,
    })
    .map((parts) => parts.join(''));

  it('never loses its label, whatever the event says', () => {
    fc.assert(
      fc.property(hostileText, hostileText, (reason, message) => {
        const shown = sanitizeLine(describeEvent({ ...unhealthy(message), reason }));
        expect(shown).toMatch(/^event Warning [^:]*: /);
      }),
    );
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
