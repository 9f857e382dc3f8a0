import type { EventInput } from './events.js';
import { hex64, uid } from './names.js';
import type { NodeEventScenario } from './scenario.js';
import { rfc3339 } from './time-format.js';

// The simulated kubelets as the API server lists them (`kubectl get nodes`): Ready, with the capacity and system
// info a small cloud VM reports. Their status is not rewritten every 10 s as a real kubelet's heartbeat is: the
// simulator has no node failures, and a steady object keeps watches quiet.

export interface NodeObject {
  apiVersion: 'v1';
  kind: 'Node';
  metadata: {
    name: string;
    uid: string;
    resourceVersion?: string;
    creationTimestamp: string;
    labels: Record<string, string>;
    annotations: Record<string, string>;
  };
  spec: { podCIDR: string; podCIDRs: string[]; unschedulable?: boolean };
  status: Record<string, unknown>;
}

export const KUBELET_VERSION = 'v1.32.0';

export const nodeUid = (name: string) => uid(`node/${name}`);

/** The event the kubelet records for a scenario's node event, in its own words (scenario.ts NODE_EVENT_REASONS). */
export function nodeEventInput(event: NodeEventScenario): EventInput {
  const { node, reason } = event;
  switch (reason) {
    case 'NodeHasInsufficientMemory':
    case 'NodeHasDiskPressure':
    case 'NodeHasInsufficientPID':
    case 'NodeNotReady':
      return { reason, type: 'Normal', message: `Node ${node} status is now: ${reason}` };
    case 'EvictionThresholdMet':
      return { reason, type: 'Warning', message: `Attempting to reclaim ${event.detail ?? 'memory'}` };
    case 'Rebooted':
      return {
        reason,
        type: 'Warning',
        message: `Node ${node} has been rebooted, boot id: ${uid(`boot:${node}`)}`,
      };
    case 'SystemOOM': {
      const pid = 1000 + (Number.parseInt(hex64(`oom/${node}`).slice(0, 4), 16) % 30000);
      return {
        reason,
        type: 'Warning',
        message: `System OOM encountered, victim process: ${event.detail ?? 'java'}, pid: ${pid}`,
      };
    }
  }
}

/**
 * The condition a pressure report turns True, as setters.go's MemoryPressureCondition, DiskPressureCondition and
 * PIDPressureCondition write it; other node events change no condition here.
 */
const PRESSURE: Partial<
  Record<NodeEventScenario['reason'], [type: string, reason: string, message: string]>
> = {
  NodeHasInsufficientMemory: [
    'MemoryPressure',
    'KubeletHasInsufficientMemory',
    'kubelet has insufficient memory available',
  ],
  NodeHasDiskPressure: ['DiskPressure', 'KubeletHasDiskPressure', 'kubelet has disk pressure'],
  NodeHasInsufficientPID: [
    'PIDPressure',
    'KubeletHasInsufficientPID',
    'kubelet has insufficient PID available',
  ],
};

/** The node after a scenario's node event at `at`: under pressure from then on, when the event reports one. */
export function nodeAfterEvent(
  node: NodeObject,
  event: NodeEventScenario,
  at: number,
): NodeObject | undefined {
  const pressure = PRESSURE[event.reason];
  if (!pressure) return undefined;
  const [type, reason, message] = pressure;
  const conditions = (node.status.conditions as { type: string }[]).map((c) =>
    c.type === type
      ? {
          ...c,
          status: 'True',
          reason,
          message,
          lastTransitionTime: rfc3339(at),
          lastHeartbeatTime: rfc3339(at),
        }
      : c,
  );
  return { ...node, metadata: { ...node.metadata }, status: { ...node.status, conditions } };
}

/** The node's InternalIP, which is also the hostIP of its pods. */
export const nodeInternalIp = (index: number) => `172.18.0.${index + 2}`;

export function nodeObject(name: string, index: number, createdAt: number): NodeObject {
  const since = rfc3339(createdAt);
  const condition = (type: string, status: string, reason: string, message: string) => ({
    type,
    status,
    lastHeartbeatTime: since,
    lastTransitionTime: since,
    reason,
    message,
  });
  const resources = { cpu: '4', memory: '16365384Ki', pods: '110', 'ephemeral-storage': '101569200Ki' };
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: {
      name,
      uid: nodeUid(name),
      creationTimestamp: since,
      labels: {
        'beta.kubernetes.io/arch': 'amd64',
        'beta.kubernetes.io/os': 'linux',
        'kubernetes.io/arch': 'amd64',
        'kubernetes.io/hostname': name,
        'kubernetes.io/os': 'linux',
      },
      annotations: {
        'node.alpha.kubernetes.io/ttl': '0',
        'volumes.kubernetes.io/controller-managed-attach-detach': 'true',
      },
    },
    spec: { podCIDR: `10.244.${index}.0/24`, podCIDRs: [`10.244.${index}.0/24`] },
    status: {
      capacity: resources,
      allocatable: { ...resources, cpu: '3920m', memory: '15238984Ki' },
      conditions: [
        condition(
          'MemoryPressure',
          'False',
          'KubeletHasSufficientMemory',
          'kubelet has sufficient memory available',
        ),
        condition('DiskPressure', 'False', 'KubeletHasNoDiskPressure', 'kubelet has no disk pressure'),
        condition('PIDPressure', 'False', 'KubeletHasSufficientPID', 'kubelet has sufficient PID available'),
        condition('Ready', 'True', 'KubeletReady', 'kubelet is posting ready status'),
      ],
      addresses: [
        { type: 'InternalIP', address: nodeInternalIp(index) },
        { type: 'Hostname', address: name },
      ],
      daemonEndpoints: { kubeletEndpoint: { Port: 10250 } },
      nodeInfo: {
        machineID: hex64(`machine:${name}`).slice(0, 32),
        systemUUID: uid(`system:${name}`),
        bootID: uid(`boot:${name}`),
        kernelVersion: '6.1.0-28-cloud-amd64',
        osImage: 'Debian GNU/Linux 12 (bookworm)',
        containerRuntimeVersion: 'containerd://1.7.24',
        kubeletVersion: KUBELET_VERSION,
        kubeProxyVersion: KUBELET_VERSION,
        operatingSystem: 'linux',
        architecture: 'amd64',
      },
    },
  };
}
