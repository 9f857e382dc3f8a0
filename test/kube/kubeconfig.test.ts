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
