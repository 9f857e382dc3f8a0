// What RBAC rule a refused request lacks, in the words a cluster admin acts on. The API server's authorizer says
// what it denied in a fixed sentence (apiserver endpoints/handlers/responsewriters forbiddenMessage):
//   User "u" cannot create resource "pods/exec" in API group "" in the namespace "shop"
//   User "u" cannot list resource "pods" in API group "" at the cluster scope
// That sentence comes from the cluster, so only names of the characters Kubernetes allows are taken from it: what
// is asked for is then safe to print whatever else the message holds.

export interface RbacRequest {
  verb: string;
  /** The API group: '' for the core group. */
  group: string;
  /** The resource, `/subresource` included (`pods/log`). */
  resource: string;
  /** Absent: at the cluster scope (every namespace). */
  namespace?: string;
}

const DENIED =
  /cannot ([a-z]+) resource "([a-z0-9][a-z0-9.-]*(?:\/[a-z0-9][a-z0-9.-]*)?)" in API group "([a-z0-9.-]*)" (?:in the namespace "([a-z0-9][a-z0-9-]*)"|at the cluster scope)/;

/** The request the authorizer denied, read from its 403 message; undefined when the message is not its own. */
export function deniedRequest(serverMessage: string): RbacRequest | undefined {
  const found = DENIED.exec(serverMessage);
  if (!found) return undefined;
  const [, verb, resource, group, namespace] = found;
  return { verb: verb!, group: group!, resource: resource!, ...(namespace ? { namespace } : {}) };
}

/**
 * A WebSocket exec, attach or port-forward is a GET, authorized for `get` and, since Kubernetes 1.31
 * (AuthorizePodWebsocketUpgradeCreatePermission), for `create` too; SPDY (older kubectl) is a POST: `create`. The
 * authorizer names only the first verb it denied: the rule must hold both.
 */
const STREAMING = new Set(['pods/exec', 'pods/attach', 'pods/portforward']);

function where(request: RbacRequest): string {
  return request.namespace === undefined ? 'in all namespaces' : `in namespace "${request.namespace}"`;
}

/**
 * `context C may not get pods/log in namespace "shop" (403 Forbidden): ask your cluster admin for the RBAC rule
 * apiGroups [""] resources ["pods/log"] verbs ["get"] in namespace "shop"`: what was refused and what to ask for.
 */
export function forbiddenText(context: string, request: RbacRequest): string {
  const { verb, group, resource } = request;
  const verbs = (STREAMING.has(resource) ? ['create', 'get'] : [verb]).map((v) => `"${v}"`).join(', ');
  return `context ${context} may not ${verb} ${resource} ${where(request)} (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups ["${group}"] resources ["${resource}"] verbs [${verbs}] ${where(request)}`;
}
