import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import type https from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { agentFor, closeConnections } from '../../src/kube/connections.js';
import { type ResolvedContext, resolveContexts } from '../../src/kube/kubeconfig.js';

// Which contexts share a keep-alive agent: those whose requests carry the same TLS material. The options are
// filled in by client-node as for a real request (src/kube/http.ts), afresh each time.

const b64 = (text: string) => Buffer.from(text).toString('base64');

const KUBECONFIG = `apiVersion: v1
kind: Config
clusters:
- name: prod
  cluster: {server: "https://127.0.0.1:6443", certificate-authority-data: ${b64('prod CA')}}
users:
- name: alice
  user: {client-certificate-data: ${b64('alice cert')}, client-key-data: ${b64('alice key')}}
- name: alice-again
  user: {client-certificate-data: ${b64('alice cert')}, client-key-data: ${b64('alice key')}}
- name: bob
  user: {client-certificate-data: ${b64('bob cert')}, client-key-data: ${b64('bob key')}}
contexts:
- name: alice-shop
  context: {cluster: prod, user: alice, namespace: shop}
- name: alice-web
  context: {cluster: prod, user: alice-again, namespace: web}
- name: bob-shop
  context: {cluster: prod, user: bob, namespace: shop}
current-context: alice-shop
`;

let dir: string;
let contexts: Map<string, ResolvedContext>;
beforeAll(async () => {
  dir = mkdtempSync(join(tmpdir(), 'crashtop-connections-'));
  const kubeconfig = join(dir, 'config');
  writeFileSync(kubeconfig, KUBECONFIG);
  const resolved = await resolveContexts({ kubeconfig, contexts: ['alice-shop', 'alice-web', 'bob-shop'] });
  contexts = new Map(resolved.map((context) => [context.name, context]));
});
afterEach(() => closeConnections());
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** The agent for one request of the context, with the options client-node gives that request. */
async function agentOfRequest(name: string, change?: (options: https.RequestOptions) => void) {
  const context = contexts.get(name)!;
  const options: https.RequestOptions = { method: 'GET', headers: {} };
  await context.config.applyToHTTPSOptions(options);
  change?.(options);
  return agentFor(context, options, true);
}

describe('keep-alive agents by TLS material', () => {
  it('gives one context the same agent for every request', async () => {
    const first = await agentOfRequest('alice-shop');
    expect(first).toBeDefined();
    expect(await agentOfRequest('alice-shop')).toBe(first);
  });

  it('shares one agent between contexts with equal credentials, not with other credentials', async () => {
    const alice = await agentOfRequest('alice-shop');
    const aliceAgain = await agentOfRequest('alice-web');
    const bob = await agentOfRequest('bob-shop');
    expect(aliceAgain).toBe(alice);
    expect(bob).not.toBe(alice);
  });

  it('moves a context whose certificate changed to a new agent, and keeps the shared one for the others', async () => {
    const shared = await agentOfRequest('alice-shop');
    expect(await agentOfRequest('alice-web')).toBe(shared);
    const rotated = await agentOfRequest('alice-web', (options) => {
      options.cert = 'rotated cert';
    });
    expect(rotated).not.toBe(shared);
    expect(await agentOfRequest('alice-shop')).toBe(shared);
  });

  it('closing one context of a shared agent keeps it for the other; closing both ends it', async () => {
    const shared = await agentOfRequest('alice-shop');
    await agentOfRequest('alice-web');
    closeConnections([contexts.get('alice-shop')!]);
    expect(await agentOfRequest('alice-web')).toBe(shared);
    closeConnections([contexts.get('alice-web')!]);
    expect(await agentOfRequest('alice-web')).not.toBe(shared);
  });

  it.each([
    ['binary keys that read as the same text', Buffer.from([0xff]), Buffer.from([0xfe])],
    ['a key as bytes and as text', Buffer.from('alice key'), 'alice key'],
    ['keys with passphrases', [{ pem: 'k', passphrase: 'a' }], [{ pem: 'k', passphrase: 'b' }]],
    ['one key split in two', ['ab', 'c'], ['a', 'bc']],
  ])('never shares an agent between %s', async (_, alice, bob) => {
    const one = await agentOfRequest('alice-shop', (options) => {
      options.key = alice as https.RequestOptions['key'];
    });
    const other = await agentOfRequest('alice-web', (options) => {
      options.key = bob as https.RequestOptions['key'];
    });
    expect(other).not.toBe(one);
  });
});
