import type { Resource } from './resources.js';

// The simulator's RBAC knob (`cluster.restrictTo`) as one decision, used both to refuse requests with 403 and to
// answer SelfSubjectAccessReviews and SelfSubjectRulesReviews, so that what a client is told it may do is what
// the server then lets it do. The token belongs to a viewer: it may read (get, list, watch) every served
// resource and the pods' logs, everywhere or, once restricted, in the given namespaces only; it may write nothing
// (the simulator is read-only).

export const SIM_USER = 'system:serviceaccount:crashtop:viewer';

export const READ_VERBS = ['get', 'list', 'watch'] as const;

/**
 * Subresources the viewer may read, with their verbs; pods/exec needs `create` (also for a WebSocket GET since
 * Kubernetes 1.31, AuthorizePodWebsocketUpgradeCreatePermission), which a viewer of the namespace is given here.
 */
export const READABLE_SUBRESOURCES: Record<string, readonly string[]> = {
  'pods/log': ['get'],
  'pods/exec': ['create'],
};

export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** '' or undefined: all namespaces, or a cluster-scoped resource. */
  namespace?: string;
}

export type Decision = { allowed: true } | { allowed: false; message: string; reason?: string };

export function decide(
  allowedNamespaces: ReadonlySet<string> | undefined,
  served: readonly Resource[],
  request: ResourceAttributes,
): Decision {
  const { verb, group, resource, subresource, namespace } = request;
  const name = subresource ? `${resource}/${subresource}` : resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  const forbidden = (reason?: string): Decision => ({
    allowed: false,
    message: `${name} is forbidden: User "${SIM_USER}" cannot ${verb} resource "${name}" in API group "${group}" ${scope}`,
    ...(reason ? { reason } : {}),
  });
  const target = served.find((r) => r.group === group && r.plural === resource);
  if (!target) return forbidden();
  const verbs = subresource ? READABLE_SUBRESOURCES[name] : READ_VERBS;
  if (!verbs?.includes(verb)) return forbidden('the crashtop simulator is read-only');
  if (!allowedNamespaces) return { allowed: true };
  if (!target.namespaced || !namespace || !allowedNamespaces.has(namespace)) return forbidden();
  return { allowed: true };
}
