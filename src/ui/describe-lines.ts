import { humanAge } from '../model/duration.js';
import type {
  Container,
  ContainerState,
  ContainerStatus,
  EnvVar,
  KubeEvent,
  Pod,
  Probe,
} from '../model/pod.js';
import { looksSecret, maskSecretArgs } from '../model/secret-like.js';
import type { ViewLine } from './components/ScrollView.js';
import { sanitizeLine } from './sanitize.js';
import { tabwrite } from './tabwriter.js';

// `d`: the pod exactly as `kubectl describe pod` prints it — a port of describePod in
// k8s.io/kubectl/pkg/describe/describe.go (same sections, fields, order, tab-aligned columns through the same
// tabwriter settings, event ages as `(x7 over 6m38s)`), so users find things where they expect them; golden
// tests compare it with kubectl's own output. Every cluster string is sanitised; secret values are never
// read (env vars from Secrets print only the reference, as kubectl does).

/** The fields describe reads beyond the model's Pod (the API object has them all). */
interface DescribedPod extends Pod {
  spec: Pod['spec'] & {
    priority?: number;
    priorityClassName?: string;
    runtimeClassName?: string;
    nodeSelector?: Record<string, string>;
    tolerations?: {
      key?: string;
      operator?: string;
      value?: string;
      effect?: string;
      tolerationSeconds?: number;
    }[];
    containers: DescribedContainer[];
    initContainers?: DescribedContainer[];
    volumes?: DescribedVolume[];
  };
  status?: Pod['status'] & {
    hostIP?: string;
    podIPs?: { ip: string }[];
    nominatedNodeName?: string;
  };
  metadata: Pod['metadata'] & { deletionGracePeriodSeconds?: number };
}

interface DescribedContainer extends Container {
  ports?: { containerPort: number; hostPort?: number; protocol?: string }[];
  volumeMounts?: { name: string; mountPath: string; readOnly?: boolean; subPath?: string }[];
}

interface DescribedVolume {
  name: string;
  configMap?: { name: string; optional?: boolean };
  secret?: { secretName?: string; optional?: boolean };
  emptyDir?: { medium?: string; sizeLimit?: string };
  hostPath?: { path: string; type?: string };
  persistentVolumeClaim?: { claimName: string; readOnly?: boolean };
  downwardAPI?: {
    items?: { path: string; fieldRef?: { fieldPath: string }; resourceFieldRef?: { resource: string } }[];
  };
  projected?: {
    sources?: {
      secret?: { name: string; optional?: boolean };
      configMap?: { name: string; optional?: boolean };
      downwardAPI?: object;
      serviceAccountToken?: { expirationSeconds?: number };
    }[];
  };
}

type DescribedEvent = KubeEvent & {
  reportingController?: string;
  series?: { count?: number; lastObservedTime?: string };
};

const MAX_ANNOTATION_LEN = 140;

const clean = (text: string | number | boolean | undefined) =>
  sanitizeLine(String(text ?? ''), { maxLength: 2000 });
/**
 * A free-text value kubectl prints raw (a termination message, an event message): its newlines start new lines
 * and its tabs are cells to the tabwriter, exactly as in kubectl's output; every piece is sanitised.
 */
const raw = (text: string | undefined) =>
  (text ?? '')
    .split('\n')
    .map((line) => line.split('\t').map(clean).join('\t'))
    .join('\n');

/** Go's time.RFC1123Z in the terminal's time zone, as kubectl prints times: `Tue, 01 Dec 2026 12:35:26 +0000`. */
export function rfc1123z(text: string | undefined): string {
  const ms = text === undefined ? Number.NaN : Date.parse(text);
  if (Number.isNaN(ms)) return 'Mon, 01 Jan 0001 00:00:00 +0000';
  const d = new Date(ms);
  const two = (n: number) => String(n).padStart(2, '0');
  const day = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'][d.getDay()];
  const month = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'][
    d.getMonth()
  ];
  const offset = -d.getTimezoneOffset();
  const zone = `${offset < 0 ? '-' : '+'}${two(Math.trunc(Math.abs(offset) / 60))}${two(Math.abs(offset) % 60)}`;
  return `${day}, ${two(d.getDate())} ${month} ${d.getFullYear()} ${two(d.getHours())}:${two(d.getMinutes())}:${two(d.getSeconds())} ${zone}`;
}

/** kubectl's PrefixWriter: each level indents two spaces; Flush ends the tabwriter's column blocks. */
class Writer {
  private readonly segments: string[] = [''];
  write(level: number, text: string): void {
    this.segments[this.segments.length - 1] += '  '.repeat(level) + text;
  }
  flush(): void {
    this.segments.push('');
  }
  text(): string {
    return this.segments.map(tabwrite).join('');
  }
}

/** The text of `kubectl describe pod` for this pod and its events, at `nowMs`. */
export function describeText(input: Pod, events: readonly KubeEvent[], nowMs: number): string {
  const pod = input as DescribedPod;
  const w = new Writer();
  const meta = pod.metadata;
  const status = pod.status ?? {};
  w.write(0, `Name:\t${clean(meta.name)}\n`);
  w.write(0, `Namespace:\t${clean(meta.namespace)}\n`);
  if (pod.spec.priority !== undefined) w.write(0, `Priority:\t${clean(pod.spec.priority)}\n`);
  if (pod.spec.priorityClassName) w.write(0, `Priority Class Name:\t${clean(pod.spec.priorityClassName)}\n`);
  if (pod.spec.runtimeClassName) w.write(0, `Runtime Class Name:\t${clean(pod.spec.runtimeClassName)}\n`);
  if (pod.spec.serviceAccountName) w.write(0, `Service Account:\t${clean(pod.spec.serviceAccountName)}\n`);
  w.write(
    0,
    pod.spec.nodeName ? `Node:\t${clean(pod.spec.nodeName)}/${clean(status.hostIP)}\n` : 'Node:\t<none>\n',
  );
  if (status.startTime) w.write(0, `Start Time:\t${rfc1123z(status.startTime)}\n`);
  labelLines(w, 'Labels', meta.labels);
  annotationLines(w, meta.annotations);
  if (meta.deletionTimestamp && status.phase !== 'Failed' && status.phase !== 'Succeeded') {
    w.write(0, `Status:\tTerminating (lasts ${humanAge(nowMs - Date.parse(meta.deletionTimestamp))})\n`);
    w.write(0, `Termination Grace Period:\t${clean(meta.deletionGracePeriodSeconds)}s\n`);
  } else w.write(0, `Status:\t${clean(status.phase)}\n`);
  if (status.reason) w.write(0, `Reason:\t${raw(status.reason)}\n`);
  if (status.message) w.write(0, `Message:\t${raw(status.message)}\n`);
  w.write(0, `IP:\t${clean(status.podIP)}\n`);
  if (!status.podIPs?.length) w.write(0, 'IPs:\t<none>\n');
  else {
    w.write(0, 'IPs:\n');
    for (const ip of status.podIPs) w.write(1, `IP:\t${clean(ip.ip)}\n`);
  }
  const controller = meta.ownerReferences?.find((o) => o.controller);
  if (controller) w.write(0, `Controlled By:\t${clean(controller.kind)}/${clean(controller.name)}\n`);
  if (status.nominatedNodeName) w.write(0, `NominatedNodeName:\t${clean(status.nominatedNodeName)}\n`);
  if (pod.spec.initContainers?.length) {
    containerSection(w, 'Init Containers', pod, pod.spec.initContainers, status.initContainerStatuses);
  }
  containerSection(w, 'Containers', pod, pod.spec.containers, status.containerStatuses);
  if (status.conditions?.length) {
    w.write(0, 'Conditions:\n  Type\tStatus\n');
    for (const c of status.conditions) w.write(1, `${clean(c.type)} \t${clean(c.status)} \n`);
  }
  volumeLines(w, pod.spec.volumes);
  w.write(0, `QoS Class:\t${clean(status.qosClass ?? qosClass(pod))}\n`);
  labelLines(w, 'Node-Selectors', pod.spec.nodeSelector);
  tolerationLines(w, pod.spec.tolerations);
  eventLines(w, events as readonly DescribedEvent[], nowMs);
  return w.text();
}

/** The describe page: kubectl's text, its top-level section titles in bold. */
export function describeLines(pod: Pod, events: readonly KubeEvent[], nowMs: number): ViewLine[] {
  return describeText(pod, events, nowMs)
    .replace(/\n$/, '')
    .split('\n')
    .map((text) => ({ text, bold: /^[A-Z][A-Za-z -]*:$/.test(text) }));
}

function labelLines(w: Writer, title: string, labels: Record<string, string> | undefined): void {
  w.write(0, `${title}:\t`);
  const keys = Object.keys(labels ?? {}).sort();
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    w.write(0, `${clean(key)}=${clean(labels![key])}\n`);
  });
}

function annotationLines(w: Writer, annotations: Record<string, string> | undefined): void {
  w.write(0, 'Annotations:\t');
  const keys = Object.keys(annotations ?? {})
    .filter((k) => k !== 'kubectl.kubernetes.io/last-applied-configuration')
    .sort();
  if (keys.length === 0) {
    w.write(0, '<none>\n');
    return;
  }
  keys.forEach((key, i) => {
    if (i !== 0) w.write(0, '\t');
    const value = annotations![key]!.replace(/\n$/, '');
    if (value.length + key.length + 2 > MAX_ANNOTATION_LEN || value.includes('\n')) {
      w.write(0, `${clean(key)}:\n`);
      // Cleaned before it is cut, as a secret cut in half is no longer recognised as one by the redaction.
      for (const part of value.split('\n').map(clean)) {
        const short =
          part.length > MAX_ANNOTATION_LEN - 2 ? `${part.slice(0, MAX_ANNOTATION_LEN - 2)}...` : part;
        w.write(0, `\t  ${short}\n`);
      }
    } else w.write(0, `${clean(key)}: ${clean(value)}\n`);
  });
}

function tolerationLines(w: Writer, tolerations: DescribedPod['spec']['tolerations']): void {
  w.write(0, 'Tolerations:\t');
  if (!tolerations?.length) {
    w.write(0, '<none>\n');
    return;
  }
  const sorted = [...tolerations].sort((a, b) =>
    (a.key ?? '') < (b.key ?? '') ? -1 : (a.key ?? '') > (b.key ?? '') ? 1 : 0,
  );
  sorted.forEach((t, i) => {
    if (i !== 0) w.write(0, '\t');
    let text = clean(t.key);
    if (t.value) text += `=${clean(t.value)}`;
    if (t.effect) text += `:${clean(t.effect)}`;
    if (t.operator === 'Exists' && !t.value) text += t.key || t.effect ? ' op=Exists' : 'op=Exists';
    if (t.tolerationSeconds !== undefined) text += ` for ${clean(t.tolerationSeconds)}s`;
    w.write(0, `${text}\n`);
  });
}

function containerSection(
  w: Writer,
  label: string,
  pod: DescribedPod,
  containers: readonly DescribedContainer[],
  statuses: readonly ContainerStatus[] | undefined,
): void {
  w.write(0, `${label}:${containers.length === 0 ? ' <none>' : ''}\n`);
  for (const c of containers) {
    const status = statuses?.find((s) => s.name === c.name);
    w.write(1, `${clean(c.name)}:\n`);
    if (status) w.write(2, `Container ID:\t${clean(status.containerID)}\n`);
    w.write(2, `Image:\t${clean(c.image)}\n`);
    if (status) w.write(2, `Image ID:\t${clean(status.imageID)}\n`);
    const ports = (c.ports ?? [])
      .map((p) => `${clean(p.containerPort)}/${clean(p.protocol ?? 'TCP')}`)
      .join(', ');
    w.write(2, ports.includes(',') ? `Ports:\t${ports}\n` : `Port:\t${ports || '<none>'}\n`);
    const hostPorts = (c.ports ?? [])
      .map((p) => `${clean(p.hostPort ?? 0)}/${clean(p.protocol ?? 'TCP')}`)
      .join(', ');
    w.write(
      2,
      hostPorts.includes(',') ? `Host Ports:\t${hostPorts}\n` : `Host Port:\t${hostPorts || '<none>'}\n`,
    );
    if (c.command?.length) {
      w.write(2, 'Command:\n');
      for (const part of maskSecretArgs(c.command))
        for (const line of part.split('\n')) w.write(3, `${clean(line)}\n`);
    }
    if (c.args?.length) {
      w.write(2, 'Args:\n');
      for (const part of maskSecretArgs(c.args))
        for (const line of part.split('\n')) w.write(3, `${clean(line)}\n`);
    }
    if (status) {
      stateLines(w, 'State', status.state);
      if (status.lastState?.terminated) stateLines(w, 'Last State', status.lastState);
      w.write(2, `Ready:\t${status.ready ? 'True' : 'False'}\n`);
      w.write(2, `Restart Count:\t${clean(status.restartCount)}\n`);
    }
    for (const [title, map] of [
      ['Limits', c.resources?.limits],
      ['Requests', c.resources?.requests],
    ] as const) {
      const names = Object.keys(map ?? {}).sort();
      if (names.length > 0) w.write(2, `${title}:\n`);
      for (const name of names) w.write(3, `${clean(name)}:\t${clean(map![name])}\n`);
    }
    if (c.livenessProbe) w.write(2, `Liveness:\t${probeText(c.livenessProbe)}\n`);
    if (c.readinessProbe) w.write(2, `Readiness:\t${probeText(c.readinessProbe)}\n`);
    if (c.startupProbe) w.write(2, `Startup:\t${probeText(c.startupProbe)}\n`);
    if (c.envFrom?.length) {
      w.write(2, 'Environment Variables from:\n');
      for (const from of c.envFrom) {
        const ref = from.configMapRef ?? from.secretRef;
        const kind = from.configMapRef ? 'ConfigMap' : 'Secret';
        const prefix = from.prefix ? ` with prefix '${clean(from.prefix)}'` : '';
        w.write(3, `${clean(ref?.name)}\t${kind}${prefix}\tOptional: ${!!ref?.optional}\n`);
      }
    }
    envLines(w, pod, c.env);
    const mounts = [...(c.volumeMounts ?? [])].sort((a, b) =>
      a.mountPath < b.mountPath ? -1 : a.mountPath > b.mountPath ? 1 : 0,
    );
    w.write(2, `Mounts:${mounts.length === 0 ? '\t<none>' : ''}\n`);
    for (const m of mounts) {
      const flags = [m.readOnly ? 'ro' : 'rw', ...(m.subPath ? [`path=${JSON.stringify(m.subPath)}`] : [])];
      w.write(3, `${clean(m.mountPath)} from ${clean(m.name)} (${clean(flags.join(','))})\n`);
    }
  }
}

function stateLines(w: Writer, title: string, state: ContainerState | undefined): void {
  if (state?.running) {
    w.write(2, `${title}:\tRunning\n`);
    w.write(3, `Started:\t${rfc1123z(state.running.startedAt)}\n`);
  } else if (state?.waiting) {
    w.write(2, `${title}:\tWaiting\n`);
    if (state.waiting.reason) w.write(3, `Reason:\t${clean(state.waiting.reason)}\n`);
  } else if (state?.terminated) {
    const t = state.terminated;
    w.write(2, `${title}:\tTerminated\n`);
    if (t.reason) w.write(3, `Reason:\t${clean(t.reason)}\n`);
    if (t.message) w.write(3, `Message:\t${raw(t.message)}\n`);
    w.write(3, `Exit Code:\t${clean(t.exitCode)}\n`);
    if (t.signal) w.write(3, `Signal:\t${clean(t.signal)}\n`);
    w.write(3, `Started:\t${rfc1123z(t.startedAt)}\n`);
    w.write(3, `Finished:\t${rfc1123z(t.finishedAt)}\n`);
  } else w.write(2, `${title}:\tWaiting\n`);
}

function envLines(w: Writer, pod: DescribedPod, env: readonly EnvVar[] | undefined): void {
  w.write(2, `Environment:${env?.length ? '' : '\t<none>'}\n`);
  for (const e of env ?? []) {
    const ref = e.valueFrom;
    if (!ref && (looksSecret(e.name) || looksSecret(e.value ?? ''))) {
      // kubectl prints it; crashtop never shows a secret value (the fix commands hide it by the same rule).
      w.write(3, `${clean(e.name)}:\t<hidden: looks like a secret>\n`);
    } else if (!ref) {
      (e.value ?? '').split('\n').forEach((line, i) => {
        w.write(3, i === 0 ? `${clean(e.name)}:\t${clean(line)}\n` : `\t${clean(line)}\n`);
      });
    } else if (ref.fieldRef) {
      w.write(
        3,
        `${clean(e.name)}:\t${clean(fieldValue(pod, ref.fieldRef.fieldPath))} (v1:${clean(ref.fieldRef.fieldPath)})\n`,
      );
    } else if (ref.resourceFieldRef) {
      w.write(3, `${clean(e.name)}:\t (${clean(ref.resourceFieldRef.resource)})\n`);
    } else if (ref.secretKeyRef) {
      const s = ref.secretKeyRef;
      w.write(
        3,
        `${clean(e.name)}:\t<set to the key '${clean(s.key)}' in secret '${clean(s.name)}'>\tOptional: ${!!s.optional}\n`,
      );
    } else if (ref.configMapKeyRef) {
      const c = ref.configMapKeyRef;
      w.write(
        3,
        `${clean(e.name)}:\t<set to the key '${clean(c.key)}' of config map '${clean(c.name)}'>\tOptional: ${!!c.optional}\n`,
      );
    }
  }
}

/** The downward API fields kubectl resolves for `Environment:` (fieldpath.ExtractFieldPathAsString). */
function fieldValue(pod: DescribedPod, path: string): string {
  const labelOrAnnotation = /^metadata\.(labels|annotations)\['(.+)'\]$/.exec(path);
  if (labelOrAnnotation)
    return pod.metadata[labelOrAnnotation[1] as 'labels' | 'annotations']?.[labelOrAnnotation[2]!] ?? '';
  const values: Record<string, string | undefined> = {
    'metadata.name': pod.metadata.name,
    'metadata.namespace': pod.metadata.namespace,
    'metadata.uid': pod.metadata.uid,
    'spec.nodeName': pod.spec.nodeName,
    'spec.serviceAccountName': pod.spec.serviceAccountName,
    'status.hostIP': pod.status?.hostIP,
    'status.podIP': pod.status?.podIP,
  };
  return values[path] ?? '';
}

function probeText(probe: Probe): string {
  const attrs = `delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 1}s period=${probe.periodSeconds ?? 10}s #success=${probe.successThreshold ?? 1} #failure=${probe.failureThreshold ?? 3}`;
  if (probe.exec) return `exec [${clean((probe.exec.command ?? []).join(' '))}] ${attrs}`;
  if (probe.httpGet) {
    const scheme = (probe.httpGet.scheme ?? 'HTTP').toLowerCase();
    return `http-get ${clean(scheme)}://:${clean(probe.httpGet.port)}${clean(probe.httpGet.path)} ${attrs}`;
  }
  if (probe.tcpSocket) return `tcp-socket :${clean(probe.tcpSocket.port)} ${attrs}`;
  if (probe.grpc) return `grpc <pod>:${clean(probe.grpc.port)} ${clean(probe.grpc.service)} ${attrs}`;
  return `unknown ${attrs}`;
}

function volumeLines(w: Writer, volumes: readonly DescribedVolume[] | undefined): void {
  if (!volumes?.length) {
    w.write(0, 'Volumes:\t<none>\n');
    return;
  }
  w.write(0, 'Volumes:\n');
  for (const v of volumes) {
    w.write(1, `${clean(v.name)}:\n`);
    if (v.hostPath) {
      w.write(
        2,
        `Type:\tHostPath (bare host directory volume)\n    Path:\t${clean(v.hostPath.path)}\n    HostPathType:\t${clean(v.hostPath.type ?? '<none>')}\n`,
      );
    } else if (v.emptyDir) {
      w.write(
        2,
        `Type:\tEmptyDir (a temporary directory that shares a pod's lifetime)\n    Medium:\t${clean(v.emptyDir.medium)}\n    SizeLimit:\t${clean(v.emptyDir.sizeLimit ?? '<unset>')}\n`,
      );
    } else if (v.secret) {
      w.write(
        2,
        `Type:\tSecret (a volume populated by a Secret)\n    SecretName:\t${clean(v.secret.secretName)}\n    Optional:\t${!!v.secret.optional}\n`,
      );
    } else if (v.configMap) {
      w.write(
        2,
        `Type:\tConfigMap (a volume populated by a ConfigMap)\n    Name:\t${clean(v.configMap.name)}\n    Optional:\t${!!v.configMap.optional}\n`,
      );
    } else if (v.persistentVolumeClaim) {
      w.write(
        2,
        `Type:\tPersistentVolumeClaim (a reference to a PersistentVolumeClaim in the same namespace)\n    ClaimName:\t${clean(v.persistentVolumeClaim.claimName)}\n    ReadOnly:\t${!!v.persistentVolumeClaim.readOnly}\n`,
      );
    } else if (v.downwardAPI) {
      w.write(2, 'Type:\tDownwardAPI (a volume populated by information about the pod)\n    Items:\n');
      for (const item of v.downwardAPI.items ?? []) {
        const from = item.fieldRef?.fieldPath ?? item.resourceFieldRef?.resource;
        w.write(0, `      ${clean(from)} -> ${clean(item.path)}\n`);
      }
    } else if (v.projected) {
      w.write(2, 'Type:\tProjected (a volume that contains injected data from multiple sources)\n');
      for (const s of v.projected.sources ?? []) {
        if (s.secret)
          w.write(2, `SecretName:\t${clean(s.secret.name)}\n    Optional:\t${!!s.secret.optional}\n`);
        else if (s.downwardAPI) w.write(2, 'DownwardAPI:\ttrue\n');
        else if (s.configMap)
          w.write(
            2,
            `ConfigMapName:\t${clean(s.configMap.name)}\n    Optional:\t${!!s.configMap.optional}\n`,
          );
        else if (s.serviceAccountToken)
          w.write(2, `TokenExpirationSeconds:\t${clean(s.serviceAccountToken.expirationSeconds)}\n`);
      }
    } else w.write(1, '<unknown>\n');
  }
}

/** qos.GetPodQOS when the status does not say (a pod read from a file). */
function qosClass(pod: DescribedPod): string {
  const all = [...(pod.spec.initContainers ?? []), ...pod.spec.containers];
  const set = all.flatMap((c) => [
    ...Object.keys(c.resources?.requests ?? {}),
    ...Object.keys(c.resources?.limits ?? {}),
  ]);
  if (set.length === 0) return 'BestEffort';
  const guaranteed = all.every((c) =>
    ['cpu', 'memory'].every((r) => {
      const limit = c.resources?.limits?.[r];
      const request = c.resources?.requests?.[r] ?? limit;
      return limit !== undefined && request === limit;
    }),
  );
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

function eventLines(w: Writer, events: readonly DescribedEvent[], nowMs: number): void {
  // With events, kubectl flushes the tabwriter first: their columns are aligned among themselves only.
  if (events.length === 0) {
    w.write(0, 'Events:\t<none>\n');
    return;
  }
  w.flush();
  const since = (text: string | undefined) => (text ? humanAge(nowMs - Date.parse(text)) : '<unknown>');
  const last = (e: DescribedEvent) => Date.parse(e.lastTimestamp ?? '') || Number.NEGATIVE_INFINITY;
  w.write(0, 'Events:\n  Type\tReason\tAge\tFrom\tMessage\n');
  w.write(1, '----\t------\t----\t----\t-------\n');
  for (const e of [...events].sort((a, b) => last(a) - last(b))) {
    const first = e.eventTime ? since(e.eventTime) : since(e.firstTimestamp);
    const age = e.series
      ? `${since(e.series.lastObservedTime)} (x${e.series.count ?? 0} over ${first})`
      : (e.count ?? 0) > 1
        ? `${since(e.lastTimestamp)} (x${e.count} over ${first})`
        : first;
    const from = e.source?.component || e.reportingController || '';
    w.write(1, `${clean(e.type)}\t${clean(e.reason)}\t${age}\t${clean(from)}\t${raw(e.message?.trim())}\n`);
  }
}
