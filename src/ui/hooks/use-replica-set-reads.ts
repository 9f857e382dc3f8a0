import { useMemo, useReducer } from 'react';
import type { ClusterSource } from '../../kube/source.js';
import { BoundedMap } from '../../model/bounded-map.js';
import type { Pod } from '../../model/pod.js';
import { type ReplicaSetLookup, replicaSetsToRead } from '../../model/rollout.js';
import { firstLine } from './use-async.js';

// Which ReplicaSet of a Deployment is new is read from its ReplicaSets (model/rollout.ts), only for a pod that
// may be part of a failing rollout (replicaSetsToRead), once per set of ReplicaSets its Deployment's pods name,
// and again after FRESH_MS: a rollback re-numbers an old ReplicaSet without changing its pods.
const FRESH_MS = 30_000;
/**
 * Reads kept: one per Deployment and set of pod template hashes seen, so a view open all day through many rollouts
 * would otherwise keep one for each; a dropped read is only asked again.
 */
const MAX_READS = 1_000;

interface Read {
  at: number;
  lookup: ReplicaSetLookup;
}

/** The ReplicaSets read for the pod, or undefined: not needed, or the source cannot read them. */
export type ReplicaSetsOf = (
  context: string,
  pod: Pod,
  siblings: readonly Pod[],
) => ReplicaSetLookup | undefined;

/** A new function each time an answer comes, so that what was worked out from the last one is again. */
export function useReplicaSetReads(source: ClusterSource): ReplicaSetsOf {
  const [answers, answered] = useReducer((n: number) => n + 1, 0);
  const reads = useMemo(() => new BoundedMap<string, Read>(MAX_READS), []);
  // biome-ignore lint/correctness/useExhaustiveDependencies: `answers` stands for the answers come into `reads`.
  return useMemo((): ReplicaSetsOf => {
    const settle = (key: string, lookup: ReplicaSetLookup) => {
      reads.set(key, { at: Date.now(), lookup });
      answered();
    };
    return (context, pod, siblings) => {
      const read = source.readReplicaSets && replicaSetsToRead(pod, siblings);
      if (!read) return undefined;
      const key = JSON.stringify([context, read.namespace, read.deployment, read.hashes]);
      const known = reads.get(key);
      const now = Date.now();
      if (known && ('reading' in known.lookup || now - known.at < FRESH_MS)) return known.lookup;
      // An answer past FRESH_MS stands until the next one comes.
      const lookup: ReplicaSetLookup = known?.lookup ?? { reading: true };
      reads.set(key, { at: now, lookup });
      source.readReplicaSets!({ context, namespace: read.namespace }, read.deployment, read.hashes).then(
        (lookup) => settle(key, lookup),
        (error: unknown) => settle(key, { unavailable: firstLine(error) }),
      );
      return lookup;
    };
  }, [source, reads, answers]);
}
