import type { IncomingMessage, ServerResponse } from 'node:http';
import { decide, READ_VERBS, type Role } from './rbac.js';
import { decodeReview, PROTOBUF_CONTENT_TYPE, ProtobufError } from './review-protobuf.js';
import { HttpError, sendJson } from './status.js';

// POST /apis/authorization.k8s.io/v1/selfsubjectaccessreviews and …/selfsubjectrulesreviews: "may I?" for one
// request (`kubectl auth can-i`, k9s before it lists a resource) and "what may I do in this namespace?"
// (`kubectl auth can-i --list`), both answered from the RBAC knob (rbac.ts). The only writes the simulator takes.

export const ACCESS_REVIEW_GROUP = 'authorization.k8s.io';

export const ACCESS_REVIEW_RESOURCES = [
  { plural: 'selfsubjectaccessreviews', kind: 'SelfSubjectAccessReview' },
  { plural: 'selfsubjectrulesreviews', kind: 'SelfSubjectRulesReview' },
] as const;

const REVIEW_PATH =
  /^\/apis\/authorization\.k8s\.io\/v1\/(selfsubjectaccessreviews|selfsubjectrulesreviews)$/;

/** Discovery and health paths that every authenticated user may GET (the system:discovery role). */
const NON_RESOURCE_URLS = [
  '/api',
  '/api/*',
  '/apis',
  '/apis/*',
  '/healthz',
  '/livez',
  '/readyz',
  '/version',
  '/version/',
];

const MAX_BODY_BYTES = 1024 * 1024;

export function isAccessReview(path: string): boolean {
  return REVIEW_PATH.test(path);
}

interface ReviewSpec {
  resourceAttributes?: {
    namespace?: string;
    verb?: string;
    group?: string;
    resource?: string;
    subresource?: string;
    name?: string;
  };
  nonResourceAttributes?: { path?: string; verb?: string };
  namespace?: string;
}

export async function serveAccessReview(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  role: Role,
): Promise<void> {
  const plural = REVIEW_PATH.exec(path)?.[1];
  const review = ACCESS_REVIEW_RESOURCES.find((r) => r.plural === plural)!;
  const body = await readReview(req);
  if (body.kind !== undefined && body.kind !== review.kind) {
    throw new HttpError(400, `the body is a ${String(body.kind)}, not a ${review.kind}`);
  }
  const spec = (body.spec ?? {}) as ReviewSpec;
  const status =
    review.kind === 'SelfSubjectAccessReview'
      ? accessStatus(spec, role)
      : rulesStatus(spec.namespace ?? '', role);
  sendJson(
    res,
    201,
    JSON.stringify({
      kind: review.kind,
      apiVersion: `${ACCESS_REVIEW_GROUP}/v1`,
      metadata: { creationTimestamp: null },
      spec,
      status,
    }),
  );
}

function accessStatus(spec: ReviewSpec, role: Role) {
  const attributes = spec.resourceAttributes;
  if (!attributes) {
    const nonResource = spec.nonResourceAttributes;
    if (!nonResource?.path || !nonResource.verb) {
      throw new HttpError(
        400,
        'exactly one of nonResourceAttributes or resourceAttributes must be specified',
      );
    }
    const allowed =
      nonResource.verb === 'get' && NON_RESOURCE_URLS.some((url) => matchesUrl(url, nonResource.path!));
    return { allowed };
  }
  const decision = decide(role, {
    verb: attributes.verb ?? '',
    group: attributes.group ?? '',
    resource: attributes.resource ?? '',
    subresource: attributes.subresource || undefined,
    namespace: attributes.namespace || undefined,
  });
  if (decision.allowed)
    return { allowed: true, reason: "RBAC: allowed by the crashtop simulator's viewer role" };
  return decision.reason ? { allowed: false, reason: decision.reason } : { allowed: false };
}

function matchesUrl(pattern: string, path: string): boolean {
  return pattern.endsWith('*') ? path.startsWith(pattern.slice(0, -1)) : path === pattern;
}

function rulesStatus(namespace: string, role: Role) {
  const review = {
    verbs: ['create'],
    apiGroups: [ACCESS_REVIEW_GROUP],
    resources: ACCESS_REVIEW_RESOURCES.map((r) => r.plural),
  };
  const readable = role.resources.filter(
    (r) => !role.namespaces || (r.namespaced && namespace !== '' && role.namespaces.has(namespace)),
  );
  const resourceRules: Record<string, string[]>[] = [review];
  for (const group of [...new Set(readable.map((r) => r.group))].sort()) {
    resourceRules.push({
      verbs: [...READ_VERBS],
      apiGroups: [group],
      resources: readable.filter((r) => r.group === group).map((r) => r.plural),
    });
  }
  for (const [name, verbs] of Object.entries(role.subresources)) {
    if (readable.some((r) => r.group === '' && r.plural === name.split('/')[0])) {
      resourceRules.push({ verbs: [...verbs], apiGroups: [''], resources: [name] });
    }
  }
  return {
    resourceRules,
    nonResourceRules: [{ verbs: ['get'], nonResourceURLs: NON_RESOURCE_URLS }],
    incomplete: false,
  };
}

/** The posted review, JSON or Kubernetes protobuf (what kubectl sends). */
async function readReview(req: IncomingMessage): Promise<Record<string, unknown>> {
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of req) {
    size += (chunk as Buffer).length;
    if (size > MAX_BODY_BYTES) throw new HttpError(413, 'the request body is too large');
    chunks.push(chunk as Buffer);
  }
  const body = Buffer.concat(chunks);
  if (req.headers['content-type']?.startsWith(PROTOBUF_CONTENT_TYPE)) {
    try {
      return decodeReview(body);
    } catch (error) {
      if (error instanceof ProtobufError || error instanceof TypeError) {
        throw new HttpError(400, `the request body is not a protobuf review: ${error.message}`);
      }
      throw error;
    }
  }
  try {
    const parsed = JSON.parse(body.toString('utf8')) as unknown;
    if (parsed && typeof parsed === 'object' && !Array.isArray(parsed))
      return parsed as Record<string, unknown>;
  } catch {
    // Falls through to the same error as a body of the wrong shape.
  }
  throw new HttpError(400, 'the request body is not a JSON object');
}
