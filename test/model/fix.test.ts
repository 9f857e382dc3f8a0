import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/model/classify/index.js';
import { clusterService, helmReleaseOf } from '../../src/model/fix.js';
import type { Pod } from '../../src/model/pod.js';
import { loadPodFixture, loadRealFixture } from './classify/pod-fixture.js';

function causeOf(fixture: string, change: (pod: Pod) => void = () => {}, context?: string) {
  const input = loadPodFixture(fixture);
  change(input.pod);
  return diagnose({ ...input, context }).cause!;
}

describe('fix commands', () => {
  it('OOM: doubles the limit on the owning workload, with the real names', () => {
    const cause = causeOf('oom-killed--java-heap', (pod) => delete pod.spec.containers[0]!.env, 'prod');
    expect(cause.fix).toContain('from 512Mi to 1Gi');
    expect(cause.commands).toEqual([
      'kubectl --context prod set resources deployment/payments-api -n shop -c app --limits=memory=1Gi',
      'kubectl --context prod logs payments-api-7d9f8c6b5-abc12 -n shop -c app --previous',
      'kubectl --context prod describe pod payments-api-7d9f8c6b5-abc12 -n shop',
    ]);
  });

  it('OOM without a limit proposes one from the request and says it is a starting point', () => {
    const cause = causeOf('oom-killed--no-limit');
    expect(cause.fix).toContain('it has no memory limit');
    expect(cause.commands[0]).toBe(
      'kubectl set resources statefulset/search-indexer -n search -c indexer --limits=memory=1536Mi',
    );
  });

  it('OOM without limit or request proposes the default', () => {
    const cause = causeOf('oom-killed--no-limit', (pod) => {
      pod.spec.containers[0]!.resources = {};
    });
    expect(cause.commands[0]).toContain('--limits=memory=512Mi');
  });

  it.each([
    ['a bare pod', (pod: Pod) => delete pod.metadata.ownerReferences],
    [
      'a Job (immutable template)',
      (pod: Pod) => (pod.metadata.ownerReferences = [{ kind: 'Job', name: 'j' }]),
    ],
  ])('OOM of %s: no set resources command, the diagnostics only', (_, change) => {
    const cause = causeOf('oom-killed--java-heap', change);
    expect(cause.commands.some((c) => c.includes('set resources'))).toBe(false);
    expect(cause.commands).toHaveLength(2);
  });

  it('missing ConfigMap: create it with every key the container reads, placeholder values only', () => {
    const cause = causeOf('missing-config--configmap-not-found');
    expect(cause.commands[0]).toBe(
      // Pasted as is, the shell stops at the first unset placeholder instead of creating a ConfigMap of `<value>`s.
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      'kubectl create configmap app-config -n shop --from-literal=log-level="${VALUE_OF_LOG_LEVEL:?fill in <value of log-level>}" --from-literal=currency="${VALUE_OF_CURRENCY:?fill in <value of currency>}"',
    );
  });

  it('missing key of an existing Secret: patch in that key only, with a placeholder', () => {
    const cause = causeOf('missing-config--secret-key-missing');
    expect(cause.commands[0]).toBe(
      `kubectl patch secret db-credentials -n shop --type merge -p '{"stringData":{"password":"'"\${VALUE_OF_PASSWORD:?fill in <value of password>}"'"}}'`,
    );
  });

  it('never copies a value from the pod spec into evidence, fix or commands', () => {
    const cause = causeOf('missing-config--optional-env-empty', (pod) => {
      pod.spec.containers[0]!.env!.push({ name: 'SMTP_PASSWORD', value: 'hunter2-do-not-show' });
    });
    expect(JSON.stringify(cause)).not.toContain('hunter2');
  });

  it('liveness kill: a strategic patch adding a startupProbe with the same handler', () => {
    const cause = causeOf('liveness-probe--completed-exit-0');
    const patch = cause.commands[0]!.match(/-p '(.*)'$/)![1]!;
    expect(JSON.parse(patch)).toEqual({
      spec: {
        template: {
          spec: {
            containers: [
              {
                name: 'api',
                livenessProbe: { timeoutSeconds: 5 },
                startupProbe: {
                  httpGet: { path: '/healthz', port: 8080 },
                  periodSeconds: 10,
                  failureThreshold: 30,
                },
              },
            ],
          },
        },
      },
    });
    expect(cause.commands[0]!.startsWith('kubectl patch deployment/inventory -n shop -p ')).toBe(true);
  });

  it('probe kill: the fix cites the probe numbers and how long they let the container fail', () => {
    const cause = causeOf('liveness-probe--completed-exit-0', (pod) => {
      pod.spec.containers[0]!.livenessProbe = {
        httpGet: { path: '/health', port: 8080 },
        initialDelaySeconds: 30,
        periodSeconds: 10,
        failureThreshold: 5,
        timeoutSeconds: 3,
      };
    });
    expect(cause.fix).toContain(
      'Its liveness probe kills it after about 80 s: initialDelaySeconds 30 + failureThreshold 5 × periodSeconds 10, each check timing out after 3 s.',
    );
  });

  it('liveness kill with a startupProbe already there: raise the liveness delays instead', () => {
    const cause = causeOf('liveness-probe--completed-exit-0', (pod) => {
      pod.spec.containers[0]!.startupProbe = { httpGet: { path: '/healthz', port: 8080 } };
    });
    expect(cause.commands[0]).toContain('"livenessProbe":{"initialDelaySeconds":30,"timeoutSeconds":5}');
  });

  it('a Helm-managed app error with no rollout in evidence: no rollback is suggested', () => {
    const cause = causeOf('app-error--java-exception-helm', undefined, 'prod');
    expect(cause.commands.join('\n')).not.toMatch(/rollback|rollout undo/);
    expect(cause.fix).not.toMatch(/roll back/);
  });

  it('dependency on a cluster Service: look at that Service and its endpoints', () => {
    const cause = causeOf('dependency-unreachable--no-such-host');
    expect(cause.commands[0]).toBe('kubectl get service,endpoints redis-master -n cache');
  });

  it.each([
    ['plain', 'Error: connect ECONNREFUSED redis.shop.svc.cluster.local:6379'],
    [
      'coloured',
      '\u001b[31mError\u001b[39m: connect ECONNREFUSED \u001b[1mredis.shop.svc.cluster.local:6379',
    ],
    [
      'colour reset inside the name',
      'Error: connect ECONNREFUSED redis.shop.svc\u001b[0m.cluster.local:6379',
    ],
  ])('a %s log line names the Service it could not reach', (_, line) => {
    const input = loadPodFixture('dependency-unreachable--postgres-refused');
    input.logs = new Map([['api', [line]]]);
    const cause = diagnose(input).cause!;
    expect(cause.commands[0]).toBe('kubectl get service,endpoints redis -n shop');
  });

  // The pod runs in namespace shop: a name without a namespace is a Service there.
  it.each([
    [
      'a JSON log host field',
      [
        '{"level":"info","msg":"connecting to postgres","host":"orders-db.shop.svc","port":5432}',
        '{"level":"fatal","msg":"could not connect to server: Connection refused","host":"orders-db.shop.svc","port":5432}',
      ],
      'kubectl get service,endpoints orders-db -n shop',
    ],
    [
      'a URL with userinfo and a port',
      [
        'connecting to postgres://app:…@orders-db.data:5432/prod',
        'FATAL: could not connect to server: Connection refused',
      ],
      'kubectl get service,endpoints orders-db -n data',
    ],
    [
      'a URL on the line that failed',
      [
        'time="2018-02-01T19:06:00Z" level=error msg="error dialing master at http://sonobuoy-master:8080/api/v1/results: dial tcp: i/o timeout"',
      ],
      'kubectl get service,endpoints sonobuoy-master -n shop',
    ],
    [
      "Go's resolver",
      ['panic: dial tcp: lookup orders-db on 10.96.0.10:53: no such host'],
      'kubectl get service,endpoints orders-db -n shop',
    ],
    [
      "Node's resolver",
      ['Error: getaddrinfo ENOTFOUND orders-db.data.svc.cluster.local'],
      'kubectl get service,endpoints orders-db -n data',
    ],
    [
      "Netty's refused connection",
      [
        'Caused by: io.netty.channel.AbstractChannel$AnnotatedConnectException: finishConnect(..) failed: Connection refused: orders-db.data.svc/10.0.0.1:5432',
      ],
      'kubectl get service,endpoints orders-db -n data',
    ],
    [
      'an outside URL',
      ['FATAL: could not connect to https://api.stripe.com:443/v1/charges: i/o timeout'],
      'kubectl get services,endpoints -n shop',
    ],
    [
      'a URL on a line not about connecting',
      ['listening on http://orders-web:8080', 'FATAL: could not connect to server: Connection refused'],
      'kubectl get services,endpoints -n shop',
    ],
    [
      'a JSON host field on a line not about connecting',
      ['{"level":"info","msg":"listening","host":"orders-web","port":8080}', 'FATAL: Connection refused'],
      'kubectl get services,endpoints -n shop',
    ],
  ])('%s: the command looks at the Service the log names', (_, lines, command) => {
    const input = loadPodFixture('dependency-unreachable--postgres-refused');
    input.logs = new Map([['api', lines]]);
    const cause = diagnose(input).cause!;
    expect(cause.id).toBe('dependency-unreachable');
    expect(cause.commands[0]).toBe(command);
  });

  // Log lines are untrusted: a pattern that rescans the rest of a line from every dot would take seconds on one
  // line as long as the bounded log keeps (LOG_MAX_BYTES), and the live view classifies every crashing pod.
  it('a line about connecting as long as the log keeps, full of dots, is read in a moment', () => {
    const input = loadPodFixture('dependency-unreachable--postgres-refused');
    const line = `FATAL: could not connect to server: Connection refused ${'a.'.repeat(30_000)}`;
    input.logs = new Map([['api', [line]]]);
    const started = performance.now();
    expect(diagnose(input).cause?.id).toBe('dependency-unreachable');
    expect(performance.now() - started).toBeLessThan(1000);
  });

  it('an init container that waits is not told to wait: the service must come up, or the name be right', () => {
    const init = causeOf('dependency-unreachable--init-migrate');
    expect(init.fix).toContain('or correct the name it waits for');
    expect(init.fix).not.toContain('an init container that waits for it');
    const app = causeOf('dependency-unreachable--no-such-host');
    expect(app.fix).toContain('an init container that waits for it');
  });

  it('PostgreSQL refusing its data directory: names the volume and its claim, and why fsGroup is not enough', () => {
    const cause = diagnose(loadRealFixture('harbor-database-group-world-access-rook-ceph')).cause!;
    expect(cause.id).toBe('permission-denied');
    expect(cause.fix).toContain(
      'refuses its data directory /var/lib/postgresql/data on volume database-data (PersistentVolumeClaim database-data-harbor-harbor-database-0 in namespace common)',
    );
    expect(cause.fix).toContain('fsGroup alone leaves it group-writable');
    expect(cause.fix).toContain('init container of statefulset/harbor-harbor-database');
    expect(cause.commands[0]).toBe(
      'kubectl get pvc database-data-harbor-harbor-database-0 -n common -o wide',
    );
  });

  it('initdb refusing a volume root (lost+found): PGDATA on a subdirectory of that volume', () => {
    const cause = diagnose(loadRealFixture('kiamol-todo-db-initdb-lost-found')).cause!;
    expect(cause.id).toBe('app-error');
    expect(cause.fix).toContain(
      'will not use the root of volume data (PersistentVolumeClaim todo-list-db in namespace default) mounted at /var/lib/postgresql/data',
    );
    expect(cause.commands[0]).toBe(
      'kubectl set env deployment/todo-list-db -n default -c db PGDATA=/var/lib/postgresql/data/pgdata',
    );
  });

  it('a permission error on a path under a volume names that volume', () => {
    const cause = causeOf('permission-denied--eacces-node', (pod) => {
      pod.spec.containers[0]!.volumeMounts = [{ name: 'uploads', mountPath: '/data/uploads' }];
      pod.spec.volumes = [{ name: 'uploads', persistentVolumeClaim: { claimName: 'api-uploads' } }];
    });
    expect(cause.fix).toContain('access to volume uploads (PersistentVolumeClaim api-uploads in namespace');
    expect(cause.evidence).toContain('volumeMounts: uploads at /data/uploads');
  });

  it('a read-only file system on a ConfigMap volume: write elsewhere, not a chown', () => {
    const cause = diagnose(loadRealFixture('fluentd-sed-configmap-read-only')).cause!;
    expect(cause.id).toBe('permission-denied');
    expect(cause.fix).toMatch(/^Volume config mounted at \/fluentd\/etc is read-only/);
    expect(cause.fix).not.toContain('chown');
  });

  it('every command is a kubectl or helm command line', () => {
    for (const fixture of [
      'permission-denied--run-as-non-root',
      'image-pull--tag-not-found',
      'segfault--no-output',
    ]) {
      for (const command of causeOf(fixture).commands) expect(command).toMatch(/^(kubectl|helm) /);
    }
  });
});

describe('helmReleaseOf', () => {
  const pod = (labels: Record<string, string>, annotations: Record<string, string> = {}): Pod => ({
    metadata: { name: 'p', namespace: 'shop', labels, annotations },
    spec: { containers: [] },
  });

  it.each([
    [
      'managed-by Helm + instance',
      pod({ 'app.kubernetes.io/managed-by': 'Helm', 'app.kubernetes.io/instance': 'pay' }),
      { name: 'pay', namespace: 'shop' },
    ],
    [
      'helm.sh/chart + instance',
      pod({ 'helm.sh/chart': 'x-1.0', 'app.kubernetes.io/instance': 'pay' }),
      { name: 'pay', namespace: 'shop' },
    ],
    [
      'release annotations',
      pod({}, { 'meta.helm.sh/release-name': 'pay', 'meta.helm.sh/release-namespace': 'releases' }),
      { name: 'pay', namespace: 'releases' },
    ],
    ['instance label without Helm', pod({ 'app.kubernetes.io/instance': 'pay' }), undefined],
    ['no labels', pod({}), undefined],
  ])('%s', (_, p, release) => {
    expect(helmReleaseOf(p.metadata)).toEqual(release);
  });
});

describe('clusterService', () => {
  it.each([
    ['cms-db', { name: 'cms-db', namespace: 'shop' }],
    ['redis:6379', { name: 'redis', namespace: 'shop' }],
    ['postgres.data', { name: 'postgres', namespace: 'data' }],
    ['postgres.data.svc', { name: 'postgres', namespace: 'data' }],
    ['redis-master.cache.svc.cluster.local:6379', { name: 'redis-master', namespace: 'cache' }],
    ['10.0.0.12:5432', undefined],
    ['localhost:5432', undefined],
    ['api.stripe.com', undefined],
    ['example.com', undefined],
    ['vault.internal:8200', undefined],
    ['kafka-0.kafka-headless.data.svc.cluster.local:9092', { name: 'kafka-headless', namespace: 'data' }],
    ['mongo-1.mongo.db.svc', { name: 'mongo', namespace: 'db' }],
    ['a.b.c', undefined],
  ])('%s', (endpoint, service) => {
    expect(clusterService(endpoint, 'shop')).toEqual(service);
  });
});
