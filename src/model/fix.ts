// The fix for each cause id: one sentence and the commands, with the pod's real names filled in. Commands are
// built as argv with kubectl.ts and rendered with commandLine(); placeholders (`<value of KEY>`) stand where only
// the user knows the answer, never a real secret value, and render so that the command fails until filled in.
import type { ContainerFacts } from './classify/signals.js';
import type { CauseId, Finding, MissingConfig } from './classify/types.js';
import { configSources } from './classify/volumes.js';
import {
  commandLine,
  describeArgv,
  helmArgv,
  type KubectlCluster,
  kubectlArgv,
  logsArgv,
  type Target,
} from './kubectl.js';
import { type Owner, workloadRef } from './owner.js';
import type { Pod, Probe } from './pod.js';
import { doubleQuantity, formatQuantity, parseQuantity } from './quantity.js';
import type { FailingRollout } from './rollout.js';

export interface FixInput {
  cause: CauseId;
  finding: Finding;
  facts: ContainerFacts;
  pod: Pod;
  owner?: Owner;
  /** Where the commands go: the pod's context and the kubeconfig it was read with. */
  cluster?: KubectlCluster;
  /** Set when the pod belongs to a failing Deployment rollout: rolling back then leads the fix, whatever the cause. */
  rollout?: FailingRollout;
}

export interface Fix {
  fix: string;
  commands: string[];
}

/** Proposed when the container has no memory limit: enough for a typical service, and said to be a guess. */
const DEFAULT_MEMORY_LIMIT = '512Mi';
/**
 * Workloads that roll their pods out again when the pod template changes, and that `kubectl rollout undo`
 * knows. A bare ReplicaSet keeps its old pods after an edit and a Job's template is immutable, so for those
 * (and bare pods) the fix says what to change and gives no edit command.
 */
const ROLLING = new Set(['Deployment', 'StatefulSet', 'DaemonSet']);

export interface HelmRelease {
  name: string;
  namespace: string;
}

/** The Helm release that owns the pod, from the labels/annotations Helm charts put on pods. */
export function helmReleaseOf(pod: Pod): HelmRelease | undefined {
  const labels = pod.metadata.labels ?? {};
  const annotations = pod.metadata.annotations ?? {};
  const byHelm = labels['app.kubernetes.io/managed-by'] === 'Helm' || 'helm.sh/chart' in labels;
  const name =
    annotations['meta.helm.sh/release-name'] ?? (byHelm ? labels['app.kubernetes.io/instance'] : undefined);
  if (!name) return undefined;
  return {
    name,
    namespace: annotations['meta.helm.sh/release-namespace'] ?? pod.metadata.namespace ?? 'default',
  };
}

/**
 * The Service behind a cluster DNS name: `db`, `db.ns`, `db.ns.svc`, `db.ns.svc.cluster.local` (a port is
 * dropped). IP addresses, localhost and outside names (`api.stripe.com`) are not Services.
 */
export function clusterService(
  endpoint: string,
  podNamespace: string,
): { name: string; namespace: string } | undefined {
  const host = endpoint.replace(/:\d+$/, '');
  const match = host.match(/^([a-z][a-z0-9-]*)(?:\.([a-z][a-z0-9-]*))?(?:\.svc(?:\.cluster\.local)?)?$/);
  if (!match || host === 'localhost') return undefined;
  return { name: match[1]!, namespace: match[2] ?? podNamespace };
}

function editable(owner: Owner | undefined): owner is Owner {
  return owner !== undefined && ROLLING.has(owner.kind);
}

function rollbackCommands(input: FixInput, namespace: string): string[] {
  const commands: string[] = [];
  const release = helmReleaseOf(input.pod);
  if (release) {
    commands.push(
      commandLine(helmArgv(input.cluster, ['history', release.name, '-n', release.namespace])),
      commandLine(helmArgv(input.cluster, ['rollback', release.name, '-n', release.namespace])),
    );
  }
  if (editable(input.owner)) {
    commands.push(
      commandLine(kubectlArgv(input.cluster, ['rollout', 'undo', workloadRef(input.owner), '-n', namespace])),
    );
  }
  return commands;
}

interface ConfigKeys {
  /** Keys the container reads into env vars. */
  values: string[];
  /** Keys a volume mounts as files (its `items`). */
  files: string[];
  /** Whether a pod volume mounts the object, so that it is created from files. */
  mounted: boolean;
}

/** Every key the pod reads from that ConfigMap/Secret, so the created object is complete. */
function referencedKeys(facts: ContainerFacts, missing: MissingConfig): ConfigKeys {
  const sources = facts.volumes
    .flatMap(configSources)
    .filter((s) => s.kind === missing.kind && s.name === missing.name);
  const files = new Set(sources.flatMap((s) => s.items.map((i) => i.key)));
  const values = new Set<string>(missing.key && !files.has(missing.key) ? [missing.key] : []);
  for (const env of facts.spec?.env ?? []) {
    const ref = missing.kind === 'secret' ? env.valueFrom?.secretKeyRef : env.valueFrom?.configMapKeyRef;
    if (ref?.name === missing.name) values.add(ref.key);
  }
  return { values: [...values], files: [...files], mounted: sources.length > 0 };
}

/** Env keys become `--from-literal=KEY=<value of KEY>`, mounted ones `--from-file=KEY=<file for KEY>`. */
function createConfigCommand(
  missing: MissingConfig,
  keys: ConfigKeys,
  cluster: KubectlCluster | undefined,
  ns: string,
): string {
  if (missing.keyOnly && missing.key) {
    const field = missing.kind === 'secret' ? 'stringData' : 'data';
    const patch = JSON.stringify({ [field]: { [missing.key]: `<value of ${missing.key}>` } });
    return commandLine(
      kubectlArgv(cluster, ['patch', missing.kind, missing.name, '-n', ns, '--type', 'merge', '-p', patch]),
    );
  }
  const sources = [
    ...keys.values.map((k) => `--from-literal=${k}=<value of ${k}>`),
    ...keys.files.map((k) => `--from-file=${k}=<file for ${k}>`),
  ];
  if (sources.length === 0)
    sources.push(keys.mounted ? '--from-file=<file>' : '--from-literal=<key>=<value of key>');
  const create = missing.kind === 'secret' ? ['create', 'secret', 'generic'] : ['create', 'configmap'];
  return commandLine(kubectlArgv(cluster, [...create, missing.name, '-n', ns, ...sources]));
}

function templatePatch(facts: ContainerFacts, container: Record<string, unknown>): string {
  const list = facts.init ? 'initContainers' : 'containers';
  return JSON.stringify({ spec: { template: { spec: { [list]: [{ name: facts.name, ...container }] } } } });
}

function probePatch(facts: ContainerFacts, probeKind: 'liveness' | 'startup'): Record<string, unknown> {
  const liveness = facts.spec?.livenessProbe;
  const startup = facts.spec?.startupProbe;
  if (probeKind === 'startup' && startup) {
    return { startupProbe: { failureThreshold: Math.max(2 * (startup.failureThreshold ?? 3), 30) } };
  }
  const raised: Probe = {
    initialDelaySeconds: Math.max(2 * (liveness?.initialDelaySeconds ?? 0), 30),
    timeoutSeconds: Math.max(2 * (liveness?.timeoutSeconds ?? 1), 5),
  };
  if (startup || !liveness) return { livenessProbe: raised };
  const { httpGet, tcpSocket, exec, grpc } = liveness;
  return {
    livenessProbe: { timeoutSeconds: raised.timeoutSeconds },
    startupProbe: { httpGet, tcpSocket, exec, grpc, periodSeconds: 10, failureThreshold: 30 },
  };
}

/**
 * How long the probe lets the container fail before the kubelet kills it, from its own numbers (defaults as the
 * API server fills them): ` Its liveness probe kills it after 30 s of failures: initialDelaySeconds 0 + …`.
 */
function probeBudget(kind: 'liveness' | 'startup', probe: Probe | undefined): string {
  if (!probe) return '';
  const delay = probe.initialDelaySeconds ?? 0;
  const period = probe.periodSeconds ?? 10;
  const threshold = probe.failureThreshold ?? 3;
  const timeout = probe.timeoutSeconds ?? 1;
  return ` Its ${kind} probe kills it after about ${delay + threshold * period} s: initialDelaySeconds ${delay} + failureThreshold ${threshold} × periodSeconds ${period}, each check timing out after ${timeout} s.`;
}

function rolloutSentence(rollout: FailingRollout): string {
  const { previous, previousRunning: n } = rollout;
  return `Roll back deployment/${rollout.deployment}: its new ReplicaSet ${rollout.replicaSet} fails while ${n} ${n === 1 ? 'pod' : 'pods'} of the previous one (${previous}) still run.`;
}

export function fixFor(input: FixInput): Fix {
  const { facts, finding, owner, cluster } = input;
  const ns = input.pod.metadata.namespace ?? 'default';
  const target: Target = { ...cluster, namespace: ns, pod: input.pod.metadata.name, container: facts.name };
  const where = editable(owner) ? workloadRef(owner) : `pod ${input.pod.metadata.name}`;
  // A container that never exited has no previous log: `kubectl logs --previous` would only fail.
  const diagnostics = [
    ...(facts.lastExit ? [commandLine(logsArgv(target, { previous: true }))] : []),
    commandLine(describeArgv(target)),
  ];
  const kubectl = (args: string[]) => commandLine(kubectlArgv(cluster, args));
  // A change to the container in the owner's pod template; a bare pod's spec cannot be patched this way.
  const patchContainer = (change: Record<string, unknown>): string[] =>
    editable(owner)
      ? [kubectl(['patch', workloadRef(owner), '-n', ns, '-p', templatePatch(facts, change)])]
      : [];
  // A failing rollout makes rolling back the first fix for any cause; otherwise it is offered, hedged, only for
  // causes a new version usually brings.
  const leading = input.rollout ? rollbackCommands(input, ns) : [];
  const done = (fix: string, commands: string[] = []): Fix => ({
    fix: input.rollout ? `${rolloutSentence(input.rollout)} Then: ${fix}` : fix,
    commands: [...leading, ...commands, ...diagnostics],
  });

  switch (input.cause) {
    case 'oom-killed': {
      const current = facts.spec?.resources?.limits?.memory;
      const request = facts.spec?.resources?.requests?.memory;
      const requestBytes = request ? parseQuantity(request) : undefined;
      const proposed =
        (current && doubleQuantity(current)) ??
        (requestBytes ? formatQuantity(Math.max(requestBytes * 2, 2 ** 29), request) : DEFAULT_MEMORY_LIMIT);
      const why = current
        ? `from ${current} to ${proposed} (2×)`
        : `to ${proposed} (it has no memory limit; ${proposed} is a starting point, size it from kubectl top pod)`;
      const set = editable(owner)
        ? [
            kubectl([
              'set',
              'resources',
              workloadRef(owner),
              '-n',
              ns,
              '-c',
              facts.name,
              `--limits=memory=${proposed}`,
            ]),
          ]
        : [];
      return done(
        `Raise the memory limit of container ${facts.name} in ${where} ${why}, or reduce its memory use.`,
        set,
      );
    }
    case 'missing-config': {
      const missing = finding.missing;
      if (!missing)
        return done(`Check the ConfigMaps, Secrets and env references of container ${facts.name}.`);
      const kind = missing.kind === 'secret' ? 'Secret' : 'ConfigMap';
      const what = missing.keyOnly
        ? `key ${missing.key} to ${kind} ${missing.name}`
        : `${kind} ${missing.name}`;
      const create = createConfigCommand(missing, referencedKeys(facts, missing), cluster, ns);
      const reference = finding.volume ? `volume ${finding.volume}` : 'the reference';
      return done(
        `Add the ${what} in namespace ${ns} (fill in the real values), or fix ${reference} in ${where}.`,
        [create],
      );
    }
    case 'liveness-probe': {
      const probe = finding.probe ?? 'liveness';
      const patch = patchContainer(probePatch(facts, probe));
      const budget = probeBudget(
        probe,
        probe === 'startup' ? facts.spec?.startupProbe : facts.spec?.livenessProbe,
      );
      const fix =
        probe === 'startup'
          ? `Give container ${facts.name} more time to start (raise its startupProbe failureThreshold), or fix what slows its start-up.${budget}`
          : `Make the liveness probe of container ${facts.name} more tolerant (startupProbe, longer initialDelaySeconds/timeoutSeconds), or fix the health endpoint.${budget}`;
      return done(fix, patch);
    }
    case 'permission-denied': {
      const nonRoot = finding.evidence.some((e) => e.includes('runAsNonRoot'));
      if (nonRoot) {
        const patch = patchContainer({ securityContext: { runAsUser: 1000 } });
        return done(
          `Set a numeric non-root runAsUser the image supports for container ${facts.name} in ${where}, or build the image with a numeric non-root USER.`,
          patch,
        );
      }
      return done(
        `Give container ${facts.name} the access it needs: fix the securityContext (runAsUser, fsGroup, readOnlyRootFilesystem with a writable emptyDir) or listen on a port ≥ 1024.`,
      );
    }
    case 'dependency-unreachable': {
      const what = finding.endpoint ?? 'the service it needs';
      const service = finding.endpoint ? clusterService(finding.endpoint, ns) : undefined;
      const check = service
        ? ['get', 'service,endpoints', service.name, '-n', service.namespace]
        : ['get', 'services,endpoints', '-n', ns];
      // An init container is already the thing that waits: the service is what must come up (or the name is wrong).
      const then = facts.init
        ? 'or correct the name it waits for.'
        : 'and let the app wait or retry instead of exiting (an init container that waits for it).';
      return done(
        `Make ${what} reachable from container ${facts.name} (is it running, with endpoints?), ${then}`,
        [kubectl(check)],
      );
    }
    case 'image-pull':
      return done(
        `Fix the image name or tag of container ${facts.name} in ${where}, or the registry credentials (imagePullSecrets).`,
      );
    case 'bad-command':
      return done(
        `Fix the command/args of container ${facts.name} in ${where} (or the image's entrypoint: path, exec bit, CPU architecture).`,
      );
    case 'exit-zero':
      return done(
        `Container ${facts.name} exits 0 but restartPolicy is Always: keep its main process in the foreground, or run it as a Job.`,
      );
    case 'segfault':
      return done(
        `Container ${facts.name} crashes with SIGSEGV: check native libraries and the image build.`,
      );
    case 'app-error':
      return done(`Fix the error container ${facts.name} reports in its previous log.`);
    case 'unknown':
      return done(`Read the previous log and the events of container ${facts.name}.`);
  }
}
