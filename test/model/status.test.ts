import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Container, Pod } from '../../src/model/pod.js';
import {
  effectiveRestartPolicy,
  failingContainers,
  formatRestarts,
  isUnhealthy,
  podSummary,
} from '../../src/model/status.js';

const NOW = Date.parse('2026-11-25T15:00:00Z');

function loadPod(file: string): Pod {
  return parse(readFileSync(new URL(`../fixtures/status/${file}`, import.meta.url), 'utf8')) as Pod;
}

interface Case {
  file: string;
  status: string;
  ready: string;
  restarts: string;
  /** Failing containers, first one first; init containers prefixed with "init:". */
  failing: string[];
  unhealthy: boolean;
}

// Expected values are what `kubectl get pod` (printPod) prints for these pods at NOW; the cases marked
// "printers_test" are ported from kubernetes/kubernetes pkg/printers/internalversion/printers_test.go
// (TestPrintPod, TestPrintPodWithRestartableInitContainer).
const cases: Case[] = [
  { file: 'running.yaml', status: 'Running', ready: '1/1', restarts: '0', failing: [], unhealthy: false },
  {
    file: 'running-not-ready.yaml',
    status: 'Running',
    ready: '0/1',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'running-old-restarts.yaml',
    status: 'Running',
    ready: '1/1',
    restarts: '3 (5d ago)',
    failing: [],
    unhealthy: false,
  },
  {
    file: 'pending-unschedulable.yaml',
    status: 'Pending',
    ready: '0/1',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'scheduling-gated.yaml',
    status: 'SchedulingGated',
    ready: '0/2',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'container-creating.yaml',
    status: 'ContainerCreating',
    ready: '0/1',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'pod-initializing.yaml',
    status: 'PodInitializing',
    ready: '0/1',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'init-0-of-2.yaml',
    status: 'Init:0/2',
    ready: '0/1',
    restarts: '3 (10s ago)',
    failing: ['init:wait-for-db'],
    unhealthy: true,
  },
  {
    file: 'init-1-of-3.yaml',
    status: 'Init:1/3',
    ready: '0/1',
    restarts: '5 (10s ago)',
    failing: ['init:migrate'],
    unhealthy: true,
  },
  {
    file: 'init-crashloopbackoff.yaml',
    status: 'Init:CrashLoopBackOff',
    ready: '0/1',
    restarts: '4 (3m ago)',
    failing: ['init:migrate'],
    unhealthy: true,
  },
  {
    file: 'init-error.yaml',
    status: 'Init:Error',
    ready: '0/1',
    restarts: '2 (50s ago)',
    failing: ['init:migrate'],
    unhealthy: true,
  },
  {
    file: 'init-oomkilled.yaml',
    status: 'Init:OOMKilled',
    ready: '0/1',
    restarts: '0',
    failing: ['init:warm-cache'],
    unhealthy: true,
  },
  {
    file: 'init-exitcode.yaml',
    status: 'Init:ExitCode:3',
    ready: '0/1',
    restarts: '0',
    failing: ['init:check-config'],
    unhealthy: true,
  },
  {
    file: 'init-signal.yaml',
    status: 'Init:Signal:9',
    ready: '0/1',
    restarts: '0',
    failing: ['init:check-config'],
    unhealthy: true,
  },
  {
    file: 'sidecar-ready.yaml',
    status: 'Running',
    ready: '2/2',
    restarts: '1 (5m ago)',
    failing: [],
    unhealthy: false,
  },
  {
    file: 'sidecar-crashloop-initialized.yaml',
    status: 'Init:CrashLoopBackOff',
    ready: '1/2',
    restarts: '5 (3m ago)',
    failing: ['init:proxy'],
    unhealthy: true,
  },
  {
    file: 'sidecars-restartable.yaml',
    status: 'Running',
    ready: '1/3',
    restarts: '7 (10s ago)',
    failing: ['init:restartable-init-1'],
    unhealthy: true,
  },
  {
    file: 'sidecars-succeeded.yaml',
    status: 'Completed',
    ready: '0/3',
    restarts: '7 (10s ago)',
    failing: [],
    unhealthy: false,
  },
  {
    file: 'crashloopbackoff.yaml',
    status: 'CrashLoopBackOff',
    ready: '0/1',
    restarts: '7 (3m ago)',
    failing: ['app'],
    unhealthy: true,
  },
  {
    file: 'error.yaml',
    status: 'Error',
    ready: '0/1',
    restarts: '3 (65s ago)',
    failing: ['orders'],
    unhealthy: true,
  },
  {
    file: 'oomkilled.yaml',
    status: 'OOMKilled',
    ready: '0/1',
    restarts: '0',
    failing: ['search'],
    unhealthy: true,
  },
  {
    file: 'exitcode.yaml',
    status: 'ExitCode:1',
    ready: '0/1',
    restarts: '1 (2m ago)',
    failing: ['legacy'],
    unhealthy: true,
  },
  { file: 'completed.yaml', status: 'Completed', ready: '0/1', restarts: '0', failing: [], unhealthy: false },
  {
    file: 'exit-zero-loop.yaml',
    status: 'Completed',
    ready: '0/1',
    restarts: '4 (118s ago)',
    failing: ['oneshot'],
    unhealthy: true,
  },
  {
    file: 'completed-and-running-not-ready.yaml',
    status: 'NotReady',
    ready: '1/2',
    restarts: '6',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'completed-and-running-ready.yaml',
    status: 'Running',
    ready: '1/2',
    restarts: '6',
    failing: [],
    unhealthy: false,
  },
  {
    file: 'restart-rules-exit-code.yaml',
    status: 'Error',
    ready: '0/2',
    restarts: '2 (90s ago)',
    failing: ['trainer', 'exporter'],
    unhealthy: true,
  },
  {
    file: 'two-containers-first-wins.yaml',
    status: 'CrashLoopBackOff',
    ready: '0/2',
    restarts: '6 (90s ago)',
    failing: ['api', 'worker'],
    unhealthy: true,
  },
  {
    file: 'running-after-crash-beside-crashloop.yaml',
    status: 'CrashLoopBackOff',
    ready: '0/2',
    restarts: '8 (2m ago)',
    failing: ['worker', 'api'],
    unhealthy: true,
  },
  {
    file: 'terminating.yaml',
    status: 'Terminating',
    ready: '1/1',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'terminating-pending.yaml',
    status: 'Terminating',
    ready: '0/1',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  {
    file: 'terminating-succeeded.yaml',
    status: 'Completed',
    ready: '0/1',
    restarts: '0',
    failing: [],
    unhealthy: false,
  },
  {
    file: 'unknown-node-lost.yaml',
    status: 'Unknown',
    ready: '1/1',
    restarts: '0',
    failing: [],
    unhealthy: true,
  },
  { file: 'evicted.yaml', status: 'Evicted', ready: '0/1', restarts: '0', failing: [], unhealthy: true },
  {
    file: 'evicted-container-unknown.yaml',
    status: 'ContainerStatusUnknown',
    ready: '0/1',
    restarts: '0',
    failing: ['shipper'],
    unhealthy: true,
  },
  {
    file: 'image-pull-backoff.yaml',
    status: 'ImagePullBackOff',
    ready: '0/1',
    restarts: '0',
    failing: ['web'],
    unhealthy: true,
  },
  {
    file: 'create-container-config-error.yaml',
    status: 'CreateContainerConfigError',
    ready: '0/1',
    restarts: '0',
    failing: ['app'],
    unhealthy: true,
  },
];

describe.each(cases)('$file', ({ file, status, ready, restarts, failing, unhealthy }) => {
  const pod = loadPod(file);

  it(`prints STATUS ${status}, READY ${ready}, RESTARTS ${restarts}`, () => {
    const summary = podSummary(pod);
    expect({ status: summary.status, ready: summary.ready }).toEqual({ status, ready });
    expect(formatRestarts(summary, NOW)).toBe(restarts);
  });

  it(`fails in ${failing.length === 0 ? 'no container' : failing.join(', ')}`, () => {
    expect(failingContainers(pod).map((c) => (c.init ? `init:${c.name}` : c.name))).toEqual(failing);
  });

  it(`is ${unhealthy ? '' : 'not '}unhealthy`, () => {
    expect(isUnhealthy(pod)).toBe(unhealthy);
  });
});

describe('an init container reason from the cluster', () => {
  it.each([
    ['terminated', 'x\rRunning', 'Init:Running'],
    ['waiting', 'x\u001b]0;t\u0007\rCompleted', 'Init:Completed'],
  ])('%s: a carriage return in it cannot erase the Init: prefix', (state, reason, status) => {
    const pod = loadPod('init-error.yaml');
    const init = pod.status!.initContainerStatuses![0]!;
    init.state = state === 'terminated' ? { terminated: { exitCode: 1, reason } } : { waiting: { reason } };
    expect(podSummary(pod).status).toBe(status);
  });
});

describe('podSummary details', () => {
  it('keeps the RFC 3339 time of the newest restart', () => {
    expect(podSummary(loadPod('two-containers-first-wins.yaml')).lastRestartAt).toBe('2026-11-25T14:58:30Z');
    expect(podSummary(loadPod('running.yaml')).lastRestartAt).toBeUndefined();
  });

  it('ignores statuses of containers the spec does not declare (printers_test restartable test4)', () => {
    const pod: Pod = {
      metadata: { name: 'test4' },
      spec: {
        initContainers: [{ name: 'init1' }, { name: 'sidecar1', restartPolicy: 'Always' }],
        containers: [{ name: 'container1' }],
      },
      status: {
        phase: 'Running',
        initContainerStatuses: [
          { name: 'initinvalid', ready: false, restartCount: 0 },
          { name: 'init1', ready: false, restartCount: 0 },
          { name: 'sidecar1', ready: false, restartCount: 0 },
        ],
        containerStatuses: [
          { name: 'containerinvalid', ready: false, restartCount: 0 },
          { name: 'container1', ready: false, restartCount: 0 },
        ],
      },
    };
    expect(podSummary(pod)).toEqual({ status: 'Init:0/2', ready: '0/2', restarts: 0 });
  });

  it('prints the phase when no container says otherwise (printers_test test1, test4, test5)', () => {
    const pod: Pod = {
      metadata: { name: 'test5' },
      spec: { containers: [{ name: 'a' }, { name: 'b' }] },
      status: {
        phase: 'podPhase',
        containerStatuses: [
          { name: 'a', ready: true, restartCount: 3, state: { running: {} } },
          { name: 'b', ready: true, restartCount: 3 },
        ],
      },
    };
    expect(podSummary(pod)).toEqual({ status: 'podPhase', ready: '1/2', restarts: 6 });
    const withReason = { ...pod, status: { ...pod.status, reason: 'podReason' } };
    expect(podSummary(withReason).status).toBe('podReason');
  });
});

describe('formatRestarts', () => {
  it.each([
    [{ status: 'Running', ready: '1/1', restarts: 0 }, '0'],
    [{ status: 'Running', ready: '1/1', restarts: 0, lastRestartAt: '2026-11-25T14:59:00Z' }, '0'],
    [{ status: 'Running', ready: '1/1', restarts: 7 }, '7'],
    [{ status: 'Running', ready: '1/1', restarts: 7, lastRestartAt: '2026-11-25T14:57:00Z' }, '7 (3m ago)'],
    [{ status: 'Running', ready: '1/1', restarts: 2, lastRestartAt: '2026-11-25T15:00:01Z' }, '2 (0s ago)'],
    [
      { status: 'Running', ready: '1/1', restarts: 2, lastRestartAt: '2026-11-25T15:00:05Z' },
      '2 (<invalid> ago)',
    ],
  ])('%j reads %s', (summary, text) => {
    expect(formatRestarts(summary, NOW)).toBe(text);
  });
});

describe('effectiveRestartPolicy', () => {
  const pod = (restartPolicy?: string): Pod => ({
    metadata: { name: 'p' },
    spec: {
      ...(restartPolicy === undefined ? {} : { restartPolicy }),
      initContainers: [{ name: 'init' }, { name: 'sidecar', restartPolicy: 'Always' }],
      containers: [{ name: 'app' }, { name: 'own', restartPolicy: 'Never' }],
    },
  });

  it.each([
    [undefined, 'app', false, 'Always'],
    ['OnFailure', 'app', false, 'OnFailure'],
    ['Never', 'app', false, 'Never'],
    ['Always', 'own', false, 'Never'],
    ['Always', 'init', true, 'OnFailure'],
    ['OnFailure', 'init', true, 'OnFailure'],
    ['Never', 'init', true, 'Never'],
    ['Never', 'sidecar', true, 'Always'],
  ])('pod %s, container %s (init %s) → %s', (podPolicy, name, init, expected) => {
    expect(effectiveRestartPolicy(pod(podPolicy), name, init)).toBe(expected);
  });
});

// ContainerShouldRestart in kubernetes/kubernetes pkg/api/v1/pod/util.go: rules first (first match wins), then
// the container's own policy, and rules count only when the container sets its own policy.
describe('effectiveRestartPolicy with restartPolicyRules', () => {
  const withRules = (container: Partial<Container>, podPolicy = 'Never'): Pod => ({
    metadata: { name: 'p' },
    spec: { restartPolicy: podPolicy, containers: [{ name: 'app', ...container }] },
  });
  const restartOn = (operator: string, values: number[], action = 'Restart') => ({
    action,
    exitCodes: { operator, values },
  });

  it.each<[string, Partial<Container>, number, string]>([
    ['In matches', { restartPolicy: 'Never', restartPolicyRules: [restartOn('In', [42])] }, 42, 'Always'],
    [
      'In does not match',
      { restartPolicy: 'Never', restartPolicyRules: [restartOn('In', [42])] },
      1,
      'Never',
    ],
    [
      'NotIn matches',
      { restartPolicy: 'Never', restartPolicyRules: [restartOn('NotIn', [0, 2])] },
      1,
      'Always',
    ],
    [
      'NotIn excludes',
      { restartPolicy: 'Never', restartPolicyRules: [restartOn('NotIn', [0, 2])] },
      2,
      'Never',
    ],
    [
      'first match wins, even with an action this version does not know',
      {
        restartPolicy: 'Never',
        restartPolicyRules: [restartOn('In', [3], 'FutureAction'), restartOn('NotIn', [0])],
      },
      3,
      'Never',
    ],
    [
      'RestartAllContainers restarts this container too',
      { restartPolicy: 'Never', restartPolicyRules: [restartOn('In', [7], 'RestartAllContainers')] },
      7,
      'Always',
    ],
    [
      'an unknown operator never matches',
      { restartPolicy: 'Never', restartPolicyRules: [restartOn('Gt', [1])] },
      9,
      'Never',
    ],
    [
      'no rule matched: the own policy',
      { restartPolicy: 'OnFailure', restartPolicyRules: [restartOn('In', [42])] },
      1,
      'OnFailure',
    ],
    ['rules without an own policy are ignored', { restartPolicyRules: [restartOn('In', [42])] }, 42, 'Never'],
  ])('%s', (_name, container, exitCode, expected) => {
    expect(effectiveRestartPolicy(withRules(container), 'app', false, exitCode)).toBe(expected);
  });

  it('defaults the exit code to the latest exit in the status', () => {
    const pod = loadPod('restart-rules-exit-code.yaml');
    expect(effectiveRestartPolicy(pod, 'trainer', false)).toBe('Always');
    expect(effectiveRestartPolicy(pod, 'exporter', false)).toBe('Never');
  });

  it('does not evaluate rules for init containers: their own policy decides', () => {
    const pod: Pod = {
      metadata: { name: 'p' },
      spec: {
        initContainers: [
          { name: 'fetch', restartPolicy: 'Never', restartPolicyRules: [restartOn('In', [1])] },
        ],
        containers: [{ name: 'app' }],
      },
    };
    expect(effectiveRestartPolicy(pod, 'fetch', true, 1)).toBe('Never');
  });
});
