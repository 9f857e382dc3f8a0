import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { columns } from '../../src/model/columns.js';
import { type LogTitleParts, logTitle } from '../../src/ui/log-title.js';

const UNICODE = { separator: '·', ellipsis: '…' };
const ASCII = { separator: '|', ellipsis: '~' };

const waiting: LogTitleParts = {
  namespace: 'platform',
  pod: 'legacy-sync-mzgjsj6n5x-znnvr',
  container: 'sync',
  reading: 'current run',
  state: 'waiting for the next run',
  brief: 'waiting',
  next: 'restart 7 in 2m13s',
  extras: ['4 lines', 'wrap'],
};

describe('logTitle', () => {
  it.each([
    {
      width: 140,
      parts: waiting,
      title:
        'Logs platform/legacy-sync-mzgjsj6n5x-znnvr [sync] current run · waiting for the next run (restart 7 in 2m13s) · 4 lines · wrap',
    },
    {
      // Counts and toggles go first, whole: never `4 l…`.
      width: 112,
      parts: waiting,
      title:
        'Logs platform/legacy-sync-mzgjsj6n5x-znnvr [sync] current run · waiting for the next run (restart 7 in 2m13s)',
    },
    {
      // Then the state in fewer words; the names stay whole while they fit.
      width: 100,
      parts: waiting,
      title: 'Logs platform/legacy-sync-mzgjsj6n5x-znnvr [sync] current run · waiting: restart 7 in 2m13s',
    },
    {
      // 80 columns: the pod name loses its hash; its workload and random suffix stay.
      width: 80,
      parts: waiting,
      title: 'Logs platform/legacy-syn…-znnvr [sync] current run · waiting: restart 7 in 2m13s',
    },
    {
      // Long namespace and container names give way too, once the pod name is as short as it goes.
      width: 80,
      parts: { ...waiting, namespace: 'payments-production', container: 'reconciler-sidecar' },
      title: 'Logs pay…on/legacy-syn…-znnvr [rec…ar] current run · waiting: restart 7 in 2m13s',
    },
    {
      // Too narrow even then: the countdown first.
      width: 50,
      parts: waiting,
      title: 'waiting: restart 7 in 2m13s · Logs platform/legac…',
    },
    {
      // No countdown: a long state is cut at the end like any text.
      width: 60,
      parts: {
        ...waiting,
        next: undefined,
        brief: undefined,
        state: 'container "sync" in pod "legacy-sync" is waiting to start: ContainerCreating',
      },
      title: 'Logs platform/legacy-sync-mzgjsj6n5x-znnvr [sync] current r…',
    },
    {
      width: 80,
      parts: {
        ...waiting,
        container: undefined,
        reading: 'previous run',
        state: 'read once, 2 of 3 containers failed',
        brief: '2 of 3 failed',
        next: undefined,
      },
      title: 'Logs platform/legacy-sync-mzg…-znnvr all containers previous run · 2 of 3 failed',
    },
  ])('$width columns: $title', ({ width, parts, title }) => {
    expect(logTitle(parts, width, UNICODE)).toBe(title);
    expect(columns(title)).toBeLessThanOrEqual(width);
  });

  it('fits in ASCII with its own separator and ellipsis', () => {
    expect(logTitle(waiting, 80, ASCII)).toBe(
      'Logs platform/legacy-syn~-znnvr [sync] current run | waiting: restart 7 in 2m13s',
    );
  });

  it('never exceeds the width, and keeps the countdown whole wherever the shortest title with it fits', () => {
    const name = fc.stringMatching(/^[a-z0-9][a-z0-9-]{0,61}[a-z0-9]$/);
    fc.assert(
      fc.property(
        name,
        name,
        name,
        fc.integer({ min: 0, max: 9 }),
        fc.integer({ min: 20, max: 220 }),
        (namespace, pod, container, restart, width) => {
          const parts = { ...waiting, namespace, pod, container, next: `restart ${restart} in 4m59s` };
          const title = logTitle(parts, width, UNICODE);
          expect(columns(title)).toBeLessThanOrEqual(width);
          if (width >= columns(`waiting: ${parts.next}`)) expect(title).toContain(parts.next);
        },
      ),
    );
  });
});
