import type { ObjectMeta, Pod, PodSpec, Probe } from '../model/pod.js';
import type { PodRuntime } from './kubelet.js';
import type { PodTemplateScenario, SimContainer } from './scenario.js';
import { rfc3339 } from './time-format.js';

// The Pod JSON the apiserver would return: the scenario's containers with the defaults the apiserver fills in, and
// the status the emulated kubelet wrote.

export interface PodPlacement {
  meta: ObjectMeta;
  spec: PodSpec;
  podIP: string;
  hostIP: string;
  qosClass: string;
}

/** A pod spec as stored by the apiserver (defaults applied); shared by all pods of a ReplicaSet. */
export function podSpec(template: PodTemplateScenario, restartPolicy: string): PodSpec {
  const spec: PodSpec & Record<string, unknown> = {
    containers: template.containers.map((c) => withDefaults(c.spec)),
    restartPolicy,
    terminationGracePeriodSeconds: 30,
    dnsPolicy: 'ClusterFirst',
    serviceAccountName: 'default',
    serviceAccount: 'default',
    securityContext: {},
    schedulerName: 'default-scheduler',
    tolerations: [
      {
        key: 'node.kubernetes.io/not-ready',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
      {
        key: 'node.kubernetes.io/unreachable',
        operator: 'Exists',
        effect: 'NoExecute',
        tolerationSeconds: 300,
      },
    ],
    priority: 0,
    enableServiceLinks: true,
    preemptionPolicy: 'PreemptLowerPriority',
  };
  if (template.initContainers.length > 0)
    spec.initContainers = template.initContainers.map((c) => withDefaults(c.spec));
  if (template.volumes) spec.volumes = template.volumes;
  return spec;
}

function withDefaults(container: SimContainer): SimContainer {
  const latest = !/:[^/]+$/.test(container.image ?? '') || container.image?.endsWith(':latest');
  const out: SimContainer = {
    resources: {},
    terminationMessagePath: '/dev/termination-log',
    terminationMessagePolicy: 'File',
    imagePullPolicy: latest ? 'Always' : 'IfNotPresent',
    ...container,
  };
  // SetDefaults_ContainerPort: the apiserver writes protocol TCP when a port has none.
  if (container.ports) out.ports = container.ports.map((port) => ({ protocol: 'TCP', ...port }));
  for (const key of ['livenessProbe', 'readinessProbe', 'startupProbe'] as const) {
    const probe = container[key];
    if (probe) out[key] = probeWithDefaults(probe);
  }
  return out;
}

function probeWithDefaults(probe: Probe): Probe {
  return {
    ...probe,
    ...(probe.httpGet ? { httpGet: { scheme: 'HTTP', ...probe.httpGet } } : {}),
    timeoutSeconds: probe.timeoutSeconds ?? 1,
    periodSeconds: probe.periodSeconds ?? 10,
    successThreshold: probe.successThreshold ?? 1,
    failureThreshold: probe.failureThreshold ?? 3,
  };
}

/** `GetPodQOS`, simplified to what scenarios use: all limits equal requests → Guaranteed. */
export function qosClass(spec: PodSpec): string {
  const resources = spec.containers.map((c) => c.resources ?? {});
  const any = resources.some(
    (r) => Object.keys(r.limits ?? {}).length + Object.keys(r.requests ?? {}).length > 0,
  );
  if (!any) return 'BestEffort';
  const guaranteed = resources.every((r) => {
    const limits = r.limits ?? {};
    const requests = { ...limits, ...(r.requests ?? {}) };
    return ['cpu', 'memory'].every((k) => limits[k] !== undefined && limits[k] === requests[k]);
  });
  return guaranteed ? 'Guaranteed' : 'Burstable';
}

export function podObject(runtime: PodRuntime, placement: PodPlacement, now: number): Pod {
  const status = runtime.status(now);
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { ...placement.meta },
    spec: placement.spec,
    status: {
      phase: status.phase,
      conditions: status.conditions,
      hostIP: placement.hostIP,
      hostIPs: [{ ip: placement.hostIP }],
      podIP: placement.podIP,
      podIPs: [{ ip: placement.podIP }],
      startTime: rfc3339(runtime.createdAt),
      ...(status.initContainerStatuses ? { initContainerStatuses: status.initContainerStatuses } : {}),
      containerStatuses: status.containerStatuses,
      qosClass: placement.qosClass,
    } as Pod['status'],
  };
}
