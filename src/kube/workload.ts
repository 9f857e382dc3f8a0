import type { WorkloadLookup } from '../model/gitops.js';
import { visibleName } from '../model/kubectl.js';
import type { Owner } from '../model/owner.js';
import { KubeError, oneLine } from './errors.js';
import { defaultRequestTimeoutMs, KubeClient } from './http.js';
import type { ResolvedContext } from './kubeconfig.js';

// The labels and annotations of a pod's owning workload: Argo CD and Flux mark the Deployment, not its pods
// (src/model/gitops.ts), so a fix that edits the Deployment needs them to know who would undo the edit.

const PLURALS: Record<string, string> = {
  Deployment: 'deployments',
  StatefulSet: 'statefulsets',
  DaemonSet: 'daemonsets',
};

/**
 * One GET of the apps/v1 object; what went wrong becomes the lookup's reason, in one line. Undefined for
 * owners a fix never edits (Jobs, bare ReplicaSets): their labels would change nothing.
 */
export async function readWorkloadMeta(
  context: ResolvedContext,
  namespace: string,
  owner: Owner,
  client = new KubeClient(context),
): Promise<WorkloadLookup | undefined> {
  const plural = PLURALS[owner.kind];
  if (plural === undefined) return undefined;
  try {
    const object = await client.getJson<{
      metadata?: { labels?: Record<string, string>; annotations?: Record<string, string> };
    }>(
      `/apis/apps/v1/namespaces/${encodeURIComponent(namespace)}/${plural}/${encodeURIComponent(owner.name)}`,
      {},
      { verb: 'get', resource: plural, namespace },
      { timeoutMs: defaultRequestTimeoutMs },
    );
    return { found: { labels: object.metadata?.labels, annotations: object.metadata?.annotations } };
  } catch (error) {
    return { unavailable: unreadReason(error, { context, verb: 'get', plural, namespace }) };
  }
}

/** Why a read of workload objects failed, in one line: RBAC's refusal names what was refused. */
export function unreadReason(
  error: unknown,
  read: { context: ResolvedContext; verb: 'get' | 'list'; plural: string; namespace: string },
): string {
  if (error instanceof KubeError && error.status === 403) {
    return `context ${visibleName(read.context.name)} may not ${read.verb} ${read.plural} in namespace ${read.namespace}`;
  }
  if (error instanceof KubeError && error.status === 404) return 'it was not found';
  return oneLine(error instanceof Error ? error.message : String(error));
}
