import { STATUS_CODES } from 'node:http';
import { visibleName } from '../model/kubectl.js';
import { forbiddenText } from '../model/rbac.js';

// Every failure of the cluster layer becomes a KubeError whose message is ONE line a user can act on:
// what failed, on which context, and what to do. The CLI prints it as is; the live view shows it in the
// header. Messages never contain credentials: they are built from the server URL, the context name and
// the server's own Status message, never from request headers.

export interface KubeErrorDetails {
  /** HTTP status when the server answered. */
  status?: number;
  /** The `reason` of the server's Status object (`Expired`, `Forbidden`...). */
  reason?: string;
  /** The server's own one-line explanation, when it gave one. */
  serverMessage?: string;
}

export class KubeError extends Error {
  override readonly name = 'KubeError';
  readonly exitCode: 1 | 2;
  readonly status?: number;
  readonly reason?: string;
  readonly serverMessage?: string;

  constructor(message: string, exitCode: 1 | 2 = 1, details: KubeErrorDetails = {}) {
    super(oneLine(message));
    this.exitCode = exitCode;
    this.status = details.status;
    this.reason = details.reason;
    this.serverMessage = details.serverMessage === undefined ? undefined : oneLine(details.serverMessage);
  }
}

/** What a request was for, in RBAC words, so a 403 can say exactly what is not allowed. */
export interface RequestPurpose {
  verb: 'get' | 'list' | 'watch';
  resource: string;
  /** Absent for cluster-wide requests (`-A`). */
  namespace?: string;
}

// Server-provided text reaches a terminal through these messages: keep it to one line of printable text.
export function oneLine(text: string, maxLength = 300): string {
  const flat = text
    .replace(/[\u0000-\u001f\u007f-\u009f\u2028\u2029]+/g, ' ')
    .replace(/ {2,}/g, ' ')
    .trim();
  return flat.length > maxLength ? `${flat.slice(0, maxLength - 1)}…` : flat;
}

/** The message and reason of a Kubernetes Status body, when the body is one. */
function parseStatus(body: string): { message?: string; reason?: string; code?: number } {
  try {
    const status: unknown = JSON.parse(body);
    if (typeof status === 'object' && status !== null) {
      const { message, reason, code } = status as Record<string, unknown>;
      return {
        message: typeof message === 'string' ? message : undefined,
        reason: typeof reason === 'string' ? reason : undefined,
        code: typeof code === 'number' ? code : undefined,
      };
    }
  } catch {
    // Not JSON: the kubelet and proxies answer in plain text; the caller uses the raw body.
  }
  return {};
}

function where(purpose: RequestPurpose): string {
  return purpose.namespace === undefined ? 'in all namespaces' : `in namespace "${purpose.namespace}"`;
}

/** A non-2xx answer from the API server. */
export function httpError(context: string, purpose: RequestPurpose, status: number, body: string): KubeError {
  const parsed = parseStatus(body);
  const serverSays = parsed.message ?? body.trim();
  const details = {
    status,
    reason: parsed.reason,
    serverMessage: serverSays === '' ? undefined : serverSays,
  };
  if (status === 401) {
    return new KubeError(
      `the server rejected the credentials of context ${visibleName(context)} (401 Unauthorized): log in again or check --kubeconfig`,
      1,
      details,
    );
  }
  if (status === 403 && purpose.resource.includes('/'))
    return subresourceForbidden(context, purpose, details);
  if (status === 403) {
    const narrower =
      purpose.namespace === undefined
        ? 'ask for access, or drop -A and name the namespaces you may read with -n NS'
        : 'ask for access, or pick a namespace you may read with -n NS';
    return new KubeError(
      `context ${visibleName(context)} may not ${purpose.verb} ${purpose.resource} ${where(purpose)} (403 Forbidden): ${narrower}`,
      1,
      details,
    );
  }
  const statusText = parsed.reason ?? STATUS_CODES[status] ?? 'HTTP error';
  const detail = serverSays === '' ? '' : `: ${serverSays}`;
  return new KubeError(
    `cannot ${purpose.verb} ${purpose.resource} ${where(purpose)} on context ${visibleName(context)} (${status} ${statusText})${detail}`,
    1,
    details,
  );
}

/** Plain words for what a subresource request does, said first when it is forbidden. */
const DOING: Record<string, string> = { 'pods/log': 'reading logs' };

/**
 * A 403 on a subresource alone (a Role that grants pods but not pods/log): the pods are readable, so another
 * namespace is no answer; what to ask for is the one rule the Role lacks. Requests name core resources (no
 * `.group` suffix), hence apiGroups [""].
 */
function subresourceForbidden(
  context: string,
  purpose: RequestPurpose,
  details: KubeErrorDetails,
): KubeError {
  const [resource, subresource] = purpose.resource.split('/');
  const doing = DOING[purpose.resource] ?? `${purpose.verb} ${subresource} of ${resource}`;
  // The API server also relays a 403 it got itself, e.g. from the kubelet when its own kubelet client credential
  // may not proxy to the node ("Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes,
  // subresource=proxy)"): then the user holds the rule already, and only the server's words say what is wrong.
  if (!authorizerDenied(purpose, details.serverMessage)) {
    const detail = details.serverMessage === undefined ? '' : `: ${details.serverMessage}`;
    return new KubeError(
      `the server refused ${doing} ${where(purpose)} on context ${visibleName(context)} (403 Forbidden)${detail}`,
      1,
      details,
    );
  }
  return new KubeError(
    `${doing} is forbidden: ${forbiddenText(context, { ...purpose, group: '' })}`,
    1,
    details,
  );
}

/** Whether the API server's authorizer denied the request itself: `User "u" cannot get resource "pods/log" …`. */
function authorizerDenied(purpose: RequestPurpose, serverMessage: string | undefined): boolean {
  return serverMessage?.includes(`cannot ${purpose.verb} resource "${purpose.resource}"`) ?? false;
}

const tlsCodes = new Set([
  'UNABLE_TO_VERIFY_LEAF_SIGNATURE',
  'UNABLE_TO_GET_ISSUER_CERT_LOCALLY',
  'DEPTH_ZERO_SELF_SIGNED_CERT',
  'SELF_SIGNED_CERT_IN_CHAIN',
  'CERT_HAS_EXPIRED',
  'ERR_TLS_CERT_ALTNAME_INVALID',
  'EPROTO',
]);

/** A failure below HTTP: DNS, TCP, TLS, or our own timeout. */
export function networkError(context: string, server: string, error: unknown): KubeError {
  const err = error as NodeJS.ErrnoException;
  const code = err?.code;
  if (code !== undefined && tlsCodes.has(code)) {
    return new KubeError(
      `TLS with ${server} failed (context ${visibleName(context)}): ${err.message} — check certificate-authority in the kubeconfig`,
    );
  }
  const what =
    err?.syscall !== undefined && code !== undefined
      ? `${err.syscall} ${code}`
      : String(err?.message ?? error);
  return new KubeError(
    `cannot reach ${server} (context ${visibleName(context)}): ${what} — is the cluster up? check --context`,
  );
}
