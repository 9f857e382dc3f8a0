import { readFileSync } from 'node:fs';
import fc from 'fast-check';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import * as classify from '../../src/model/classify/index.js';
import type { ContainerStatus, KubeEvent, Pod } from '../../src/model/pod.js';
import { createRowBuilder, podRow } from '../../src/model/rows.js';
import { LOOKAHEAD_ROWS } from '../../src/ui/hooks/use-log-causes.js';
import { createLogCauses } from '../../src/ui/log-causes.js';
import { type CachedLog, logTargets, targetKey } from '../../src/ui/previous-logs.js';
import { loadPodFixture } from '../model/classify/pod-fixture.js';
import { FakeSource, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// Every classification is counted: the real classifier, wrapped.
vi.mock('../../src/model/classify/index.js', async (importOriginal) => {
  const real = await importOriginal<typeof import('../../src/model/classify/index.js')>();
  return { ...real, diagnose: vi.fn(real.diagnose), diagnoseCause: vi.fn(real.diagnoseCause) };
});

const CONTEXT = 'prod';

/** `kubectl get pods -n shop` during a stalled rollout: the new ReplicaSet's pod crash-loops, the old run. */
function rollout(): Pod[] {
  const url = new URL('../fixtures/status/rollout-stalled.yaml', import.meta.url);
  return (parse(readFileSync(url, 'utf8')) as { items: Pod[] }).items;
}
const CRASHING = 'checkout-7b8d9c5f4-m9n8b';

/** How often the classifier looked at this pod object with its logs (the row builder classifies without). */
function classifications(pod: Pod): number {
  return [vi.mocked(classify.diagnose), vi.mocked(classify.diagnoseCause)]
    .flatMap((fn) => fn.mock.calls)
    .filter(([input]) => input.pod === pod && input.logs !== undefined).length;
}

beforeEach(() => {
  vi.mocked(classify.diagnose).mockClear();
  vi.mocked(classify.diagnoseCause).mockClear();
});

describe('the table classifies a row with its previous log', () => {
  beforeEach(() => {
    vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
  });
  afterEach(() => {
    vi.useRealTimers();
  });

  it('again when its pod changes, not when a sibling of its rollout does', async () => {
    const pods = rollout();
    const crashing = pods.find((p) => p.metadata.name === CRASHING)!;
    const source = new FakeSource(pods);
    source.logs.set(`kind-dev/shop/${CRASHING}/app/true`, [
      'FATAL: dial tcp 10.96.0.12:5432: connect: connection refused',
    ]);
    const app = await renderApp(source, { columns: 160 });
    await vi.waitFor(() => expect(app.frame()).toContain('dependency-unreachable'), { timeout: 10_000 });
    expect(classifications(crashing)).toBeGreaterThan(0);

    vi.mocked(classify.diagnose).mockClear();
    vi.mocked(classify.diagnoseCause).mockClear();
    // A pod of the previous ReplicaSet restarts: a new object in the same sibling group.
    const restarted = pods.map((p) => {
      if (p.metadata.name !== 'checkout-6d4cf56db6-4xk2p') return p;
      const [status] = p.status!.containerStatuses!;
      return { ...p, status: { ...p.status, containerStatuses: [{ ...status!, restartCount: 1 }] } };
    });
    source.setPods(restarted.map((pod) => ({ context: 'kind-dev', pod })));
    await app.tick(1000);
    await settle();
    expect(app.frame()).toContain('dependency-unreachable');
    expect(classifications(crashing)).toBe(0);

    // The crashing pod changes (a new object, as the watcher gives): classified again, once.
    const changed = { ...crashing, metadata: { ...crashing.metadata, resourceVersion: '2' } };
    source.setPods(restarted.map((pod) => ({ context: 'kind-dev', pod: pod === crashing ? changed : pod })));
    await app.tick(1000);
    await settle();
    expect(app.frame()).toContain('dependency-unreachable');
    expect(classifications(changed)).toBe(1);
  });

  it('at once while the row waits for its log, with the next tick when it keeps a cause meanwhile', async () => {
    // Just crashed, exit 1 and nothing more: `unknown` until its previous log is read.
    const url = new URL('../fixtures/status/error.yaml', import.meta.url);
    const crashed = parse(readFileSync(url, 'utf8')) as Pod;
    const source = new FakeSource([crashed]);
    const logKey = `kind-dev/shop/${crashed.metadata.name}/orders/true`;
    source.logs.set(logKey, ['FATAL: dial tcp 10.96.0.12:5432: connect: connection refused']);
    let release = () => {};
    source.logGate = new Promise((resolve) => {
      release = resolve;
    });
    const app = await renderApp(source, { columns: 160 });
    await vi.waitFor(() => expect(source.logRequests).toHaveLength(1));
    expect(app.frame()).not.toContain('dependency-unreachable');
    // Its cause is pending on screen: the answer is drawn without waiting for a tick.
    release();
    await vi.waitFor(() => expect(app.frame()).toContain('dependency-unreachable'), { timeout: 1000 });

    // It crashes again: its new previous log is read while the row keeps the cause the last one gave.
    source.logs.set(logKey, ['open /var/lib/orders/data: permission denied']);
    source.logGate = new Promise((resolve) => {
      release = resolve;
    });
    source.setPods([{ context: 'kind-dev', pod: restartedOnce(crashed) }]);
    await vi.waitFor(() => expect(source.logRequests).toHaveLength(2));
    await settle();
    expect(app.frame()).toContain('dependency-unreachable');
    // That answer comes with the next tick, not in a frame of its own.
    release();
    await settle();
    await settle();
    expect(app.frame()).toContain('dependency-unreachable');
    await app.tick(1000);
    expect(app.frame()).toContain('permission-denied');
  });

  it('reads the logs of the rows just below the window, so a row that scrolls in shows its cause at once', async () => {
    const url = new URL('../fixtures/status/error.yaml', import.meta.url);
    const crashed = parse(readFileSync(url, 'utf8')) as Pod;
    const names = Array.from({ length: 40 }, (_, i) => `orders-5f6g7-${String(i).padStart(2, '0')}`);
    const pods = names.map((name) => ({ ...crashed, metadata: { ...crashed.metadata, name } }));
    const source = new FakeSource(pods);
    for (const name of names)
      source.logs.set(`kind-dev/shop/${name}/orders/true`, ['connect ECONNREFUSED 10.96.0.12:5432']);
    const app = await renderApp(source, { columns: 160, rows: 16 });
    const visible = () => names.filter((name) => app.frame().includes(name));
    await vi.waitFor(() => expect(app.frame()).toContain('dependency-unreachable'), { timeout: 10_000 });
    await settle();
    const shown = visible();
    const last = names.indexOf(shown.at(-1)!);
    const read = new Set(source.logRequests.map((r) => r.ref.name));
    // The window and the next LOOKAHEAD_ROWS, not the whole table.
    expect([...read].sort()).toEqual(names.slice(0, last + 1 + LOOKAHEAD_ROWS));

    // Logs answer no more: the row that scrolls in must show the cause already read.
    source.logGate = new Promise(() => {});
    await app.press(...Array.from({ length: shown.length }, () => 'j'));
    await settle();
    expect(visible()).toContain(names[last + 1]);
    const entered = app
      .frame()
      .split('\n')
      .find((line) => line.includes(names[last + 1]!))!;
    expect(entered).toContain('dependency-unreachable');
  });
});

// ---- the same causes as a pass from scratch ----

/** Pods whose previous log changes or confirms their cause, and the crashing pod of a rollout. */
const FIXTURES = [
  'dependency-unreachable--postgres-refused',
  'oom-killed--java-heap',
  'liveness-probe--error-137',
];
const inputs = FIXTURES.map(loadPodFixture);
const POOL: { pod: Pod; events: readonly KubeEvent[]; logs: ReadonlyMap<string, readonly string[]> }[] = [
  ...inputs.map((i) => ({ pod: i.pod, events: i.events ?? [], logs: i.logs ?? new Map() })),
  { pod: rollout().find((p) => p.metadata.name === CRASHING)!, events: [], logs: new Map() },
];
/** A log line that names a cause for any container without a log of its own. */
const REFUSED = ['Error: connect ECONNREFUSED 10.96.14.7:5432'];
const KEYS = ['k0', 'k1', 'k2'];

/** `own`: the fixture's log (REFUSED without one); `refused`: REFUSED, whatever the pod. */
type LogState = 'unasked' | 'pending' | 'own' | 'refused' | 'empty' | 'failed';
type Step =
  | { kind: 'pod'; key: number; pool: number }
  | { kind: 'restart'; key: number }
  | { kind: 'events'; key: number; some: boolean }
  | { kind: 'log'; key: number; state: LogState }
  | { kind: 'siblings' };

const stepArb: fc.Arbitrary<Step> = fc.oneof(
  fc.record({ kind: fc.constant('pod' as const), key: fc.nat(2), pool: fc.nat(POOL.length - 1) }),
  fc.record({ kind: fc.constant('restart' as const), key: fc.nat(2) }),
  fc.record({ kind: fc.constant('events' as const), key: fc.nat(2), some: fc.boolean() }),
  fc.record({
    kind: fc.constant('log' as const),
    key: fc.nat(2),
    state: fc.constantFrom<LogState>('unasked', 'pending', 'own', 'refused', 'empty', 'failed'),
  }),
  fc.record({ kind: fc.constant('siblings' as const) }),
);

function restartedOnce(pod: Pod): Pod {
  // A new crash: the count goes up and the last state names the run that just ended.
  const bump = (statuses: ContainerStatus[] | undefined) =>
    statuses?.map((s) => ({
      ...s,
      restartCount: s.restartCount + 1,
      ...(s.lastState?.terminated
        ? {
            lastState: {
              terminated: {
                ...s.lastState.terminated,
                containerID: `containerd://run-${s.restartCount + 1}`,
              },
            },
          }
        : {}),
    }));
  return {
    ...pod,
    status: {
      ...pod.status,
      containerStatuses: bump(pod.status?.containerStatuses),
      initContainerStatuses: bump(pod.status?.initContainerStatuses),
    },
  };
}

describe('createLogCauses', () => {
  it('gives every step the cause a pass from scratch gives (all of diagnose, with the siblings)', () => {
    fc.assert(
      fc.property(fc.array(stepArb, { minLength: 1, maxLength: 20 }), (steps) => {
        const state = KEYS.map((_, i) => ({
          pool: i % POOL.length,
          pod: POOL[i % POOL.length]!.pod,
          events: undefined as readonly KubeEvent[] | undefined,
        }));
        const logs = new Map<string, CachedLog>();
        let siblings = rollout();
        const build = createRowBuilder();
        const kept = createLogCauses({ get: (t) => logs.get(targetKey(t)) });
        // From scratch: copies of everything, so no answer kept for an object is ever found again.
        const scratch = createLogCauses({
          get: (t) => {
            const log = logs.get(targetKey(t));
            return log?.state === 'done' ? { state: 'done', lines: [...log.lines] } : log;
          },
        });
        for (const step of steps) {
          if (step.kind === 'siblings') siblings = [...siblings];
          else {
            const s = state[step.key]!;
            if (step.kind === 'pod') Object.assign(s, { pool: step.pool, pod: { ...POOL[step.pool]!.pod } });
            if (step.kind === 'restart') s.pod = restartedOnce(s.pod);
            if (step.kind === 'events') s.events = step.some ? [...POOL[s.pool]!.events] : undefined;
            if (step.kind === 'log') {
              for (const target of logTargets(CONTEXT, s.pod)) {
                const own = POOL[s.pool]!.logs.get(target.container) ?? REFUSED;
                const log: CachedLog | undefined =
                  step.state === 'unasked'
                    ? undefined
                    : step.state === 'pending' || step.state === 'failed'
                      ? { state: step.state }
                      : {
                          state: 'done',
                          lines: step.state === 'own' ? own : step.state === 'refused' ? REFUSED : [],
                        };
                if (log === undefined) logs.delete(targetKey(target));
                else logs.set(targetKey(target), log);
              }
            }
          }
          const rows = build({
            pods: new Map(KEYS.map((key, i) => [key, { context: CONTEXT, pod: state[i]!.pod }])),
            events: new Map(KEYS.flatMap((key, i) => (state[i]!.events ? [[key, state[i]!.events!]] : []))),
          });
          KEYS.forEach((key, i) => {
            const { pod, events } = state[i]!;
            const row = rows[i]!;
            const targets = kept.targets(CONTEXT, pod);
            if (!row.unhealthy || targets.length === 0) return;
            const got = kept.row(row, targets, pod, events);
            expect(kept.row(row, targets, pod, events)).toBe(got);
            const copy = structuredClone(pod);
            const fresh = scratch.row(
              podRow(key, CONTEXT, copy, events && structuredClone(events)),
              logTargets(CONTEXT, copy),
              copy,
              events && structuredClone(events),
            );
            expect({ causeId: got.causeId, causePending: got.causePending }).toEqual({
              causeId: fresh.causeId,
              causePending: fresh.causePending,
            });
            const done = new Map(
              targets.flatMap((t) => {
                const log = logs.get(targetKey(t));
                return log?.state === 'done' ? [[t.container, log.lines] as const] : [];
              }),
            );
            if (done.size > 0) {
              const nowMs = row.crashLoop ? Number.NEGATIVE_INFINITY : undefined;
              const full = classify.diagnose({ pod, events, logs: done, context: CONTEXT, siblings, nowMs });
              expect(got.causeId).toBe(full.cause?.id);
            }
          });
        }
      }),
      {
        numRuns: 100,
        // Where a stale answer would show: events that change what a log says (a liveness kill with a refused
        // connection in its log), a log answered after a pending read, a new crash while its log is read.
        examples: [
          [
            [
              { kind: 'log', key: 2, state: 'refused' },
              { kind: 'events', key: 2, some: true },
            ],
          ],
          [
            [
              { kind: 'log', key: 0, state: 'pending' },
              { kind: 'log', key: 0, state: 'own' },
              { kind: 'restart', key: 0 },
              { kind: 'log', key: 0, state: 'pending' },
              { kind: 'siblings' },
            ],
          ],
          [
            [
              { kind: 'log', key: 0, state: 'own' },
              { kind: 'pod', key: 0, pool: 2 },
              { kind: 'log', key: 0, state: 'refused' },
            ],
          ],
        ],
      },
    );
  });

  it('classifies a row once while its pod, events and logs stay, whatever else changes', () => {
    const { pod, events, logs } = POOL[0]!;
    const [target] = logTargets(CONTEXT, pod);
    const causes = createLogCauses({ get: () => ({ state: 'done', lines: logs.get(target!.container)! }) });
    const row = podRow('k0', CONTEXT, pod, events);
    const first = causes.row(row, causes.targets(CONTEXT, pod), pod, events);
    expect(first.causeId).toBe('dependency-unreachable');
    expect(classifications(pod)).toBe(1);
    // Another snapshot: the row as it was, and a row rebuilt from the same pod.
    expect(causes.row(row, causes.targets(CONTEXT, pod), pod, events)).toBe(first);
    causes.row(podRow('k0', CONTEXT, pod, events), causes.targets(CONTEXT, pod), pod, events);
    expect(classifications(pod)).toBe(1);
    // The same events merged once more (a count and a time higher): no new evidence, not classified again.
    const bumped = events.map((e) => ({ ...e, count: (e.count ?? 1) + 1 }));
    causes.row(row, causes.targets(CONTEXT, pod), pod, bumped);
    expect(classifications(pod)).toBe(1);
    // A new event: classified again.
    const probe = {
      involvedObject: { kind: 'Pod', namespace: pod.metadata.namespace, name: pod.metadata.name },
      reason: 'Unhealthy',
      type: 'Warning',
      message: 'Liveness probe failed: context deadline exceeded',
    };
    causes.row(row, causes.targets(CONTEXT, pod), pod, [...bumped, probe]);
    expect(classifications(pod)).toBe(2);
  });

  it('classifies a row again when its crash loop ends on the clock (the same pod object)', () => {
    const { pod, events, logs } = POOL[0]!;
    const [target] = logTargets(CONTEXT, pod);
    const causes = createLogCauses({ get: () => ({ state: 'done', lines: logs.get(target!.container)! }) });
    const row = podRow('k0', CONTEXT, pod, events);
    causes.row({ ...row, crashLoop: true }, causes.targets(CONTEXT, pod), pod, events);
    causes.row({ ...row, crashLoop: false }, causes.targets(CONTEXT, pod), pod, events);
    expect(classifications(pod)).toBe(2);
    expect(vi.mocked(classify.diagnoseCause).mock.calls.at(-1)?.[0].nowMs).toBeUndefined();
  });

  it('gives the same targets for the same pod object', () => {
    const causes = createLogCauses({ get: () => undefined });
    const { pod } = POOL[0]!;
    expect(causes.targets(CONTEXT, pod)).toBe(causes.targets(CONTEXT, pod));
    expect(causes.targets(CONTEXT, pod)).toEqual(logTargets(CONTEXT, pod));
    expect(causes.targets('staging', pod)).toEqual(logTargets('staging', pod));
  });
});
