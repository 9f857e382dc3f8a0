import { controllerOf, ownerOf } from './owner.js';
import type { Pod } from './pod.js';
import { isUnhealthy, podSummary } from './status.js';

// Is this pod part of a Deployment rollout that is failing? The deployment controller creates a new ReplicaSet
// `<deployment>-<pod-template-hash>` for each new pod template and scales the previous one down only as new
// pods become ready; a new template that crash-loops therefore leaves the previous ReplicaSet's pods running.
// Then rolling back is the fix that is known to work.
//
// Which ReplicaSet is newer is written on the ReplicaSets (annotation deployment.kubernetes.io/revision), not on
// the pods, so from pods alone it is a heuristic: a ReplicaSet's first pod is created when it is first scaled
// up, so the ReplicaSet whose oldest pod is younger is the newer one. This holds during a rollout, when the
// previous ReplicaSet keeps pods created before the new one existed; it can be wrong if every pod of the
// previous ReplicaSet was replaced after the rollout began (a node drain). Without creation times, nothing is
// asserted.

export interface FailingRollout {
  deployment: string;
  namespace: string;
  /** This pod's ReplicaSet, the newer one. */
  replicaSet: string;
  /** Creation time of its oldest pod (RFC 3339). */
  replicaSetSince: string;
  /** How many pods of it there are (none running and ready). */
  replicaSetPods: number;
  /** The older ReplicaSet whose pods still run and are ready. */
  previous: string;
  previousSince: string;
  previousRunning: number;
}

interface Membership {
  deployment: string;
  replicaSet: string;
  namespace: string;
}

function membershipOf(pod: Pod): Membership | undefined {
  const owner = ownerOf(pod);
  const ref = controllerOf(pod);
  if (owner?.kind !== 'Deployment' || ref?.kind !== 'ReplicaSet') return undefined;
  return { deployment: owner.name, replicaSet: ref.name, namespace: pod.metadata.namespace ?? 'default' };
}

function createdMs(pod: Pod): number | undefined {
  const ms = Date.parse(pod.metadata.creationTimestamp ?? '');
  return Number.isNaN(ms) ? undefined : ms;
}

/** The oldest pod of a ReplicaSet, when every pod says when it was created. */
function oldest(pods: readonly Pod[]): { ms: number; at: string } | undefined {
  let first: { ms: number; at: string } | undefined;
  for (const pod of pods) {
    const ms = createdMs(pod);
    if (ms === undefined) return undefined;
    if (first === undefined || ms < first.ms) first = { ms, at: pod.metadata.creationTimestamp! };
  }
  return first;
}

/** The caller's list may hold the pod itself, possibly as another copy of the object. */
function samePod(a: Pod, b: Pod): boolean {
  if (a.metadata.uid !== undefined && b.metadata.uid !== undefined) return a.metadata.uid === b.metadata.uid;
  return a.metadata.name === b.metadata.name && a.metadata.namespace === b.metadata.namespace;
}

/** Running and ready: what `kubectl get` shows as Running with all containers ready. */
function runningReady(pod: Pod): boolean {
  return (
    pod.metadata.deletionTimestamp === undefined && podSummary(pod).status === 'Running' && !isUnhealthy(pod)
  );
}

/**
 * The failing rollout this pod belongs to, if any: the pod's ReplicaSet belongs to a Deployment, none of its pods
 * is running and ready, it is newer than another ReplicaSet of the same Deployment (see the heuristic above), and
 * that one still has pods running and ready. With several such ReplicaSets, the one with the most running pods
 * is named.
 */
export function failingRollout(pod: Pod, siblings: readonly Pod[]): FailingRollout | undefined {
  const own = membershipOf(pod);
  if (!own) return undefined;
  const byReplicaSet = new Map<string, Pod[]>([[own.replicaSet, [pod]]]);
  for (const sibling of siblings) {
    if (samePod(sibling, pod)) continue;
    const other = membershipOf(sibling);
    if (other?.namespace !== own.namespace || other.deployment !== own.deployment) continue;
    const group = byReplicaSet.get(other.replicaSet);
    if (group) group.push(sibling);
    else byReplicaSet.set(other.replicaSet, [sibling]);
  }

  // A new ReplicaSet with a healthy pod is not what fails: this pod's trouble is its own (node, timing…).
  const ownPods = byReplicaSet.get(own.replicaSet)!;
  const since = oldest(ownPods);
  if (!since || ownPods.some(runningReady)) return undefined;
  let found: FailingRollout | undefined;
  for (const [replicaSet, pods] of byReplicaSet) {
    if (replicaSet === own.replicaSet) continue;
    const previousSince = oldest(pods);
    const running = pods.filter(runningReady).length;
    if (!previousSince || previousSince.ms >= since.ms || running === 0) continue;
    if (found && found.previousRunning >= running) continue;
    found = {
      deployment: own.deployment,
      namespace: own.namespace,
      replicaSet: own.replicaSet,
      replicaSetSince: since.at,
      replicaSetPods: ownPods.length,
      previous: replicaSet,
      previousSince: previousSince.at,
      previousRunning: running,
    };
  }
  return found;
}

/** What decided it, in the words of the evidence list. */
export function rolloutEvidence(rollout: FailingRollout): string[] {
  const { previous, previousRunning: n } = rollout;
  return [
    `${n} ${n === 1 ? 'pod' : 'pods'} of the previous ReplicaSet ${previous} ${n === 1 ? 'is' : 'are'} running`,
    `ReplicaSet ${rollout.replicaSet} is the newer one: its first pod was created at ${rollout.replicaSetSince}, ${previous}'s at ${rollout.previousSince}`,
  ];
}

/**
 * The owner's group line: the rollout stuck, then in kubectl rollout status's words how many of the new
 * ReplicaSet's pods are available ("Waiting for deployment … rollout to finish: 0 of 2 updated replicas are
 * available..."), and how many old ones still serve. `how` is what the new pods do (`crash-looping`).
 */
export function stuckRolloutText(rollout: FailingRollout, how: string): string {
  const { replicaSetPods: n, previousRunning: old } = rollout;
  return `rollout stuck: new pods ${how}, 0 of ${n} updated replicas available, ${old} old running`;
}
