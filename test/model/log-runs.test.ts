import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { containerStatus, exitOf, newerRun, runEndText, servedRun } from '../../src/model/log-runs.js';
import type { Pod } from '../../src/model/pod.js';

// Which container instance `kubectl logs` reads, and what the log view writes when one ends, from the
// status the kubelet publishes at each step of a crash loop (times relative to 14:00:00Z).

const NOW = Date.parse('2026-11-25T14:00:00Z');
const clockTime = (ms: number) => new Date(ms).toISOString().slice(11, 19);

function pod(statusYaml: string, spec = 'containers: [{ name: app, image: app:1 }]'): Pod {
  return parse(`
metadata: { name: web, namespace: shop }
spec: { ${spec} }
status:
  containerStatuses:
    - ${statusYaml.trim().split('\n').join('\n      ')}
`) as Pod;
}

const crashed = `{ exitCode: 1, reason: Error, startedAt: "2026-11-25T13:59:40Z", finishedAt: "2026-11-25T13:59:50Z", containerID: "c://r3" }`;

const cases: { name: string; status: string; spec?: string; served?: string; text: string }[] = [
  {
    name: 'waiting in CrashLoopBackOff: the crashed run is served; the kubelet message gives the wait',
    status: `name: app
ready: false
restartCount: 3
containerID: c://r3
state: { waiting: { reason: CrashLoopBackOff, message: "back-off 40s restarting failed container=app pod=web_shop(1)" } }
lastState: { terminated: ${crashed} }`,
    served: 'c://r3',
    text: 'exited 1 (Error) at 13:59:50 · restart 4 due 14:00:30',
  },
  {
    name: 'terminated, not yet backing off: the wait is estimated from restartCount',
    status: `name: app
ready: false
restartCount: 3
containerID: c://r3
state: { terminated: ${crashed} }`,
    served: 'c://r3',
    text: 'exited 1 (Error) at 13:59:50 · restart 4 due ~14:00:30',
  },
  {
    name: 'the next run already started: its start is named',
    status: `name: app
ready: true
restartCount: 4
containerID: c://r4
state: { running: { startedAt: "2026-11-25T13:59:55Z" } }
lastState: { terminated: ${crashed} }`,
    served: 'c://r4',
    text: 'exited 1 (Error) at 13:59:50 · restart 4 at 13:59:55',
  },
  {
    name: 'restartPolicy Never: no restart',
    spec: 'restartPolicy: Never, containers: [{ name: app, image: app:1 }]',
    status: `name: app
ready: false
restartCount: 0
containerID: c://r3
state: { terminated: ${crashed} }`,
    served: 'c://r3',
    text: 'exited 1 (Error) at 13:59:50 · not restarted (restartPolicy Never)',
  },
  {
    name: 'OOMKilled with a signal',
    status: `name: app
ready: false
restartCount: 0
containerID: c://r3
state: { terminated: { exitCode: 137, signal: 9, reason: OOMKilled, startedAt: "2026-11-25T13:59:40Z", finishedAt: "2026-11-25T13:59:50Z", containerID: "c://r3" } }`,
    served: 'c://r3',
    text: 'exited 137 (OOMKilled, signal 9) at 13:59:50 · restart 1 now',
  },
  {
    name: 'a reason with a carriage return stays inside its parentheses',
    status: `name: app
ready: false
restartCount: 0
containerID: c://r3
state: { terminated: { exitCode: 1, reason: "x\\rexited 0 (Completed", startedAt: "2026-11-25T13:59:40Z", finishedAt: "2026-11-25T13:59:50Z", containerID: "c://r3" } }`,
    served: 'c://r3',
    text: 'exited 1 (exited 0 (Completed) at 13:59:50 · restart 1 now',
  },
];

describe('runEndText', () => {
  it.each(cases)('$name', ({ status, spec, served, text }) => {
    const p = pod(status, spec);
    const container = containerStatus(p, 'app')!;
    expect(servedRun(container.status)).toBe(served);
    expect(runEndText('c://r3', { pod: p, container, serverNowMs: NOW, clockTime })).toBe(text);
  });

  it('says nothing until the status records the exit of that run', () => {
    const p = pod(`name: app
ready: true
restartCount: 3
containerID: c://r3
state: { running: { startedAt: "2026-11-25T13:59:40Z" } }`);
    const container = containerStatus(p, 'app')!;
    expect(exitOf(container.status, 'c://r3')).toBeUndefined();
    expect(newerRun(container.status, 'c://r3')).toBeUndefined();
    expect(runEndText('c://r3', { pod: p, container, serverNowMs: NOW, clockTime })).toBeUndefined();
  });

  it('an init container that completed is just done', () => {
    const p = parse(`
metadata: { name: web, namespace: shop }
spec: { initContainers: [{ name: init, image: i:1 }], containers: [{ name: app, image: app:1 }] }
status:
  initContainerStatuses:
    - { name: init, ready: true, restartCount: 0, containerID: c://i1, state: { terminated: { exitCode: 0, reason: Completed, finishedAt: "2026-11-25T13:59:00Z", containerID: c://i1 } } }
`) as Pod;
    const container = containerStatus(p, 'init')!;
    expect(container.init).toBe(true);
    expect(runEndText('c://i1', { pod: p, container, serverNowMs: NOW, clockTime })).toBe(
      'exited 0 (Completed) at 13:59:00',
    );
  });
});
