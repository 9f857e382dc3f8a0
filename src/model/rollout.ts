import { controllerOf, ownerOf } from './owner.js';
import { plural } from './plural.js';
import type { Pod } from './pod.js';
import { isUnhealthy, podSummary } from './status.js';

// Is this pod part of a Deployment rollout that is failing? The deployment controller creates a new ReplicaSet
// `<deployment>-<pod-template-hash>` for each new pod template and scales the previous one down only as new
// pods become ready; a new template that crash-loops therefore leaves the previous ReplicaSet's pods running.
// Then rolling back is the fix that is known to work.
//
// Which ReplicaSet is new is what the deployment controller says: it gives the new one the revision
// (annotation deployment.kubernetes.io/revision) one above the highest of the others, and re-numbers an old one
// it rolls back to the same way (deployment_util.go: FindNewReplicaSet, MaxRevision), so the new ReplicaSet is
// the one with the highest revision. Pods do not carry it, and their ages do not tell it: a node drain or an
// eviction re-creates an old ReplicaSet's pods after the new one's. When the ReplicaSets could not be read
// (RBAC, an offline file of pods), the ReplicaSet whose oldest pod is younger is taken for the newer one, and
// everything that says so says it is a guess.

const REVISION_ANNOTATION = 'deployment.kubernetes.io/revision';

/**
 * The ReplicaSets of a pod's Deployment as read from the API server, or why they could not be read; `reading`
 * while the answer is on its way (nothing is asserted then: a guess would only be replaced a moment later).
 */
export type ReplicaSetLookup =
  | { revisions: ReadonlyMap<string, number> }
  | { unavailable: string }
  | { reading: true };

/** The fields of a ReplicaSet this reads. */
export interface ReplicaSetMeta {
  metadata: {
    name: string;
    namespace?: string;
    annotations?: Record<string, string>;
    ownerReferences?: { kind: string; name: string; controller?: boolean }[];
  };
}

/**
 * The revision of each ReplicaSet the Deployment controls. One without a revision (not yet synced by the
 * controller, or made by hand) has none: which one is new among them is not asserted.
 */
export function deploymentRevisions(
  deployment: string,
  replicaSets: readonly ReplicaSetMeta[],
): Map<string, number> {
  const revisions = new Map<string, number>();
  for (const rs of replicaSets) {
    // A --pod file is what a user saved, not what a server checked.
    const refs = Array.isArray(rs.metadata.ownerReferences) ? rs.metadata.ownerReferences : [];
    const controller = refs.find((r) => r.controller) ?? refs[0];
    if (controller?.kind !== 'Deployment' || controller.name !== deployment) continue;
    const text = rs.metadata.annotations?.[REVISION_ANNOTATION];
    const revision = text !== undefined && /^\d+$/.test(text) ? Number(text) : undefined;
    if (revision !== undefined) revisions.set(rs.metadata.name, revision);
  }
  return revisions;
}

/** How the pod's ReplicaSet was told to be the new one. */
export type NewerBy =
  | { by: 'revision'; revision: number; previousRevision: number }
  /** A guess from pod ages (RFC 3339 creation times of each ReplicaSet's oldest pod); `unread` says why. */
  | { by: 'pod-age'; since: string; previousSince: string; unread: string };

export interface FailingRollout {
  deployment: string;
  namespace: string;
  /** This pod's ReplicaSet, the new one. */
  replicaSet: string;
  /** How many pods of it there are (none running and ready). */
  replicaSetPods: number;
  /** An older ReplicaSet whose pods still run and are ready. */
  previous: string;
  previousRunning: number;
  newer: NewerBy;
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

/** The pods of the pod's Deployment, per ReplicaSet; undefined when no Deployment owns the pod. */
function groupByReplicaSet(
  pod: Pod,
  siblings: readonly Pod[],
): { own: Membership; byReplicaSet: Map<string, Pod[]> } | undefined {
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
  return { own, byReplicaSet };
}

/**
 * The ReplicaSets worth reading for this pod: those of its Deployment that its pods name (by their
 * pod-template-hash), when the pod's own has no pod running and ready and another has one. Undefined when no
 * answer could make a failing rollout of it, so that a Deployment that is not mid-rollout costs no request.
 */
export function replicaSetsToRead(
  pod: Pod,
  siblings: readonly Pod[],
): { deployment: string; namespace: string; hashes: string[] } | undefined {
  const grouped = groupByReplicaSet(pod, siblings);
  if (!grouped || grouped.byReplicaSet.size < 2) return undefined;
  const { own, byReplicaSet } = grouped;
  if (byReplicaSet.get(own.replicaSet)!.some(runningReady)) return undefined;
  if (![...byReplicaSet.values()].some((pods) => pods.some(runningReady))) return undefined;
  const hashes = new Set<string>();
  for (const pods of byReplicaSet.values()) {
    const hash = pods[0]!.metadata.labels?.['pod-template-hash'];
    if (hash) hashes.add(hash);
  }
  return { deployment: own.deployment, namespace: own.namespace, hashes: [...hashes].sort() };
}

/** What is known of the pod's ReplicaSets when they were not read at all (an offline file of pods). */
const NOT_READ = 'its ReplicaSets were not read';

/**
 * For another ReplicaSet of the Deployment, how the pod's is newer than it, by the revisions; undefined when the
 * pod's ReplicaSet is not the new one or has no revision, so that no other can be older.
 */
function olderByRevision(
  own: string,
  revisions: ReadonlyMap<string, number>,
): ((other: string) => NewerBy | undefined) | undefined {
  const revision = revisions.get(own);
  if (revision === undefined || Math.max(...revisions.values()) !== revision) return undefined;
  return (other) => {
    const previousRevision = revisions.get(other);
    return previousRevision !== undefined && previousRevision < revision
      ? { by: 'revision', revision, previousRevision }
      : undefined;
  };
}

/** The same guessed from pod ages: the ReplicaSet whose oldest pod is younger is taken for the newer one. */
function olderByPodAge(
  ownPods: readonly Pod[],
  podsOf: ReadonlyMap<string, Pod[]>,
  unread: string,
): ((other: string) => NewerBy | undefined) | undefined {
  const since = oldest(ownPods);
  if (!since) return undefined;
  return (other) => {
    const previousSince = oldest(podsOf.get(other) ?? []);
    return previousSince && previousSince.ms < since.ms
      ? { by: 'pod-age', since: since.at, previousSince: previousSince.at, unread }
      : undefined;
  };
}

/**
 * The failing rollout this pod belongs to, if any: the pod's ReplicaSet belongs to a Deployment, none of its pods
 * is running and ready, it is the new ReplicaSet (by `replicaSets`' revisions; guessed from pod ages when they
 * could not be read), and an older ReplicaSet of the same Deployment still has pods running and ready. With
 * several such ReplicaSets, the one with the most running pods is named.
 */
export function failingRollout(
  pod: Pod,
  siblings: readonly Pod[],
  replicaSets?: ReplicaSetLookup,
): FailingRollout | undefined {
  const grouped = groupByReplicaSet(pod, siblings);
  if (!grouped) return undefined;
  const { own, byReplicaSet } = grouped;

  // A new ReplicaSet with a healthy pod is not what fails: this pod's trouble is its own (node, timing…).
  const ownPods = byReplicaSet.get(own.replicaSet)!;
  if (ownPods.some(runningReady)) return undefined;
  if (replicaSets && 'reading' in replicaSets) return undefined;
  const olderThanOwn =
    replicaSets && 'revisions' in replicaSets
      ? olderByRevision(own.replicaSet, replicaSets.revisions)
      : olderByPodAge(ownPods, byReplicaSet, replicaSets?.unavailable ?? NOT_READ);
  if (!olderThanOwn) return undefined;
  let found: FailingRollout | undefined;
  for (const [replicaSet, pods] of byReplicaSet) {
    if (replicaSet === own.replicaSet) continue;
    const newer = olderThanOwn(replicaSet);
    const running = pods.filter(runningReady).length;
    if (!newer || running === 0) continue;
    if (found && found.previousRunning >= running) continue;
    found = {
      deployment: own.deployment,
      namespace: own.namespace,
      replicaSet: own.replicaSet,
      replicaSetPods: ownPods.length,
      previous: replicaSet,
      previousRunning: running,
      newer,
    };
  }
  return found;
}

/** What decided it, in the words of the evidence list. */
export function rolloutEvidence(rollout: FailingRollout): string[] {
  const { previous, previousRunning: n, newer } = rollout;
  const running = `${n} ${plural(n, 'pod')} of the previous ReplicaSet ${previous} ${n === 1 ? 'is' : 'are'} running`;
  if (newer.by === 'revision') {
    return [
      running,
      `ReplicaSet ${rollout.replicaSet} is the new one: revision ${newer.revision} (${REVISION_ANNOTATION}), ${previous} is revision ${newer.previousRevision}`,
    ];
  }
  return [
    running,
    `ReplicaSet ${rollout.replicaSet} is guessed to be the newer one (${newer.unread}): its first pod was created at ${newer.since}, ${previous}'s at ${newer.previousSince}; a node drain re-creates old pods and makes this wrong`,
  ];
}

/**
 * The owner's group line: the rollout stuck, then in kubectl rollout status's words how many of the new
 * ReplicaSet's pods are available ("Waiting for deployment … rollout to finish: 0 of 2 updated replicas are
 * available..."), and how many old ones still serve. `how` is what the new pods do (`crash-looping`). A guess
 * from pod ages asks rather than says.
 */
export function stuckRolloutText(rollout: FailingRollout, how: string): string {
  const { replicaSetPods: n, previousRunning: old } = rollout;
  const stuck = rollout.newer.by === 'revision' ? 'rollout stuck' : 'rollout stuck? (by pod age)';
  return `${stuck}: new pods ${how}, 0 of ${n} updated replicas available, ${old} old running`;
}
