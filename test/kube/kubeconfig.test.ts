import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeError } from '../../src/kube/errors.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';

const dir = mkdtempSync(join(tmpdir(), 'crashtop-kubeconfig-'));
const write = (name: string, config: object) => {
  const path = join(dir, name);
  writeFileSync(path, stringify(config));
  return path;
};
const twoClusters = write('two', {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [
    { name: 'prod', cluster: { server: 'https://prod.example.com:6443' } },
    { name: 'local', cluster: { server: 'http://127.0.0.1:8001' } },
  ],
  users: [{ name: 'me', user: { token: 'secret' } }],
  contexts: [
    { name: 'prod', context: { cluster: 'prod', user: 'me', namespace: 'shop' } },
    { name: 'local', context: { cluster: 'local', user: 'me' } },
    { name: 'broken', context: { cluster: 'gone', user: 'me' } },
  ],
  'current-context': 'prod',
});
const noCurrent = write('no-current', {
  apiVersion: 'v1',
  kind: 'Config',
  clusters: [{ name: 'prod', cluster: { server: 'https://prod.example.com:6443' } }],
  users: [{ name: 'me', user: { token: 'secret' } }],
  contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'me' } }],
});
const plugin = (user: object) =>
  write(`plugin-${Object.keys(user).join('-')}`, {
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'eks', cluster: { server: 'https://eks.example.com' } }],
    users: [
      {
        name: 'sso',
        user: {
          exec: {
            apiVersion: 'client.authentication.k8s.io/v1beta1',
            command: './bin/aws-sso',
            args: ['token'],
          },
          ...user,
        },
      },
    ],
    contexts: [{ name: 'eks', context: { cluster: 'eks', user: 'sso' } }],
    'current-context': 'eks',
  });
const garbage = join(dir, 'garbage');
writeFileSync(garbage, 'clusters: [unclosed\n  - {');
const savedEnv = process.env.KUBECONFIG;

afterEach(() => {
  if (savedEnv === undefined) delete process.env.KUBECONFIG;
  else process.env.KUBECONFIG = savedEnv;
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('resolveContexts', () => {
  it('uses the current context when none is named, with its namespace', async () => {
    const [context, ...rest] = await resolveContexts({ kubeconfig: twoClusters });
    expect(rest).toEqual([]);
    expect(context).toMatchObject({
      name: 'prod',
      server: 'https://prod.example.com:6443',
      defaultNamespace: 'shop',
    });
    expect(context?.config.getCurrentContext()).toBe('prod');
  });

  it('resolves every --context once, each with its own config, default namespace "default"', async () => {
    const contexts = await resolveContexts({ kubeconfig: twoClusters, contexts: ['local', 'prod', 'local'] });
    expect(contexts.map((c) => [c.name, c.defaultNamespace, c.config.getCurrentContext()])).toEqual([
      ['local', 'default', 'local'],
      ['prod', 'shop', 'prod'],
    ]);
  });

  it('accepts a plain-http server as kubectl does', async () => {
    const [local] = await resolveContexts({ kubeconfig: twoClusters, contexts: ['local'] });
    const options: { headers?: Record<string, string> } = {};
    await local!.config.applyToHTTPSOptions(options);
    expect(options.headers?.Authorization).toBe('Bearer secret');
  });

  it('reads KUBECONFIG when no --kubeconfig is given', async () => {
    process.env.KUBECONFIG = noCurrent;
    const error = await resolveContexts({}).catch((caught: unknown) => caught);
    expect((error as KubeError).message).toBe(
      `KUBECONFIG (${noCurrent}) has no current context: pass --context (contexts: prod)`,
    );
  });

  it.each([
    {
      name: 'an unknown context',
      scope: { kubeconfig: twoClusters, contexts: ['staging'] },
      message: `context "staging" not found in kubeconfig ${twoClusters} (contexts: prod, local, broken)`,
    },
    {
      name: 'a context naming a missing cluster',
      scope: { kubeconfig: twoClusters, contexts: ['broken'] },
      message: `context "broken" names cluster "gone", which kubeconfig ${twoClusters} lacks`,
    },
    {
      name: 'a missing file',
      scope: { kubeconfig: join(dir, 'nope') },
      message: `kubeconfig ${join(dir, 'nope')} not found: check --kubeconfig`,
    },
    {
      name: 'a file that is not YAML',
      scope: { kubeconfig: garbage },
      message:
        /^kubeconfig .*garbage is not valid YAML: missed comma between flow collection entries at line 2, column 5$/,
    },
  ])('fails with exit code 2 on $name', async ({ scope, message }) => {
    const error = await resolveContexts(scope).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).exitCode).toBe(2);
    expect((error as KubeError).message).toMatch(message);
    expect((error as KubeError).message).not.toContain('secret');
  });
});

describe('resolveContexts: exec credential plugins', () => {
  it('hands the plugin over, its path made relative to its file, and keeps it from client-node', async () => {
    const [context] = await resolveContexts({ kubeconfig: plugin({}) });
    expect(context?.exec).toEqual({
      apiVersion: 'client.authentication.k8s.io/v1beta1',
      command: join(dir, 'bin', 'aws-sso'),
      args: ['token'],
    });
    // client-node's ExecAuth would run it with a stdin that never ends and no time limit.
    expect(context?.config.getCurrentUser()?.exec).toBeUndefined();
  });

  it.each([
    ['a token', { token: 'static' }],
    ['a password', { username: 'admin', password: 'pw' }],
    ['a client certificate', { 'client-certificate-data': 'Q0VSVA==', 'client-key-data': 'S0VZ' }],
  ])('no plugin when the user has %s, which wins as in client-go', async (_name, user) => {
    const [context] = await resolveContexts({ kubeconfig: plugin(user) });
    expect(context?.exec).toBeUndefined();
  });
});
