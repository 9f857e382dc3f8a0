import { describe, expect, it } from 'vitest';
import { httpError, KubeError, networkError, oneLine } from '../../src/kube/errors.js';

/** A 403 Status as the API server writes it. */
function forbiddenStatus(message: string, details?: { name: string; kind: string }): string {
  return JSON.stringify({
    kind: 'Status',
    status: 'Failure',
    reason: 'Forbidden',
    code: 403,
    message,
    details,
  });
}

const forbiddenBody = forbiddenStatus('pods is forbidden: User "dev" cannot list resource "pods"');

describe('errors', () => {
  it.each([
    {
      name: '401',
      error: httpError('prod', { verb: 'list', resource: 'pods', namespace: 'shop' }, 401, '{}'),
      message:
        'the server rejected the credentials of context prod (401 Unauthorized): log in again or check --kubeconfig',
    },
    {
      name: '403 cluster-wide',
      error: httpError('prod', { verb: 'list', resource: 'pods' }, 403, forbiddenBody),
      message:
        'context prod may not list pods in all namespaces (403 Forbidden): ask for access, or drop -A and name the namespaces you may read with -n NS',
    },
    {
      // A Role granting pods but not pods/log: another namespace is no answer, the missing rule is.
      name: '403 on pods/log alone',
      error: httpError(
        'prod',
        { verb: 'get', resource: 'pods/log', namespace: 'shop' },
        403,
        forbiddenStatus(
          'pods "web-1" is forbidden: User "dev" cannot get resource "pods/log" in API group "" in the namespace "shop"',
          { name: 'web-1', kind: 'pods' },
        ),
      ),
      message:
        'reading logs is forbidden: context prod may not get pods/log in namespace "shop" (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods/log"] verbs ["get"] in namespace "shop"',
    },
    {
      // The API server relays the kubelet's refusal of its own client credential: the user may read logs, so no
      // RBAC advice; the server's words are the only clue (kubernetes/kubernetes#56277, kubeadm#211).
      name: '403 on pods/log relayed from the kubelet',
      error: httpError(
        'prod',
        { verb: 'get', resource: 'pods/log', namespace: 'shop' },
        403,
        forbiddenStatus(
          'Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy) ( pods/log web-1)',
        ),
      ),
      message:
        'the server refused reading logs in namespace "shop" on context prod (403 Forbidden): Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy) ( pods/log web-1)',
    },
    {
      name: '403 in a namespace',
      error: httpError('prod', { verb: 'watch', resource: 'events', namespace: 'shop' }, 403, forbiddenBody),
      message:
        'context prod may not watch events in namespace "shop" (403 Forbidden): ask for access, or pick a namespace you may read with -n NS',
    },
    {
      name: '500 with the server message',
      error: httpError(
        'prod',
        { verb: 'get', resource: 'pods', namespace: 'shop' },
        500,
        '{"reason":"InternalError","message":"etcd\\nleader changed"}',
      ),
      message: 'cannot get pods in namespace "shop" on context prod (500 InternalError): etcd leader changed',
    },
    {
      name: 'refused',
      error: networkError(
        'prod',
        'https://127.0.0.1:6443',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), {
          code: 'ECONNREFUSED',
          syscall: 'connect',
        }),
      ),
      message:
        'cannot reach https://127.0.0.1:6443 (context prod): connect ECONNREFUSED — is the cluster up? check --context',
    },
    {
      // Shown as the commands spell it: with the ESC dropped, it would read as a context named `prod[31m`.
      name: 'a context name with an escape sequence',
      error: networkError(
        'prod\u001b[31m',
        'https://127.0.0.1:6443',
        Object.assign(new Error('connect ECONNREFUSED 127.0.0.1:6443'), {
          code: 'ECONNREFUSED',
          syscall: 'connect',
        }),
      ),
      message:
        "cannot reach https://127.0.0.1:6443 (context $'prod\\x1b[31m'): connect ECONNREFUSED — is the cluster up? check --context",
    },
  ])('$name', ({ error, message }) => {
    expect(error).toBeInstanceOf(KubeError);
    expect(error.message).toBe(message);
    expect(error.exitCode).toBe(1);
  });

  it('keeps the status and the server message for callers that decide on them', () => {
    const error = httpError(
      'prod',
      { verb: 'get', resource: 'pods/log', namespace: 'shop' },
      400,
      '{"message":"previous terminated container \\"app\\" in pod \\"web\\" not found","reason":"BadRequest"}',
    );
    expect(error).toMatchObject({
      status: 400,
      reason: 'BadRequest',
      serverMessage: 'previous terminated container "app" in pod "web" not found',
    });
  });

  it('flattens control characters and bounds the length', () => {
    expect(oneLine('a\u001b]52;c;x\u0007\r\nb')).toBe('a ]52;c;x b');
    expect(oneLine('x'.repeat(500), 10)).toBe(`${'x'.repeat(9)}…`);
    expect(new KubeError('two\nlines').message).toBe('two lines');
  });
});
