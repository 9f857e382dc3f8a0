// The fix for each cause id: one sentence and the commands, with the pod's real names filled in. Commands are
// built as argv with kubectl.ts and rendered with commandLine(); placeholders (`<value of KEY>`) stand where only
// the user knows the answer, never a real secret value, and render so that the command fails until filled in.
import type { ContainerFacts } from './classify/signals.js';
import type { CauseId, Finding, MissingConfig } from './classify/types.js';
import { configSources } from './classify/volumes.js';
import { memoryFix } from './fix-memory.js';
import { type GitOpsOwner, gitOpsOwnerName, gitOpsOwnerOf, type WorkloadLookup } from './gitops.js';
import {
  argocdArgv,
  commandLine,
  describeArgv,
  fluxArgv,
  helmArgv,
  type KubectlCluster,
  kubectlArgv,
  logsArgv,
  type Target,
} from './kubectl.js';
import { type Owner, workloadRef } from './owner.js';
import { plural } from './plural.js';
import type { ObjectMeta, Pod, Probe } from './pod.js';
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
  /** The owning workload's labels and annotations, when the caller read them (GitOps ownership). */
  workload?: WorkloadLookup;
}

export interface Fix {
  fix: string;
  commands: string[];
}

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

/**
 * The Helm release named by an object's labels/annotations: the pod's (as charts template them) or its
 * workload's (Helm annotates every object it installs with meta.helm.sh/release-*).
 */
export function helmReleaseOf(
  meta: Pick<ObjectMeta, 'labels' | 'annotations' | 'namespace'>,
): HelmRelease | undefined {
  const labels = meta.labels ?? {};
  const annotations = meta.annotations ?? {};
  const byHelm = labels['app.kubernetes.io/managed-by'] === 'Helm' || 'helm.sh/chart' in labels;
  const name =
    annotations['meta.helm.sh/release-name'] ?? (byHelm ? labels['app.kubernetes.io/instance'] : undefined);
  if (!name) return undefined;
  return {
    name,
    namespace: annotations['meta.helm.sh/release-namespace'] ?? meta.namespace ?? 'default',
  };
}

/**
 * Second labels that make `a.b` a name outside the cluster, not Service `a` of namespace `b`: the public suffixes
 * apps name most and the private ones of office networks. A namespace named `com` would be missed; a fix
 * command naming namespace `com` for `example.com` would send the user after a namespace that is not there.
 */
const NOT_A_NAMESPACE = new Set(
  'com net org io dev app ai co cloud info biz me sh tech xyz us uk de eu fr nl jp cn in ru br au ca local internal lan corp home intranet test example invalid localhost'.split(
    ' ',
  ),
);

const DNS_LABEL = '[a-z][a-z0-9-]*';
/** `name`, `name.namespace`, with or without `.svc` or `.svc.cluster.local`. */
const SERVICE_NAME = new RegExp(`^(${DNS_LABEL})(?:\\.(${DNS_LABEL}))?(\\.svc(?:\\.cluster\\.local)?)?$`);
/** `pod.service.namespace.svc`: a StatefulSet's pod by the name its headless Service gives it. */
const POD_UNDER_HEADLESS = new RegExp(
  `^${DNS_LABEL}\\.(${DNS_LABEL})\\.(${DNS_LABEL})\\.svc(?:\\.cluster\\.local)?$`,
);

/**
 * The Service behind a cluster DNS name: `db`, `db.ns`, `db.ns.svc`, `db.ns.svc.cluster.local` (a port is
 * dropped), and a pod's name under a headless Service, `kafka-0.kafka-headless.ns.svc`. IP addresses,
 * localhost and outside names (`api.stripe.com`, `example.com`, `db.internal`) are not Services.
 */
export function clusterService(
  endpoint: string,
  podNamespace: string,
): { name: string; namespace: string } | undefined {
  const host = endpoint.replace(/:\d+$/, '');
  const underHeadless = host.match(POD_UNDER_HEADLESS);
  if (underHeadless) return { name: underHeadless[1]!, namespace: underHeadless[2]! };
  const match = host.match(SERVICE_NAME);
  if (!match || host === 'localhost') return undefined;
  const [, name, namespace, svc] = match;
  if (namespace !== undefined && svc === undefined && NOT_A_NAMESPACE.has(namespace)) return undefined;
  return { name: name!, namespace: namespace ?? podNamespace };
}

function editable(owner: Owner | undefined): owner is Owner {
  return owner !== undefined && ROLLING.has(owner.kind);
}

function rollbackCommands(input: FixInput, namespace: string, gitOps: GitOpsOwner | undefined): string[] {
  const commands: string[] = [];
  // Argo CD renders charts with `helm template`: their pods carry Helm's labels but there is no release to roll
  // back. A Flux HelmRelease is a real release (the helm-controller runs Helm's install and upgrade).
  const workload = input.workload && 'found' in input.workload ? input.workload.found : undefined;
  const release =
    gitOps?.tool === 'argocd'
      ? undefined
      : (helmReleaseOf(input.pod.metadata) ??
        (workload ? helmReleaseOf({ ...workload, namespace }) : undefined));
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

/** Who else changes the workload: a GitOps owner found, or why it is not known. */
interface Delivery {
  owner?: GitOpsOwner;
  /** Where its marker was found: `the pod` or `deployment/x`. */
  on?: string;
  /** Set when the owner's own labels could not be checked, saying why. */
  unseen?: string;
}

function deliveryOf(input: FixInput): Delivery {
  const fromPod = gitOpsOwnerOf(input.pod.metadata);
  if (fromPod) return { owner: fromPod, on: 'the pod' };
  if (!editable(input.owner)) return {};
  const ref = workloadRef(input.owner);
  const lookup = input.workload;
  if (lookup && 'found' in lookup) {
    const owner = gitOpsOwnerOf(lookup.found);
    return owner ? { owner, on: ref } : {};
  }
  return {
    unseen: lookup
      ? `crashtop could not read ${ref} (${lookup.unavailable})`
      : `crashtop read the pod, not ${ref}`,
  };
}

/** The command that stops the controller from undoing a deliberate change, and the words around it. */
function pauseOf(owner: GitOpsOwner, cluster: KubectlCluster | undefined): { pause: string; text: string } {
  if (owner.tool === 'argocd') {
    const app = owner.appNamespace ? `${owner.appNamespace}/${owner.app}` : owner.app;
    return {
      pause: commandLine(argocdArgv(['app', 'set', app, '--sync-policy', 'none'])),
      text: `a direct change is reverted at its next sync, at once when self-heal is on. Make the change in Git; for an emergency change, first turn automated sync off (first command), then run the rest, and turn it back on once Git has the change (${commandLine(argocdArgv(['app', 'set', app, '--sync-policy', 'automated']))}, with the --self-heal and --auto-prune it had).`,
    };
  }
  const kind = owner.kind.toLowerCase();
  const args = [kind, owner.name, '-n', owner.namespace];
  const reverts =
    owner.kind === 'Kustomization'
      ? 'the kustomize-controller reverts a direct change at its next reconciliation'
      : 'the helm-controller reverts a direct change at its next upgrade (at once when drift detection is on)';
  return {
    pause: commandLine(fluxArgv(cluster, ['suspend', ...args])),
    text: `${reverts}. Make the change in Git; for an emergency change, first suspend the ${owner.kind} (first command), then run the rest, and resume it once Git has the change (${commandLine(fluxArgv(cluster, ['resume', ...args]))}).`,
  };
}

function rolloutSentence(rollout: FailingRollout): string {
  const { previous, previousRunning: n } = rollout;
  const still = `${n} ${plural(n, 'pod')} of the previous one (${previous}) still run`;
  if (rollout.newer.by === 'revision') {
    return `Roll back deployment/${rollout.deployment}: its new ReplicaSet ${rollout.replicaSet} fails while ${still}.`;
  }
  // Rolling back from the wrong ReplicaSet would bring back the one that fails: the user checks first.
  return `If ${rollout.replicaSet} is the new ReplicaSet of deployment/${rollout.deployment} (guessed from pod ages: check the revisions in its rollout history), roll it back: it fails while ${still}.`;
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
  const delivery = deliveryOf(input);
  // A failing rollout makes rolling back the first fix for any cause.
  const leading = input.rollout ? rollbackCommands(input, ns, delivery.owner) : [];
  /** `commands` change the workload unless `changes` is false (creating a ConfigMap, reading a Service). */
  const done = (fix: string, commands: string[] = [], changes = true): Fix => {
    const text = input.rollout ? `${rolloutSentence(input.rollout)} Then: ${fix}` : fix;
    const all = [...leading, ...commands, ...diagnostics];
    if (leading.length === 0 && (!changes || commands.length === 0)) return { fix: text, commands: all };
    if (delivery.owner) {
      const { pause, text: how } = pauseOf(delivery.owner, cluster);
      const subject = editable(owner) ? workloadRef(owner) : `pod ${input.pod.metadata.name}`;
      return {
        fix: `${subject} is managed by ${gitOpsOwnerName(delivery.owner)} (${delivery.owner.marker} on ${delivery.on}): ${how} ${text}`,
        commands: [pause, ...all],
      };
    }
    const unseen = delivery.unseen
      ? ` (${delivery.unseen}: if Argo CD or Flux manages it, a direct change is reverted at its next sync; make the change in Git then.)`
      : '';
    return { fix: text + unseen, commands: all };
  };

  switch (input.cause) {
    case 'oom-killed': {
      const memory = memoryFix({
        facts,
        owner: editable(owner) ? owner : undefined,
        where,
        cluster,
        namespace: ns,
      });
      return done(memory.fix, memory.commands);
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
        false,
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
      const on = finding.deniedOn;
      const volume = on
        ? `volume ${on.volume}${on.claim ? ` (PersistentVolumeClaim ${on.claim} in namespace ${ns})` : ''} mounted at ${on.mountPath}`
        : undefined;
      // Reading the claim shows its StorageClass: NFS and some CSI drivers ignore fsGroup or squash chown.
      const claim = on?.claim ? [kubectl(['get', 'pvc', on.claim, '-n', ns, '-o', 'wide'])] : [];
      if (finding.dataDirectory) {
        return done(
          `PostgreSQL in container ${facts.name} refuses its data directory ${finding.dataDirectory}${volume ? ` on ${volume}` : ''}: it must be owned by the user postgres runs as, with mode 0700 (0750 from PostgreSQL 11). fsGroup alone leaves it group-writable, which PostgreSQL refuses too: chown and chmod it in an init container of ${where} (a chart's volumePermissions option adds one).`,
          claim,
          false,
        );
      }
      if (volume && finding.evidence.some((e) => /read-only file system/i.test(e))) {
        return done(
          `${volume[0]!.toUpperCase()}${volume.slice(1)} is read-only (a ConfigMap, Secret or projected volume always is, or the mount says readOnly): have container ${facts.name} write elsewhere, e.g. copy the files to a writable emptyDir first.`,
          claim,
          false,
        );
      }
      if (volume) {
        return done(
          `Give container ${facts.name} access to ${volume}: its files must belong to the user the container runs as (fsGroup in the pod securityContext of ${where}, or an init container that chowns it; NFS and some CSI volumes refuse both: see the claim's StorageClass).`,
          claim,
          false,
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
        false,
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
    case 'app-error': {
      const root = finding.volumeRoot;
      if (finding.dataDirectory && root) {
        const pgdata = `${finding.dataDirectory}/pgdata`;
        const claim = root.claim ? ` (PersistentVolumeClaim ${root.claim} in namespace ${ns})` : '';
        const setEnv = editable(owner)
          ? [kubectl(['set', 'env', workloadRef(owner), '-n', ns, '-c', facts.name, `PGDATA=${pgdata}`])]
          : [];
        return done(
          `initdb in container ${facts.name} will not use the root of volume ${root.volume}${claim} mounted at ${root.mountPath}: a new volume's root holds lost+found. Point PGDATA at a subdirectory (${pgdata}) in ${where}, or mount the volume with a subPath.`,
          setEnv,
        );
      }
      if (finding.dataDirectory) {
        return done(
          `initdb in container ${facts.name} will not initialise ${finding.dataDirectory}: it is not empty. Point PGDATA at an empty directory, or empty it if it holds no data to keep.`,
        );
      }
      return done(`Fix the error container ${facts.name} reports in its previous log.`);
    }
    case 'unknown':
      return done(`Read the previous log and the events of container ${facts.name}.`);
  }
}
