import { describe, expect, it } from 'vitest';
import { buildPodReport } from '../../src/model/report.js';
import { loadPodFixture } from './classify/pod-fixture.js';

const OOM_EVIDENCE = [
  'lastState.terminated.reason: OOMKilled',
  'lastState.terminated.exitCode: 137',
  'resources.limits.memory: 512Mi',
];
const OOM_FIX =
  '-Xmx768m on a 512Mi limit: the JVM may grow past the limit. Raise the memory limit of container app in deployment/payments-api to 960Mi to fit -Xmx768m (kubectl set resources), or lower the heap to -Xmx400m in JAVA_OPTS to fit the 512Mi limit (kubectl set env).';
const OOM_COMMANDS = [
  'kubectl --context prod set resources deployment/payments-api -n shop -c app --limits=memory=960Mi',
  "kubectl --context prod set env deployment/payments-api -n shop -c app 'JAVA_OPTS=-Xms256m -Xmx400m'",
  'kubectl --context prod logs payments-api-7d9f8c6b5-abc12 -n shop -c app --previous',
  'kubectl --context prod describe pod payments-api-7d9f8c6b5-abc12 -n shop',
];

// DESIGN.md §3, field for field and in the same key order.
const GOLDEN = {
  context: 'prod',
  namespace: 'shop',
  name: 'payments-api-7d9f8c6b5-abc12',
  status: 'CrashLoopBackOff',
  ready: '0/1',
  restarts: 7,
  owner: { kind: 'Deployment', name: 'payments-api' },
  cause: {
    id: 'oom-killed',
    container: 'app',
    confidence: 'high',
    title: 'Killed by the memory cgroup: the container went over its memory limit',
    evidence: OOM_EVIDENCE,
    fix: OOM_FIX,
    commands: OOM_COMMANDS,
  },
  containers: [
    {
      name: 'app',
      init: false,
      state: 'waiting',
      reason: 'CrashLoopBackOff',
      restartCount: 7,
      lastExit: { exitCode: 137, reason: 'OOMKilled', finishedAt: '2026-11-25T14:02:11Z' },
      backoff: { seconds: 160, source: 'message', nextRestartAt: '2026-11-25T14:04:51Z' },
      cause: {
        id: 'oom-killed',
        confidence: 'high',
        evidence: OOM_EVIDENCE,
        fix: OOM_FIX,
        commands: OOM_COMMANDS,
      },
    },
  ],
};

describe('buildPodReport', () => {
  it('matches the explain -o json contract exactly, key order included', () => {
    const report = buildPodReport({
      ...loadPodFixture('oom-killed--java-heap'),
      context: 'prod',
      // Read from the server, with no GitOps owner on it: the fix's kubectl commands are the fix.
      workload: { found: { labels: { app: 'payments-api' } } },
    });
    expect(report).toStrictEqual(GOLDEN);
    expect(JSON.stringify(report)).toBe(JSON.stringify(GOLDEN));
  });

  it('lists init containers first and gives a cause only to failing containers', () => {
    const report = buildPodReport({
      ...loadPodFixture('dependency-unreachable--sidecar-vault-agent'),
      context: 'dev',
    });
    expect(report.status).toBe('Init:CrashLoopBackOff');
    expect(report.cause?.container).toBe('vault-agent');
    expect(report.containers.map((c) => [c.name, c.init, c.state, c.cause?.id])).toEqual([
      ['vault-agent', true, 'waiting', 'dependency-unreachable'],
      ['app', false, 'running', undefined],
    ]);
    expect(report.containers[1]).toStrictEqual({
      name: 'app',
      init: false,
      state: 'running',
      restartCount: 0,
    });
  });

  it('a healthy pod has no cause and no backoff', () => {
    const input = loadPodFixture('exit-zero--multi-container');
    input.pod.status!.containerStatuses = input.pod.status!.containerStatuses!.filter(
      (c) => c.name === 'gateway',
    );
    const report = buildPodReport({ ...input, context: 'dev' });
    expect(report.cause).toBeUndefined();
    expect('cause' in report).toBe(false);
    expect(report.containers).toStrictEqual([
      { name: 'gateway', init: false, state: 'running', restartCount: 0 },
    ]);
  });

  it('estimates the backoff when the kubelet message is missing, and says so', () => {
    const input = loadPodFixture('oom-killed--java-heap');
    delete input.pod.status!.containerStatuses![0]!.state!.waiting!.message;
    const report = buildPodReport({
      ...input,
      context: 'prod',
      curve: { initialMs: 1000, maxMs: 60_000 },
    });
    expect(report.containers[0]!.backoff).toStrictEqual({
      seconds: 60,
      source: 'estimate',
      nextRestartAt: '2026-11-25T14:03:11Z',
    });
  });

  it('carries the last lines of the termination message in lastExit, after its other fields', () => {
    const report = buildPodReport({
      ...loadPodFixture('app-error--termination-message-fallback'),
      context: 'dev',
    });
    expect(report.containers[0]!.lastExit).toStrictEqual({
      exitCode: 1,
      reason: 'Error',
      finishedAt: '2026-11-25T14:26:02Z',
      terminationMessage: [
        '2026-11-25 14:26:01,118 INFO scorer.main: loading rules from /etc/fraud/rules.json',
        'Traceback (most recent call last):',
        '  File "/app/scorer/main.py", line 22, in <module>',
        '    rules = json.load(f)',
        "json.decoder.JSONDecodeError: Expecting ',' delimiter: line 41 column 5 (char 1187)",
      ],
    });
    expect(Object.keys(report.containers[0]!.lastExit!)).toEqual([
      'exitCode',
      'reason',
      'finishedAt',
      'terminationMessage',
    ]);
  });

  it('has no terminationMessage when the exit left none', () => {
    const report = buildPodReport({ ...loadPodFixture('oom-killed--java-heap'), context: 'prod' });
    expect('terminationMessage' in report.containers[0]!.lastExit!).toBe(false);
  });
});
