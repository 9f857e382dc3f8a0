import type { Resource } from './resources.js';

// The simulator's RBAC knobs (`cluster.restrictTo`, `cluster.deny`) as one decision, used both to refuse requests
// with 403 and to answer SelfSubjectAccessReviews and SelfSubjectRulesReviews, so that what a client is told it may
// do is what the server then lets it do. The token belongs to a viewer: it may read (get, list, watch) every served
// resource, the pods' logs and exec into them, everywhere or, once restricted, in the given namespaces only, less
// what `deny` takes away (a resource, or a subresource alone: `pods/log`, as a Role that grants pods but not their
// logs); it may write nothing (the simulator is read-only).

export const SIM_USER = 'system:serviceaccount:crashtop:viewer';

export const READ_VERBS = ['get', 'list', 'watch'] as const;

/**
 * Subresources the viewer may read, with their verbs; a WebSocket exec is a GET, authorized for `get`, and since
 * Kubernetes 1.31 (AuthorizePodWebsocketUpgradeCreatePermission) for `create` too, both given to a viewer here.
 */
export const READABLE_SUBRESOURCES: Record<string, readonly string[]> = {
  'pods/log': ['get'],
  'pods/exec': ['get', 'create'],
};

export interface ResourceAttributes {
  verb: string;
  group: string;
  resource: string;
  subresource?: string;
  /** '' or undefined: all namespaces, or a cluster-scoped resource. */
  namespace?: string;
  /** The object's name, for a request about one object (its 403 names it, as the API server's does). */
  name?: string;
}

/** What the token's role grants: the namespaces (all when undefined), the resources and subresources it may read. */
export interface Role {
  namespaces: ReadonlySet<string> | undefined;
  resources: readonly Resource[];
  subresources: Readonly<Record<string, readonly string[]>>;
}

/** The viewer's role with the knobs applied: `denied` holds resource plurals and `resource/subresource` names. */
export function viewerRole(
  served: readonly Resource[],
  namespaces: ReadonlySet<string> | undefined,
  denied: ReadonlySet<string> | undefined,
): Role {
  if (!denied) return { namespaces, resources: served, subresources: READABLE_SUBRESOURCES };
  return {
    namespaces,
    resources: served.filter((r) => !denied.has(r.plural)),
    subresources: Object.fromEntries(
      Object.entries(READABLE_SUBRESOURCES).filter(
        ([name]) => !denied.has(name) && !denied.has(name.split('/')[0]!),
      ),
    ),
  };
}

export type Decision = { allowed: true } | { allowed: false; message: string; reason?: string };

export function decide(role: Role, request: ResourceAttributes): Decision {
  const { verb, group, resource, subresource, namespace, name } = request;
  const combined = subresource ? `${resource}/${subresource}` : resource;
  const scope = namespace ? `in the namespace "${namespace}"` : 'at the cluster scope';
  // The API server's words (apiserver responsewriters.Forbidden, apierrors.NewForbidden): the group-qualified
  // resource without its subresource, the object's name when there is one, then the authorizer's attributes.
  const qualified = `${group ? `${resource}.${group}` : resource}${name ? ` "${name}"` : ''}`;
  const forbidden = (reason?: string): Decision => ({
    allowed: false,
    message: `${qualified} is forbidden: User "${SIM_USER}" cannot ${verb} resource "${combined}" in API group "${group}" ${scope}`,
    ...(reason ? { reason } : {}),
  });
  const target = role.resources.find((r) => r.group === group && r.plural === resource);
  if (!target) return forbidden();
  const verbs = subresource ? role.subresources[combined] : READ_VERBS;
  if (subresource && !verbs && READABLE_SUBRESOURCES[combined]) return forbidden();
  if (!verbs?.includes(verb)) return forbidden('the crashtop simulator is read-only');
  if (!role.namespaces) return { allowed: true };
  if (!target.namespaced || !namespace || !role.namespaces.has(namespace)) return forbidden();
  return { allowed: true };
}
