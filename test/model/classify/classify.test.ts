import { describe, expect, it } from 'vitest';
import { diagnose } from '../../../src/model/classify/index.js';
import { loadPodFixture, podFixtureNames } from './pod-fixture.js';

// One row per fixture in test/fixtures/pods: the cause the classifier must give the pod's first failing
// container, its confidence, and one piece of evidence that must be quoted exactly.
const EXPECTED: Record<string, { confidence: string; container: string; evidence: string }> = {
  'app-error--go-panic-sigsegv': {
    confidence: 'high',
    container: 'rates',
    evidence: 'log: panic: runtime error: invalid memory address or nil pointer dereference',
  },
  'app-error--java-exception-helm': {
    confidence: 'high',
    container: 'app',
    evidence:
      "log: java.lang.IllegalStateException: Unknown currency code 'EURO' in payments.default-currency",
  },
  'app-error--missing-required-env': {
    confidence: 'high',
    container: 'rails',
    evidence: 'lastState.terminated.exitCode: 1',
  },
  'app-error--python-config-parse': {
    confidence: 'high',
    container: 'scheduler',
    evidence: 'log: yaml.scanner.ScannerError: mapping values are not allowed here',
  },
  'app-error--termination-message-fallback': {
    confidence: 'high',
    container: 'scorer',
    evidence:
      "lastState.terminated.message: json.decoder.JSONDecodeError: Expecting ',' delimiter: line 41 column 5 (char 1187)",
  },
  'bad-command--entrypoint-permission-denied': {
    confidence: 'high',
    container: 'worker',
    evidence: 'lastState.terminated.reason: StartError',
  },
  'bad-command--exec-format-error': {
    confidence: 'high',
    container: 'proxy',
    evidence: 'log: exec /usr/local/bin/edge-proxy: exec format error',
  },
  'bad-command--executable-not-found': {
    confidence: 'high',
    container: 'app',
    evidence:
      'lastState.terminated.message: failed to create containerd task: failed to create shim task: OCI runtime create failed: runc create failed: unable to start container process: exec: "gunicorn": executable file not found in $PATH: unknown',
  },
  'bad-command--exit-127': {
    confidence: 'high',
    container: 'ssr',
    evidence: 'log: /bin/sh: node: not found',
  },
  'bad-command--script-exit-126': {
    confidence: 'high',
    container: 'runner',
    evidence: 'log: sh: ./run.sh: Permission denied',
  },
  'bad-command--usage-only': {
    confidence: 'medium',
    container: 'gateway',
    evidence: 'log: flag provided but not defined: -listen-addr',
  },
  'dependency-unreachable--init-migrate': {
    confidence: 'high',
    container: 'migrate',
    evidence: 'log: django.db.utils.OperationalError: could not connect to server: Connection refused',
  },
  'dependency-unreachable--java-connect-exception': {
    confidence: 'high',
    container: 'processor',
    evidence: 'log: Caused by: java.net.ConnectException: Connection refused',
  },
  'dependency-unreachable--json-log-host': {
    confidence: 'high',
    container: 'api',
    evidence: '"msg":"could not connect to server: Connection refused","host":"orders-db.shop.svc"',
  },
  'dependency-unreachable--netty-refused': {
    confidence: 'high',
    container: 'search',
    evidence: 'log: Caused by: java.net.ConnectException: finishConnect(..) failed: Connection refused',
  },
  'dependency-unreachable--node-enotfound': {
    confidence: 'high',
    container: 'server',
    evidence: 'log: Error: getaddrinfo ENOTFOUND payments.billing.svc.cluster.local',
  },
  'dependency-unreachable--no-such-host': {
    confidence: 'high',
    container: 'sessions',
    evidence: 'lookup redis-master.cache.svc.cluster.local on 10.96.0.10:53: no such host',
  },
  'dependency-unreachable--postgres-refused': {
    confidence: 'high',
    container: 'api',
    evidence: 'log: Error: connect ECONNREFUSED 10.0.0.12:5432',
  },
  'dependency-unreachable--redis-py-refused': {
    confidence: 'high',
    container: 'worker',
    evidence:
      'log: redis.exceptions.ConnectionError: Error 111 connecting to jobs-redis:6379. Connection refused.',
  },
  'dependency-unreachable--sidecar-vault-agent': {
    // `[ERROR] agent: exit after auth failure` follows the connection error: likely its consequence, not certain.
    confidence: 'medium',
    container: 'vault-agent',
    evidence: 'dial tcp 10.96.14.2:8200: i/o timeout',
  },
  'dependency-unreachable--url-with-userinfo': {
    confidence: 'high',
    container: 'worker',
    evidence: 'log: 2026-11-25 15:02:41,530 FATAL could not connect to server: Connection refused',
  },
  'exit-zero--daemonizing-nginx': {
    // No output to show it ended on its own: a process stopped by a signal can exit 0 too.
    confidence: 'medium',
    container: 'nginx',
    evidence: 'restartPolicy: Always',
  },
  'exit-zero--multi-container': {
    confidence: 'high',
    container: 'config-reloader',
    evidence: 'lastState.terminated.reason: Completed',
  },
  'exit-zero--one-shot-script': {
    confidence: 'high',
    container: 'seed',
    evidence: 'lastState.terminated.exitCode: 0',
  },
  'image-pull--backoff-unauthorized': {
    confidence: 'high',
    container: 'engine',
    evidence:
      'event Warning Failed: Failed to pull image "123456789012.dkr.ecr.eu-west-1.amazonaws.com/risk-engine:4.0.0"',
  },
  'image-pull--invalid-name': {
    confidence: 'high',
    container: 'page',
    evidence: 'state.waiting.reason: InvalidImageName',
  },
  'image-pull--tag-not-found': {
    confidence: 'high',
    container: 'ui',
    evidence: 'state.waiting.reason: ErrImagePull',
  },
  'liveness-probe--completed-exit-0': {
    confidence: 'high',
    container: 'api',
    evidence: 'event Normal Killing: Container api failed liveness probe, will be restarted',
  },
  'liveness-probe--error-137': {
    confidence: 'high',
    container: 'model-server',
    evidence:
      'event Warning Unhealthy: Liveness probe failed: dial tcp 10.244.3.9:8500: connect: connection refused',
  },
  'liveness-probe--sigterm-143': {
    confidence: 'high',
    container: 'app',
    evidence: 'lastState.terminated.exitCode: 143',
  },
  'liveness-probe--startup-probe': {
    confidence: 'high',
    container: 'keycloak',
    evidence: 'event Normal Killing: Container keycloak failed startup probe, will be restarted',
  },
  'liveness-probe--unhealthy-only': {
    confidence: 'medium',
    container: 'soap',
    evidence:
      'event Warning Unhealthy: Liveness probe failed: command timed out: "/opt/healthcheck.sh" timed out after 1s',
  },
  'missing-config--configmap-not-found': {
    confidence: 'high',
    container: 'app',
    evidence: 'event Warning Failed: Error: configmap "app-config" not found',
  },
  'missing-config--optional-configmap-node': {
    confidence: 'high',
    container: 'web',
    evidence: 'env API_BASE_URL: configMapKeyRef storefront-settings/api-base-url (optional: true)',
  },
  'missing-config--optional-env-empty': {
    confidence: 'high',
    container: 'notifier',
    evidence: "log: KeyError: 'SENDGRID_API_KEY'",
  },
  'missing-config--secret-key-missing': {
    confidence: 'high',
    container: 'api',
    evidence: "state.waiting.message: couldn't find key password in Secret shop/db-credentials",
  },
  'missing-config--secret-not-found': {
    confidence: 'high',
    container: 'sync',
    evidence: 'state.waiting.message: secret "ledger-db" not found',
  },
  'missing-config--volume-configmap-not-found': {
    confidence: 'high',
    container: 'api',
    evidence: 'spec.volumes[cfg].configMap.name: orders-config',
  },
  'missing-config--volume-secret-key-missing': {
    confidence: 'high',
    container: 'migrate',
    evidence:
      'event Warning FailedMount: MountVolume.SetUp failed for volume "tls" : references non-existent secret key: ca.crt',
  },
  'oom-killed--exit-255': {
    confidence: 'high',
    container: 'worker',
    evidence: 'lastState.terminated.exitCode: 255',
  },
  'oom-killed--init-container': {
    confidence: 'high',
    container: 'load-cache',
    evidence: 'lastState.terminated.reason: OOMKilled',
  },
  'oom-killed--java-heap': {
    confidence: 'high',
    container: 'app',
    evidence: 'resources.limits.memory: 512Mi',
  },
  'oom-killed--no-limit': {
    confidence: 'high',
    container: 'indexer',
    evidence: 'lastState.terminated.exitCode: 137',
  },
  'permission-denied--eacces-node': {
    confidence: 'high',
    container: 'api',
    evidence: "log: Error: EACCES: permission denied, open '/data/uploads/.lock'",
  },
  'permission-denied--nginx-port-80': {
    confidence: 'high',
    container: 'nginx',
    evidence: 'log: nginx: [emerg] bind() to 0.0.0.0:80 failed (13: Permission denied)',
  },
  'permission-denied--read-only-fs': {
    confidence: 'high',
    container: 'renderer',
    evidence: "log: OSError: [Errno 30] Read-only file system: '/app/.cache'",
  },
  'permission-denied--run-as-non-root': {
    confidence: 'high',
    container: 'nginx',
    evidence: 'state.waiting.reason: CreateContainerConfigError',
  },
  'segfault--native-crash': {
    confidence: 'high',
    container: 'encoder',
    evidence: 'lastState.terminated.exitCode: 139',
  },
  'segfault--no-output': {
    confidence: 'high',
    container: 'ffmpeg',
    evidence: 'lastState.terminated.exitCode: 139',
  },
  'segfault--python-faulthandler': {
    confidence: 'high',
    container: 'scorer',
    evidence: 'log: Fatal Python error: Segmentation fault',
  },
  'unknown--container-status-unknown': {
    confidence: 'low',
    container: 'worker',
    evidence: 'lastState.terminated.reason: ContainerStatusUnknown',
  },
  'unknown--exit-1-no-logs': { confidence: 'low', container: 'bridge', evidence: 'no previous log' },
  'unknown--exit-137-no-evidence': {
    confidence: 'low',
    container: 'loader',
    evidence: 'lastState.terminated.exitCode: 137',
  },
};

describe('diagnose on real-looking pods', () => {
  it('has an expectation for every fixture, and at least three fixtures per cause id', () => {
    const names = podFixtureNames();
    expect(Object.keys(EXPECTED).sort()).toEqual(names);
    const perCause = new Map<string, number>();
    for (const name of names)
      perCause.set(name.split('--')[0]!, (perCause.get(name.split('--')[0]!) ?? 0) + 1);
    expect(perCause.size).toBe(11);
    for (const count of perCause.values()) expect(count).toBeGreaterThanOrEqual(3);
  });

  it.each(podFixtureNames())('%s', (name) => {
    const expected = EXPECTED[name]!;
    const { cause, containers } = diagnose(loadPodFixture(name));
    expect(cause).toBe(containers[0]);
    expect(cause?.id).toBe(name.split('--')[0]);
    expect(cause?.container).toBe(expected.container);
    expect(cause?.confidence).toBe(expected.confidence);
    expect(cause?.evidence.some((e) => e.includes(expected.evidence))).toBe(true);
    expect(cause?.commands.length).toBeGreaterThan(0);
  });
});
