import type { Container, Volume } from '../model/pod.js';
import type { CrashLoopCurve } from './backoff.js';

// A scenario is what the simulated cluster runs: namespaces, workloads and, per container, how it behaves. The YAML
// form is documented in scenarios/README.md; `scenario-loader.ts` turns it into these types.

/** What a container instance does once the kubelet starts it (or fails to). */
export type Behavior =
  | { kind: 'run' }
  | { kind: 'crash'; afterMs: number; exitCode: number; reason: string; message?: string }
  | {
      kind: 'liveness-failure';
      afterMs: number;
      probeMessage: string;
      exitCode: number;
      probe: 'Liveness' | 'Startup';
    }
  | { kind: 'missing-config'; resource: 'ConfigMap' | 'Secret'; name: string; key?: string }
  | { kind: 'image-pull'; message: string };

export interface LogScript {
  /** Printed as every instance starts. */
  lines: string[];
  /** Printed just before an instance exits (a stack trace, a fatal error). */
  exitLines: string[];
  /** Printed forever after `lines`, e.g. an access log of a healthy server. */
  repeat?: { line: string; everyMs: number };
}

/** Container fields beyond the model's subset that the emulator reads. */
export interface SimContainer extends Container {
  terminationMessagePolicy?: 'File' | 'FallbackToLogsOnError';
  terminationMessagePath?: string;
  imagePullPolicy?: string;
  ports?: { containerPort: number; hostPort?: number; protocol?: string; name?: string }[];
}

export interface ContainerScenario {
  /** Passed through to the pod spec as is (image, resources, probes, env…). */
  spec: SimContainer;
  behavior: Behavior;
  logs: LogScript;
}

export interface PodTemplateScenario {
  initContainers: ContainerScenario[];
  containers: ContainerScenario[];
  volumes?: Volume[];
}

export interface WorkloadScenario {
  name: string;
  kind: 'Deployment' | 'StatefulSet' | 'DaemonSet' | 'Job' | 'Pod';
  /** Pods: for a DaemonSet, one per node; for a Job, its parallelism (and completions). */
  replicas: number;
  labels: Record<string, string>;
  restartPolicy: 'Always' | 'OnFailure' | 'Never';
  /** How long before the simulator started the pods were created (AGE). */
  ageMs: number;
  template: PodTemplateScenario;
  /** A rollout in progress: a new ReplicaSet of `replicas` pods with this template next to the old one. */
  rollout?: { replicas: number; ageMs: number; template: PodTemplateScenario };
}

export interface NamespaceScenario {
  name: string;
  workloads: WorkloadScenario[];
}

export interface Scenario {
  name: string;
  nodes: string[];
  crashLoop: CrashLoopCurve;
  namespaces: NamespaceScenario[];
  /** What the nodes' kubelets report about the nodes themselves (memory or disk pressure, reboots…). */
  nodeEvents?: NodeEventScenario[];
}

/**
 * The Node events a kubelet records (all on the Node, in namespace `default`, as client-go's recorder puts events
 * of cluster-scoped objects):
 * - `NodeHasInsufficientMemory`, `NodeHasDiskPressure`, `NodeHasInsufficientPID` (Normal, "Node N status is now:
 *   R"): the pressure conditions turning True, pkg/kubelet/nodestatus/setters.go via recordNodeStatusEvent;
 * - `NodeNotReady` (Normal, the same message): the Ready condition turning False, same file;
 * - `EvictionThresholdMet` (Warning, "Attempting to reclaim memory"): pkg/kubelet/eviction/eviction_manager.go;
 * - `Rebooted` (Warning, "Node N has been rebooted, boot id: …"): the MachineInfo setter, setters.go;
 * - `SystemOOM` (Warning, "System OOM encountered, victim process: P, pid: N"): pkg/kubelet/oom/oom_watcher_linux.go.
 */
export const NODE_EVENT_REASONS = [
  'NodeHasInsufficientMemory',
  'NodeHasDiskPressure',
  'NodeHasInsufficientPID',
  'NodeNotReady',
  'EvictionThresholdMet',
  'Rebooted',
  'SystemOOM',
] as const;
export type NodeEventReason = (typeof NODE_EVENT_REASONS)[number];

export interface NodeEventScenario {
  node: string;
  reason: NodeEventReason;
  /** When, from the simulation's start: negative in the history before it. */
  atMs: number;
  /** EvictionThresholdMet: the resource reclaimed (memory, ephemeral-storage, pid); SystemOOM: the victim process. */
  detail?: string;
}
