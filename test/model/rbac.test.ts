import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { deniedRequest, forbiddenText } from '../../src/model/rbac.js';

// The authorizer's 403 sentences as the API server writes them (responsewriters forbiddenMessage, wrapped by
// apierrors.NewForbidden), and what crashtop asks for from each.

describe('deniedRequest', () => {
  it.each([
    [
      'pods "db-0" is forbidden: User "alice" cannot create resource "pods/exec" in API group "" in the namespace "shop"',
      { verb: 'create', group: '', resource: 'pods/exec', namespace: 'shop' },
    ],
    [
      'pods is forbidden: User "system:serviceaccount:ci:deployer" cannot list resource "pods" in API group "" at the cluster scope',
      { verb: 'list', group: '', resource: 'pods' },
    ],
    [
      'deployments.apps "web" is forbidden: User "bob" cannot get resource "deployments" in API group "apps" in the namespace "prod-eu": RBAC: role.rbac.authorization.k8s.io "reader" not found',
      { verb: 'get', group: 'apps', resource: 'deployments', namespace: 'prod-eu' },
    ],
    // kubectl prints it after its own prefix.
    [
      'Error from server (Forbidden): pods "x" is forbidden: User "u" cannot create resource "pods/attach" in API group "" in the namespace "ns1"',
      { verb: 'create', group: '', resource: 'pods/attach', namespace: 'ns1' },
    ],
  ])('%s', (message, request) => {
    expect(deniedRequest(message)).toStrictEqual(request);
  });

  it.each([
    // The kubelet's refusal relayed by the API server: the user holds the rule already.
    'Forbidden (user=kube-apiserver-kubelet-client, verb=get, resource=nodes, subresource=proxy)',
    'unable to upgrade connection: container not found ("postgres")',
    // Not names Kubernetes allows: taken as nothing rather than printed.
    'User "u" cannot get resource "pods\u001b[2J" in API group "" in the namespace "shop"',
    'User "u" cannot get resource "pods" in API group "" in the namespace "Shop"',
    '',
  ])('not an authorizer denial: %j', (message) => {
    expect(deniedRequest(message)).toBeUndefined();
  });

  it('takes only names of DNS characters from any text', () => {
    fc.assert(
      fc.property(fc.string(), fc.string(), fc.string(), fc.string(), (verb, resource, group, ns) => {
        const found = deniedRequest(
          `x is forbidden: User "u" cannot ${verb} resource "${resource}" in API group "${group}" in the namespace "${ns}"`,
        );
        if (!found) return;
        expect(found.verb).toMatch(/^[a-z]+$/);
        expect(found.resource).toMatch(/^[a-z0-9][a-z0-9.-]*(\/[a-z0-9][a-z0-9.-]*)?$/);
        expect(found.group).toMatch(/^[a-z0-9.-]*$/);
        expect(found.namespace ?? 'ns').toMatch(/^[a-z0-9][a-z0-9-]*$/);
      }),
    );
  });
});

describe('forbiddenText', () => {
  it('says what was refused, then the RBAC rule to ask for, where; a WebSocket exec needs get and create', () => {
    expect(
      forbiddenText('prod', { verb: 'create', group: '', resource: 'pods/exec', namespace: 'shop' }),
    ).toBe(
      'context prod may not create pods/exec in namespace "shop" (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods/exec"] verbs ["create", "get"] in namespace "shop"',
    );
    expect(forbiddenText('prod', { verb: 'list', group: '', resource: 'pods' })).toBe(
      'context prod may not list pods in all namespaces (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods"] verbs ["list"] in all namespaces',
    );
  });
});
