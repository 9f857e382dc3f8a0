import { describe, expect, it } from 'vitest';
import { firstMatch } from '../../../src/model/classify/classify.js';
import { containerFacts } from '../../../src/model/classify/signals.js';
import { failingContainers } from '../../../src/model/status.js';
import { loadPodFixture, loadRealFixture } from './pod-fixture.js';

// Each trap of DESIGN.md §2 is its own named rule; these pin which rule decides each trap fixture, so a
// reordering of the table that lets a look-alike win fails here by name.
const TRAPS = [
  { fixture: 'oom-killed--exit-255', rule: 'oomkilled-whatever-the-exit-code', not: 'app-error' },
  { fixture: 'liveness-probe--completed-exit-0', rule: 'probe-kill-looks-like-clean-exit', not: 'exit-zero' },
  { fixture: 'liveness-probe--error-137', rule: 'probe-kill-looks-like-clean-exit', not: 'unknown' },
  { fixture: 'liveness-probe--sigterm-143', rule: 'probe-kill-looks-like-clean-exit', not: 'unknown' },
  {
    fixture: 'liveness-probe--startup-probe',
    rule: 'probe-kill-looks-like-clean-exit',
    not: 'dependency-unreachable',
  },
  { fixture: 'app-error--go-panic-sigsegv', rule: 'go-panic-mentions-sigsegv', not: 'segfault' },
  {
    fixture: 'bad-command--entrypoint-permission-denied',
    rule: 'entrypoint-not-executable',
    not: 'permission-denied',
  },
  { fixture: 'bad-command--script-exit-126', rule: 'entrypoint-not-executable', not: 'permission-denied' },
  {
    fixture: 'dependency-unreachable--postgres-refused',
    rule: 'dependency-down-not-app-error',
    not: 'app-error',
  },
  {
    fixture: 'dependency-unreachable--java-connect-exception',
    rule: 'dependency-down-not-app-error',
    not: 'app-error',
  },
  { fixture: 'missing-config--optional-env-empty', rule: 'optional-config-left-env-empty', not: 'app-error' },
  { fixture: 'permission-denied--run-as-non-root', rule: 'run-as-non-root-rejected', not: 'missing-config' },
];

// Traps seen in the real-report corpus (tuning part only: the holdout is never tuned on), one per rule that
// decides them; `not` is what the look-alike evidence alone would suggest.
const REAL_TRAPS = [
  // Docker-era kubelet wording of a probe kill, status only `Error` 143.
  { slug: 'es-data-docker-era-liveness-kill', rule: 'probe-kill-looks-like-clean-exit', not: 'unknown' },
  // The start error is only in a Failed event (Docker), the status says ContainerCannotRun 126.
  { slug: 'galera-entrypoint-permission-denied', rule: 'entrypoint-not-executable', not: 'unknown' },
  // runc's `exec user process caused: permission denied` in the log: the binary lacks its exec bit.
  {
    slug: 'kafka-lag-exporter-binary-not-world-executable',
    rule: 'entrypoint-not-executable',
    not: 'permission-denied',
  },
  // `/bin/sh: 1: /bin/fortuneloop.sh: Permission denied` with exit 126: not the app's file permissions.
  {
    slug: 'fortune-html-generator-script-not-executable',
    rule: 'entrypoint-not-executable',
    not: 'permission-denied',
  },
  // `exec: "./user": stat ./user: no such file or directory` in a Failed event; the status is ContainerCannotRun.
  { slug: 'deathstarbench-hotel-user-stat-no-such-file', rule: 'command-cannot-start', not: 'unknown' },
  // A runtime mount error (read-only file system) at start is not the app's permission problem.
  {
    slug: 'splunk-fluentd-aks-serviceaccount-mount-read-only',
    rule: 'no-rule-matched',
    not: 'permission-denied',
  },
  // A wrapper shell prints `Segmentation fault (core dumped)` and exits with its own code.
  { slug: 'slate-api-entrypoint-segfault-gke', rule: 'segfault-printed-by-wrapper', not: 'app-error' },
  // The JVM's `#  SIGSEGV (0xb)` report, then abort (134).
  {
    slug: 'spring-boot-temurin-alpine-jvm-sigsegv-pc-3fd6',
    rule: 'segfault-printed-by-wrapper',
    not: 'app-error',
  },
  // A slow start killed by the liveness probe, no probe event kept: exit 137 and a probe in the spec.
  { slug: 'lakefs-slow-startup-liveness', rule: 'killed-with-a-liveness-probe', not: 'unknown' },
  // Apache caught SIGTERM and exited 0: stopped from outside, not an exit of its own.
  { slug: 'bookstack-apache-child-segv-then-sigterm', rule: 'no-rule-matched', not: 'exit-zero' },
  // Connection refused, then klog's `exiting because of error: … cannot create log`: the log file, not the API.
  {
    slug: 'kops-coredns-131-cannot-create-log-tmp',
    rule: 'fatal-error-in-log',
    not: 'dependency-unreachable',
  },
  // A wait loop's time-out is an unreachable dependency, not an app error.
  {
    slug: 'bitnami-keycloak-config-cli-postgres-port-inuse-timeout',
    rule: 'dependency-down-not-app-error',
    not: 'unknown',
  },
  // Docker 1.9 reported the memory-cgroup kill as Error 137: a memory limit and no probe that could have killed it.
  { slug: 'memtest-137-reason-error-docker-1-9', rule: 'docker-kill-under-memory-limit', not: 'unknown' },
  // The kubelet of 2015 (dockertools) wrote the memory-cgroup kill as `OOM Killed`, with a space.
  {
    slug: 'simmemleak-2015-oom-killed-old-wording',
    rule: 'oomkilled-whatever-the-exit-code',
    not: 'unknown',
  },
  // A wait-for-it.sh time-out names the service it waited for.
  {
    slug: 'flagsmith-wait-for-db-local-postgres-disabled',
    rule: 'dependency-down-not-app-error',
    not: 'unknown',
  },
  // kube-dns's wait loop for the API server ends in a klog fatal line that names no connection error.
  {
    slug: 'cilium-flannel-kube-dns-timeout-waiting-for-apiserver',
    rule: 'dependency-wait-loop',
    not: 'unknown',
  },
];

// What `high` means (issue 10): evidence that cannot be read two ways. A generic error line with an exit of the
// process's own is an app error at most at `medium`; a fatal form (a traceback, a panic, `[emerg]`) is `high`.
const CONFIDENCE = [
  // `wget: error getting response: Connection reset by peer`, exit 1: an error, in no fatal form.
  { slug: 'init-demo-busybox-wget-tls-reset', rule: 'error-in-log', confidence: 'medium' },
  { slug: 'kured-561-invalid-metrics-port-env', rule: 'error-in-log', confidence: 'medium' },
  // Ruby's uncaught exception: `message (ArgumentError)` then `from …` lines.
  { slug: 'exchange-rails-secret-key-base-renamed', rule: 'fatal-error-in-log', confidence: 'high' },
  { slug: 'nginx-pod-worker-processes-missing-semicolon', rule: 'fatal-error-in-log', confidence: 'high' },
  // A Go panic behind a log collector's prefix (`Thu, Jun 30 2022 11:08:02 am | panic: …`), exit 2.
  { slug: 'k6-operator-parsecli-index-out-of-range', rule: 'go-panic-mentions-sigsegv', confidence: 'high' },
  // client-go's `Observed a panic: …`, exit 2.
  {
    slug: 'grafana-operator-v4-dashboard-cache-nil-pointer',
    rule: 'go-panic-mentions-sigsegv',
    confidence: 'high',
  },
];

function crashedFacts(slug: string) {
  const input = loadRealFixture(slug);
  // The container that crashed, even when it runs again between crashes (choosing it is status.ts's job).
  const [first] = [
    ...failingContainers(input.pod),
    ...(input.pod.status?.containerStatuses ?? [])
      .filter((status) => status.lastState?.terminated)
      .map((status) => ({ name: status.name, init: false, status })),
  ];
  return containerFacts(input.pod, first!, input.events ?? [], input.logs?.get(first!.name) ?? []);
}

describe('confidence', () => {
  it.each(CONFIDENCE)(
    'real report $slug is decided by $rule at $confidence',
    ({ slug, rule, confidence }) => {
      const match = firstMatch(crashedFacts(slug));
      expect(match.rule.name).toBe(rule);
      expect(match.rule.confidence).toBe(confidence);
    },
  );

  it('an error line is no app error when the process was killed from outside (137, 143)', () => {
    const facts = crashedFacts('init-demo-busybox-wget-tls-reset');
    for (const exitCode of [137, 143]) {
      const killed = { ...facts, lastExit: { ...facts.lastExit!, exitCode } };
      expect(firstMatch(killed).rule.cause).not.toBe('app-error');
    }
  });

  it('a connection failure followed by an error of another kind is only medium', () => {
    const facts = crashedFacts('backstage-backend-postgres-not-ready-econnrefused');
    expect(firstMatch(facts)).toMatchObject({
      rule: { name: 'dependency-down-not-app-error', confidence: 'high' },
    });
    const followed = { ...facts, logs: [...facts.logs, 'ERROR: giving up after 3 attempts'] };
    expect(firstMatch(followed)).toMatchObject({
      rule: { name: 'dependency-down-then-other-error', confidence: 'medium' },
    });
  });

  it('Error 137 under a memory limit is a likely OOM on Docker only: other runtimes report OOMKilled', () => {
    const facts = crashedFacts('memtest-137-reason-error-docker-1-9');
    expect(firstMatch(facts).rule.name).toBe('docker-kill-under-memory-limit');
    const containerd = {
      ...facts,
      lastExit: { ...facts.lastExit!, containerID: 'containerd://0123' },
      status: { ...facts.status, containerID: 'containerd://0123' },
    };
    expect(firstMatch(containerd).rule.cause).toBe('unknown');
  });

  it('a fatal form after a wait loop is the wait giving up, not a sure app error', () => {
    const facts = crashedFacts('exchange-rails-secret-key-base-renamed');
    expect(firstMatch(facts).rule.name).toBe('fatal-error-in-log');
    const waited = { ...facts, logs: ['Waiting for postgres...', ...facts.logs] };
    expect(firstMatch(waited)).toMatchObject({
      rule: { name: 'dependency-wait-loop', confidence: 'medium' },
    });
  });

  it('a wait loop outranks a generic error line', () => {
    const facts = crashedFacts('init-demo-busybox-wget-tls-reset');
    const waited = { ...facts, logs: ['waiting for mysql', 'waiting for mysql', ...facts.logs] };
    expect(firstMatch(waited)).toMatchObject({ rule: { name: 'dependency-wait-loop' } });
  });
});

describe('traps', () => {
  it.each(REAL_TRAPS)('real report $slug is decided by $rule, not $not', ({ slug, rule, not }) => {
    const match = firstMatch(crashedFacts(slug));
    expect(match.rule.name).toBe(rule);
    expect(match.rule.cause).not.toBe(not);
  });

  it.each(TRAPS)('$fixture is decided by $rule, not $not', ({ fixture, rule, not }) => {
    const input = loadPodFixture(fixture);
    const [first] = failingContainers(input.pod);
    const facts = containerFacts(input.pod, first!, input.events ?? [], input.logs?.get(first!.name) ?? []);
    const match = firstMatch(facts);
    expect(match.rule.name).toBe(rule);
    expect(match.rule.cause).not.toBe(not);
  });

  it('a liveness kill needs the probe kill: the same exit 0 without events is exit-zero', () => {
    const input = loadPodFixture('liveness-probe--completed-exit-0');
    const [first] = failingContainers(input.pod);
    const facts = containerFacts(input.pod, first!, [], []);
    expect(firstMatch(facts).rule.cause).toBe('exit-zero');
  });

  it('an app that reads an env var from a non-optional reference is an app error, not missing config', () => {
    const input = loadPodFixture('missing-config--optional-env-empty');
    const spec = input.pod.spec.containers[0]!;
    spec.env = spec.env!.map((e) =>
      e.valueFrom?.secretKeyRef
        ? { ...e, valueFrom: { secretKeyRef: { name: 'sendgrid', key: 'api-key' } } }
        : e,
    );
    const [first] = failingContainers(input.pod);
    const facts = containerFacts(input.pod, first!, [], input.logs?.get(first!.name) ?? []);
    expect(firstMatch(facts).rule.cause).toBe('app-error');
  });
});
