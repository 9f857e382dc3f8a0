import { deploymentRevisions, type ReplicaSetLookup, type ReplicaSetMeta } from '../model/rollout.js';
import { defaultRequestTimeoutMs, KubeClient } from './http.js';
import type { ResolvedContext } from './kubeconfig.js';
import { unreadReason } from './workload.js';

// Which of a Deployment's ReplicaSets is the new one is written on the ReplicaSets (model/rollout.ts), not on
// their pods: one LIST of those its pods name, by the pod-template-hash label the controller puts on both.

/**
 * The revisions of the Deployment's ReplicaSets whose template hashes its pods carry, or why they could not be
 * read (a user whose RBAC allows pods only gets the reason, and crashtop says it guesses).
 */
export async function readReplicaSetRevisions(
  context: ResolvedContext,
  namespace: string,
  deployment: string,
  hashes: readonly string[],
  client = new KubeClient(context),
): Promise<ReplicaSetLookup> {
  try {
    const list = await client.getJson<{ items?: ReplicaSetMeta[] }>(
      `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/replicasets`,
      { labelSelector: `pod-template-hash in (${hashes.join(',')})` },
      { verb: 'list', resource: 'replicasets', namespace },
      { timeoutMs: defaultRequestTimeoutMs },
    );
    return { revisions: deploymentRevisions(deployment, list.items ?? []) };
  } catch (error) {
    return {
      unavailable: `its ReplicaSets could not be read: ${unreadReason(error, { context, verb: 'list', plural: 'replicasets', namespace })}`,
    };
  }
}
