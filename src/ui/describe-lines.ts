import { humanAge } from '../model/duration.js';
import type { Container, ContainerStatus, KubeEvent, Pod } from '../model/pod.js';
import type { ViewLine } from './components/ScrollView.js';
import { sanitizeLine } from './sanitize.js';

// `d`: the pod as `kubectl describe pod` lays it out (the same sections and field names, so users find
// things where they expect them), built from the API object and its events. Secret values are never shown:
// env vars from Secrets print only the reference, as kubectl does.

const clean = (text: string | number | boolean | undefined) =>
  sanitizeLine(String(text ?? ''), { maxLength: 2000 });
const field = (name: string, value: string | number | boolean | undefined, indent = 0): ViewLine => ({
  text: `${' '.repeat(indent)}${`${name}:`.padEnd(Math.max(16 - indent, name.length + 2))}${clean(value ?? '<none>')}`,
});

export function describeLines(pod: Pod, events: readonly KubeEvent[], serverNowMs: number): ViewLine[] {
  const meta = pod.metadata;
  const controller = meta.ownerReferences?.find((o) => o.controller);
  const lines: ViewLine[] = [
    field('Name', meta.name),
    field('Namespace', meta.namespace),
    field('Service Account', pod.spec.serviceAccountName),
    field('Node', pod.spec.nodeName),
    field('Start Time', pod.status?.startTime),
    ...mapLines('Labels', meta.labels),
    ...mapLines('Annotations', meta.annotations),
    field('Status', pod.status?.phase),
    ...(pod.status?.reason ? [field('Reason', pod.status.reason)] : []),
    ...(pod.status?.message ? [field('Message', pod.status.message)] : []),
    field('IP', pod.status?.podIP),
    field('Controlled By', controller ? `${controller.kind}/${controller.name}` : undefined),
  ];
  const section = (
    title: string,
    specs: Container[] | undefined,
    statuses: ContainerStatus[] | undefined,
  ) => {
    if (!specs?.length) return;
    lines.push({ text: `${title}:`, bold: true });
    for (const spec of specs)
      lines.push(
        ...containerLines(
          spec,
          statuses?.find((s) => s.name === spec.name),
        ),
      );
  };
  section('Init Containers', pod.spec.initContainers, pod.status?.initContainerStatuses);
  section('Containers', pod.spec.containers, pod.status?.containerStatuses);
  lines.push({ text: 'Conditions:', bold: true }, { text: '  Type              Status' });
  for (const c of pod.status?.conditions ?? [])
    lines.push({ text: `  ${clean(c.type).padEnd(18)}${clean(c.status)}` });
  lines.push({ text: 'Volumes:', bold: true });
  for (const v of pod.spec.volumes ?? []) {
    const source = v.configMap
      ? `ConfigMap ${clean(v.configMap.name)}${v.configMap.optional ? ' (optional)' : ''}`
      : v.secret
        ? `Secret ${clean(v.secret.secretName)}${v.secret.optional ? ' (optional)' : ''}`
        : (Object.keys(v).find((k) => k !== 'name') ?? '');
    lines.push({ text: `  ${clean(v.name)}: ${source}` });
  }
  lines.push({ text: 'QoS Class:'.padEnd(16) + clean(pod.status?.qosClass ?? '<none>') });
  lines.push(...eventTable(events, serverNowMs));
  return lines;
}

function mapLines(title: string, map: Record<string, string> | undefined): ViewLine[] {
  const entries = Object.entries(map ?? {});
  if (entries.length === 0) return [field(title, '<none>')];
  return entries.map(([k, v], i) => ({
    text: `${i === 0 ? `${title}:`.padEnd(16) : ' '.repeat(16)}${clean(k)}=${clean(v)}`,
  }));
}

function containerLines(spec: Container, status: ContainerStatus | undefined): ViewLine[] {
  const lines: ViewLine[] = [{ text: `  ${clean(spec.name)}:`, bold: true }];
  lines.push(field('Image', spec.image, 4));
  if (spec.command) lines.push(field('Command', spec.command.join(' '), 4));
  if (spec.args) lines.push(field('Args', spec.args.join(' '), 4));
  const state = status?.state;
  if (state?.waiting) lines.push(field('State', 'Waiting', 4), field('Reason', state.waiting.reason, 6));
  else if (state?.running)
    lines.push(field('State', 'Running', 4), field('Started', state.running.startedAt, 6));
  else if (state?.terminated) {
    lines.push(field('State', 'Terminated', 4), field('Reason', state.terminated.reason, 6));
    lines.push(field('Exit Code', state.terminated.exitCode, 6));
  }
  const last = status?.lastState?.terminated;
  if (last) {
    lines.push(
      field('Last State', 'Terminated', 4),
      field('Reason', last.reason, 6),
      field('Exit Code', last.exitCode, 6),
    );
    lines.push(field('Started', last.startedAt, 6), field('Finished', last.finishedAt, 6));
  }
  lines.push(field('Ready', status?.ready ?? false, 4), field('Restart Count', status?.restartCount ?? 0, 4));
  const limits = spec.resources?.limits;
  if (limits) lines.push({ text: '    Limits:' }, ...Object.entries(limits).map(([k, v]) => field(k, v, 6)));
  const requests = spec.resources?.requests;
  if (requests)
    lines.push({ text: '    Requests:' }, ...Object.entries(requests).map(([k, v]) => field(k, v, 6)));
  if (spec.livenessProbe) lines.push(field('Liveness', probeText(spec.livenessProbe), 4));
  if (spec.readinessProbe) lines.push(field('Readiness', probeText(spec.readinessProbe), 4));
  if (spec.startupProbe) lines.push(field('Startup', probeText(spec.startupProbe), 4));
  if (spec.env?.length || spec.envFrom?.length) {
    lines.push({ text: '    Environment:' });
    for (const from of spec.envFrom ?? []) {
      if (from.configMapRef)
        lines.push({
          text: `      ConfigMap ${clean(from.configMapRef.name)}  Optional: ${!!from.configMapRef.optional}`,
        });
      if (from.secretRef)
        lines.push({
          text: `      Secret ${clean(from.secretRef.name)}  Optional: ${!!from.secretRef.optional}`,
        });
    }
    for (const env of spec.env ?? []) {
      const ref = env.valueFrom;
      const value = ref?.secretKeyRef
        ? `<set to the key '${clean(ref.secretKeyRef.key)}' in secret '${clean(ref.secretKeyRef.name)}'>`
        : ref?.configMapKeyRef
          ? `<set to the key '${clean(ref.configMapKeyRef.key)}' of config map '${clean(ref.configMapKeyRef.name)}'>`
          : ref
            ? '<set from a field>'
            : clean(env.value);
      lines.push({ text: `      ${clean(env.name)}:  ${value}` });
    }
  }
  return lines;
}

function probeText(probe: NonNullable<Container['livenessProbe']>): string {
  const how = probe.httpGet
    ? `http-get ${probe.httpGet.scheme === 'HTTPS' ? 'https' : 'http'}://:${probe.httpGet.port}${probe.httpGet.path ?? '/'}`
    : probe.tcpSocket
      ? `tcp-socket :${probe.tcpSocket.port}`
      : probe.exec
        ? `exec [${(probe.exec.command ?? []).join(' ')}]`
        : probe.grpc
          ? `grpc :${probe.grpc.port}`
          : 'unknown';
  return `${how} delay=${probe.initialDelaySeconds ?? 0}s timeout=${probe.timeoutSeconds ?? 1}s period=${probe.periodSeconds ?? 10}s #success=${probe.successThreshold ?? 1} #failure=${probe.failureThreshold ?? 3}`;
}

function eventTable(events: readonly KubeEvent[], serverNowMs: number): ViewLine[] {
  if (events.length === 0) return [{ text: 'Events:         <none>' }];
  const time = (e: KubeEvent) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;
  const rows = [...events].sort((a, b) => time(a) - time(b));
  return [
    { text: 'Events:', bold: true },
    { text: '  Type     Reason            Age    From               Message' },
    ...rows.map((e): ViewLine => {
      const age = time(e) ? humanAge(serverNowMs - time(e)) : '<unknown>';
      const count =
        e.count && e.count > 1
          ? ` (x${e.count} over ${humanAge(serverNowMs - (Date.parse(e.firstTimestamp ?? '') || time(e)))})`
          : '';
      return {
        text: `  ${clean(e.type).padEnd(9)}${clean(e.reason).padEnd(18)}${(age + count).padEnd(7)}${clean(e.source?.component).padEnd(19)}${clean(e.message)}`,
        tone: e.type === 'Warning' ? 'warn' : undefined,
      };
    }),
  ];
}
