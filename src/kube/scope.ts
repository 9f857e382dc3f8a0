import { visibleName } from '../model/kubectl.js';
import type { Pod } from '../model/pod.js';
import type { ScopeReport } from '../model/report.js';
import { labelMatcher, SelectorError } from '../model/selector.js';
import { KubeError } from './errors.js';
import { defaultRequestTimeoutMs, KubeClient } from './http.js';
import type { ResolvedContext, Scope } from './kubeconfig.js';
import { namespacePhase } from './namespace-lifecycle.js';
import { listPods, scopeNamespaces } from './pods.js';

// What a scope really covered in one context, and why an empty answer may not be an all-clear: a namespace
// that does not exist (or cannot be checked), a selector that matched nothing in a scope that has pods, or
// -A that RBAC forbids (then the context's namespace is read instead, and said so). Each note is one line.

export type ScopeLooked = ScopeReport;

/** `-l SELECTOR` refused: an input error (exit 2) that says why when known, and what to write instead. */
function invalidSelector(selector: string, why: string | undefined): KubeError {
  return new KubeError(
    `-l ${selector} is not a valid label selector${why ? ` (${why})` : ''}: use kubectl's syntax, e.g. app=web,tier!=db or 'env in (prod,staging)'`,
    2,
  );
}

/** An API server 400 on a list with `-l` is the selector's fault: an input error (exit 2). */
export function selectorError(error: unknown, selector: string | undefined): unknown {
  if (!(error instanceof KubeError) || error.status !== 400 || !selector) return error;
  return invalidSelector(selector, error.serverMessage);
}

/**
 * `-l` checked before any request, with the API server's grammar (model/selector.ts): the live view takes the
 * screen at once, so a selector the server would refuse must be said before it, as the other input errors are.
 */
export function checkSelector(selector: string | undefined): void {
  if (!selector) return;
  try {
    labelMatcher(selector);
  } catch (error) {
    if (error instanceof SelectorError) throw invalidSelector(selector, error.why);
    throw error;
  }
}

/** The note when -A is forbidden and the context's namespace is read instead (the live view says the same). */
export function allNamespacesForbidden(context: ResolvedContext): string {
  return `context ${visibleName(context.name)} may not list pods in all namespaces (403 Forbidden), so only its namespace "${context.defaultNamespace}" is read`;
}

/** The pods of the scope, falling back from a forbidden -A to the context's namespace. */
export async function listScope(
  context: ResolvedContext,
  scope: Scope,
  client = new KubeClient(context),
): Promise<{ pods: Pod[]; looked: ScopeLooked }> {
  const looked = (namespaces: (string | undefined)[], pods: Pod[], notes: string[]): ScopeLooked => ({
    context: context.name,
    namespaces: namespaces.filter((ns): ns is string => ns !== undefined),
    ...(scope.selector ? { selector: scope.selector } : {}),
    pods: pods.length,
    notes,
  });
  try {
    const pods = await listPods(context, scope, client);
    return { pods, looked: looked(scopeNamespaces(context, scope), pods, []) };
  } catch (error) {
    if (scope.allNamespaces && error instanceof KubeError && error.status === 403) {
      const narrowed = { ...scope, allNamespaces: false, namespaces: [context.defaultNamespace] };
      const pods = await listPods(context, narrowed, client).catch((e: unknown) => {
        throw selectorError(e, scope.selector);
      });
      return { pods, looked: looked([context.defaultNamespace], pods, [allNamespacesForbidden(context)]) };
    }
    throw selectorError(error, scope.selector);
  }
}

/** Pods in `namespace` (all when undefined) without any selector: one page of one item and the rest's count. */
async function countPods(client: KubeClient, namespace: string | undefined): Promise<number | undefined> {
  const path =
    namespace === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${encodeURIComponent(namespace)}/pods`;
  try {
    const page = await client.getJson<{ items?: unknown[]; metadata?: { remainingItemCount?: number } }>(
      path,
      { limit: 1 },
      { verb: 'list', resource: 'pods', namespace },
      { timeoutMs: defaultRequestTimeoutMs },
    );
    return (page.items?.length ?? 0) + (page.metadata?.remainingItemCount ?? 0);
  } catch {
    return undefined;
  }
}

/**
 * Notes for a scope that came back without pods where the user may have expected some: each named namespace
 * with no pod is checked to exist (a 404 says it does not; a 403 that it cannot be checked), and a selector
 * that matched nothing is compared with the scope's pod count without it. Whether a named namespace is
 * missing is returned too: that is an input error.
 */
export async function scopeNotes(
  context: ResolvedContext,
  looked: ScopeLooked,
  podsByNamespace: ReadonlyMap<string, number>,
  client = new KubeClient(context),
): Promise<{ notes: string[]; missingNamespaces: string[] }> {
  const notes: string[] = [];
  const missingNamespaces: string[] = [];
  const empty = looked.namespaces.filter((ns) => (podsByNamespace.get(ns) ?? 0) === 0);
  for (const namespace of empty) {
    const phase = await namespacePhase(client, namespace);
    if (phase === 'gone') {
      missingNamespaces.push(namespace);
      notes.push(`namespace "${namespace}" does not exist in context ${visibleName(context.name)}`);
    } else if (phase === 'forbidden' && looked.pods === 0) {
      notes.push(
        `namespace "${namespace}" has no pods you may see, and whether it exists cannot be checked (no permission to get namespaces in context ${visibleName(context.name)})`,
      );
    } else if (phase === 'unknown' && looked.pods === 0) {
      notes.push(
        `namespace "${namespace}" has no pods you may see, and whether it exists could not be checked (reading it from context ${visibleName(context.name)} failed)`,
      );
    }
  }
  if (looked.selector && looked.pods === 0) {
    const scopes = looked.namespaces.filter((ns) => !missingNamespaces.includes(ns));
    const counts = await Promise.all(
      (looked.namespaces.length === 0 ? [undefined] : scopes).map((ns) => countPods(client, ns)),
    );
    const total = counts.every((n) => n !== undefined) ? counts.reduce((a, b) => a + (b ?? 0), 0) : undefined;
    const where =
      looked.namespaces.length === 0 ? 'all namespaces' : `namespace ${looked.namespaces.join(', ')}`;
    notes.push(
      `selector ${looked.selector} matched no pod in ${where} of context ${visibleName(context.name)}${total === undefined ? '' : `; without it there ${total === 1 ? 'is 1 pod' : `are ${total} pods`}`}`,
    );
  }
  return { notes, missingNamespaces };
}
