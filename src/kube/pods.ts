import type { Pod } from '../model/pod.js';
import { defaultRequestTimeoutMs, KubeClient } from './http.js';
import type { ResolvedContext, Scope } from './kubeconfig.js';

// One-shot pod reads for `crashtop explain` and describe. Lists are paged like kubectl's (limit 500) and
// never ask for namespaces: without -A, only the namespaces of the scope (or the context's) are read.

const pageSize = 500;

/** The namespaces a scope covers in one context; `[undefined]` means all namespaces. */
export function scopeNamespaces(context: ResolvedContext, scope: Scope): (string | undefined)[] {
  if (scope.allNamespaces) return [undefined];
  if (scope.namespaces !== undefined && scope.namespaces.length > 0) return [...new Set(scope.namespaces)];
  return [context.defaultNamespace];
}

export async function listPods(
  context: ResolvedContext,
  scope: Scope,
  client = new KubeClient(context),
): Promise<Pod[]> {
  const pods: Pod[] = [];
  for (const namespace of scopeNamespaces(context, scope)) {
    const path =
      namespace === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
    let continueToken: string | undefined;
    do {
      const page = await client.getJson<{ items?: Pod[]; metadata?: { continue?: string } }>(
        path,
        { labelSelector: scope.selector, limit: pageSize, continue: continueToken },
        { verb: 'list', resource: 'pods', namespace },
        { timeoutMs: defaultRequestTimeoutMs },
      );
      pods.push(...(page.items ?? []));
      continueToken = page.metadata?.continue || undefined;
    } while (continueToken !== undefined);
  }
  return pods;
}

/** The full pod, as the server has it now (describe shows more than the watcher keeps). */
export async function getPod(
  context: ResolvedContext,
  namespace: string,
  name: string,
  client = new KubeClient(context),
): Promise<Pod> {
  return client.getJson<Pod>(
    `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods/${encodeURIComponent(name)}`,
    {},
    { verb: 'get', resource: 'pods', namespace },
    { timeoutMs: defaultRequestTimeoutMs },
  );
}
