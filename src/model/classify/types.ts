import type { WorkloadLookup } from '../gitops.js';
import type { KubeEvent, Pod, PreviousLogs } from '../pod.js';
import type { ReplicaSetLookup } from '../rollout.js';
import type { MountedVolume } from './volumes.js';

/** The cause ids of DESIGN.md §2, in its order. */
export const CAUSE_IDS = [
  'oom-killed',
  'missing-config',
  'bad-command',
  'liveness-probe',
  'permission-denied',
  'dependency-unreachable',
  'image-pull',
  'exit-zero',
  'segfault',
  'app-error',
  'unknown',
] as const;

export type CauseId = (typeof CAUSE_IDS)[number];

export type Confidence = 'high' | 'medium' | 'low';

export interface Cause {
  id: CauseId;
  container: string;
  confidence: Confidence;
  title: string;
  evidence: string[];
  fix: string;
  commands: string[];
}

export interface DiagnosisInput {
  pod: Pod;
  events?: readonly KubeEvent[];
  logs?: PreviousLogs;
  context?: string;
  /** The kubeconfig files the commands must name (see KubectlCluster); absent for the pod's service account. */
  kubeconfig?: readonly string[];
  /** Read with the pod's service account: the commands name no context (see KubectlCluster). */
  inCluster?: boolean;
  /**
   * Other pods the caller knows (e.g. every pod listed in the namespace), to tell a failing rollout from a
   * Deployment that fails everywhere (../rollout.ts). Without them no rollout is ever asserted.
   */
  siblings?: readonly Pod[];
  /**
   * The revisions of the pod's Deployment's ReplicaSets (which one is new), or why they could not be read.
   * Absent: not read, and which ReplicaSet is new is guessed from pod ages, saying so.
   */
  replicaSets?: ReplicaSetLookup;
  /**
   * The API server's time (epoch ms): a container running between crashes is diagnosed, from its last crash,
   * while its crash loop holds (../crash-loop.ts). Without it, only containers that are not ready are.
   */
  nowMs?: number;
  /**
   * The owning workload's labels and annotations as read from the API server (GitOps owners label the
   * workload, not its pods: ../gitops.ts), or why they could not be read. Absent: not read.
   */
  workload?: WorkloadLookup;
}

/** A ConfigMap or Secret (or one key of it) that the container needs and the cluster does not have. */
export interface MissingConfig {
  kind: 'configmap' | 'secret';
  name: string;
  /** Set when the object exists but lacks this key, or when the env reference names the key. */
  key?: string;
  /** True when the object itself exists and only the key is missing. */
  keyOnly: boolean;
}

/** What a rule found: the quoted evidence, plus names the fix needs. */
export interface Finding {
  evidence: string[];
  missing?: MissingConfig;
  /** `host:port` or host the app could not reach, as the log printed it. */
  endpoint?: string;
  /** Which probe killed the container. */
  probe?: 'liveness' | 'startup';
  /** The pod volume that cannot be mounted, when the missing object is mounted rather than read into env. */
  volume?: string;
  /** The volume holding the path the process was denied, so the fix names the volume (and its claim). */
  deniedOn?: MountedVolume;
  /** The data directory PostgreSQL refused: for its owner or mode, or (initdb) because it is not empty. */
  dataDirectory?: string;
  /** The volume whose root is that data directory: a fresh volume's root holds lost+found. */
  volumeRoot?: MountedVolume;
}
