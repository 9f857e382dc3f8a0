import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/model/classify/index.js';
import { sanitizeLine } from '../../../src/ui/sanitize.js';
import { loadRealFixture } from './pod-fixture.js';

// When no rule explains a crash, the evidence still gives the reader a head start: the previous log's error
// lines and its last lines before the exit, and the events that were considered (routine ones left out).
describe('unknown', () => {
  it('shows the last log lines before the exit, in log order', () => {
    const cause = diagnose(loadRealFixture('bookstack-apache-child-segv-then-sigterm')).cause!;
    expect(cause.id).toBe('unknown');
    expect(cause.evidence.slice(-2)).toEqual([
      'log: [Wed Feb 20 10:41:03.097575 2019] [core:notice] [pid 1] AH00052: child pid 97 exit signal Segmentation fault (11)',
      'log: [Wed Feb 20 10:41:04.099732 2019] [mpm_prefork:notice] [pid 1] AH00169: caught SIGTERM, shutting down',
    ]);
  });

  it('shows the events considered, whole, and not the routine ones', () => {
    const input = loadRealFixture('gke-large-image-context-deadline-name-reserved');
    const cause = diagnose(input).cause!;
    expect(cause.id).toBe('unknown');
    expect(cause.evidence).toContain('event Warning Failed: Error: context deadline exceeded');
    expect(cause.evidence.some((e) => e.includes('Pulling') || e.includes('Successfully pulled'))).toBe(
      false,
    );
  });

  it('picks error lines from a long log, not only the tail', () => {
    const input = loadRealFixture('bookstack-apache-child-segv-then-sigterm');
    const log = input.logs!.get('bookstack')!;
    const logs = new Map([
      [
        'bookstack',
        [
          'ERROR could not open the cache index',
          ...Array.from({ length: 20 }, (_, i) => `GET /login ${i}`),
          ...log,
        ],
      ],
    ]);
    const cause = diagnose({ ...input, logs }).cause!;
    expect(cause.evidence).toContain('log: ERROR could not open the cache index');
  });
});

describe('unknown: a reason from the cluster stays behind its field name', () => {
  it.each([
    ['state.waiting.reason: ', 'x\r\u001b[2KOOMKilled'],
    ['lastState.terminated.reason: ', 'x\rOOMKilled'],
  ])('a carriage return in it cannot erase %s', (field, reason) => {
    const input = loadRealFixture('bookstack-apache-child-segv-then-sigterm');
    const status = input.pod.status!.containerStatuses![0]!;
    if (field.startsWith('state.waiting')) status.state = { waiting: { reason } };
    else status.lastState!.terminated!.reason = reason;
    const cause = diagnose(input).cause!;
    expect(cause.id).toBe('unknown');
    expect(cause.evidence.map((e) => sanitizeLine(e))).toContain(`${field}OOMKilled`);
  });
});
