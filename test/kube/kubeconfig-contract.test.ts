import { execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { stringify } from 'yaml';
import { KubeError } from '../../src/kube/errors.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';

// The same kubeconfig sets given to kubectl (`config view --minify`, `config current-context`) and to crashtop
// must select the same cluster, user and namespace: first current-context wins, first definition of a name
// wins, empty and missing files in KUBECONFIG are skipped, --kubeconfig ignores KUBECONFIG.

const hasKubectl = (() => {
  try {
    execFileSync('kubectl', ['version', '--client'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

const dir = mkdtempSync(join(tmpdir(), 'crashtop-kubeconfig-contract-'));
const home = join(dir, 'home');
mkdirSync(join(home, '.kube'), { recursive: true });

interface Entry {
  name: string;
  server?: string;
  cluster?: string;
  user?: string;
  namespace?: string;
  token?: string;
}
function kubeconfig(
  file: string,
  parts: { clusters?: Entry[]; users?: Entry[]; contexts?: Entry[]; current?: string },
) {
  const path = join(dir, file);
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: (parts.clusters ?? []).map((c) => ({ name: c.name, cluster: { server: c.server } })),
      users: (parts.users ?? []).map((u) => ({ name: u.name, user: { token: u.token ?? 'x' } })),
      contexts: (parts.contexts ?? []).map((c) => ({
        name: c.name,
        context: { cluster: c.cluster, user: c.user, ...(c.namespace ? { namespace: c.namespace } : {}) },
      })),
      ...(parts.current ? { 'current-context': parts.current } : {}),
    }),
  );
  return path;
}

// Two files that share context, cluster and user names but point at different clusters.
const first = kubeconfig('first.yaml', {
  clusters: [
    { name: 'prod', server: 'https://first-prod.example:6443' },
    { name: 'shared', server: 'https://first-shared.example:6443' },
  ],
  users: [{ name: 'me', token: 'first' }],
  contexts: [{ name: 'prod', cluster: 'prod', user: 'me', namespace: 'shop' }],
});
const second = kubeconfig('second.yaml', {
  clusters: [
    { name: 'prod', server: 'https://second-prod.example:6443' },
    { name: 'shared', server: 'https://second-shared.example:6443' },
  ],
  users: [
    { name: 'me', token: 'second' },
    { name: 'ops', token: 'ops' },
  ],
  contexts: [
    { name: 'prod', cluster: 'prod', user: 'ops', namespace: 'payments' },
    { name: 'staging', cluster: 'shared', user: 'me' },
  ],
  current: 'staging',
});
const third = kubeconfig('third.yaml', {
  clusters: [{ name: 'third', server: 'https://third.example:6443' }],
  users: [{ name: 'me' }],
  contexts: [{ name: 'third', cluster: 'third', user: 'me', namespace: 'web' }],
  current: 'third',
});
const empty = join(dir, 'empty.yaml');
writeFileSync(empty, '');
const missing = join(dir, 'missing.yaml');
const homeConfig = join(home, '.kube', 'config');
writeFileSync(
  homeConfig,
  stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: 'prod', cluster: { server: 'https://home-prod.example:6443' } }],
    users: [{ name: 'me', user: { token: 'home' } }],
    contexts: [{ name: 'prod', context: { cluster: 'prod', user: 'me' } }],
    'current-context': 'prod',
  }),
);

interface Case {
  name: string;
  env?: string[];
  kubeconfig?: string;
  context?: string;
}

const cases: Case[] = [
  { name: 'the default ~/.kube/config' },
  { name: '--kubeconfig alone', kubeconfig: first, context: 'prod' },
  { name: '--kubeconfig wins over KUBECONFIG', kubeconfig: third, env: [first, second] },
  { name: 'KUBECONFIG: the first current-context wins', env: [third, second] },
  { name: 'KUBECONFIG: a later file sets current-context', env: [first, second] },
  { name: 'KUBECONFIG: the first definition of a context wins', env: [first, second], context: 'prod' },
  { name: 'KUBECONFIG: the first definition of a cluster wins', env: [first, second], context: 'staging' },
  { name: 'KUBECONFIG: reversed order', env: [second, first], context: 'prod' },
  { name: 'KUBECONFIG: empty and missing files are skipped', env: [empty, missing, first, second] },
  { name: 'KUBECONFIG: a file listed twice', env: [second, first, second], context: 'prod' },
];

function kubectlView(c: Case) {
  const args = [
    ...(c.kubeconfig ? ['--kubeconfig', c.kubeconfig] : []),
    ...(c.context ? ['--context', c.context] : []),
  ];
  const env = { PATH: process.env.PATH, HOME: home, ...(c.env ? { KUBECONFIG: c.env.join(':') } : {}) };
  const view = JSON.parse(
    execFileSync('kubectl', [...args, 'config', 'view', '--minify', '-o', 'json'], { env, encoding: 'utf8' }),
  ) as {
    contexts: { name: string; context: { cluster: string; user: string; namespace?: string } }[];
    clusters: { cluster: { server: string } }[];
  };
  const current = () =>
    execFileSync('kubectl', [...args.slice(0, c.kubeconfig ? 2 : 0), 'config', 'current-context'], {
      env,
      encoding: 'utf8',
    }).trim();
  const context = view.contexts[0]!;
  return {
    name: c.context ?? current(),
    cluster: context.context.cluster,
    user: context.context.user,
    namespace: context.context.namespace ?? 'default',
    server: view.clusters[0]!.cluster.server,
  };
}

const saved = { KUBECONFIG: process.env.KUBECONFIG, HOME: process.env.HOME };
function useEnv(c: Case) {
  process.env.HOME = home;
  if (c.env) process.env.KUBECONFIG = c.env.join(':');
  else delete process.env.KUBECONFIG;
}
afterEach(() => {
  for (const [key, value] of Object.entries(saved)) {
    if (value === undefined) delete process.env[key];
    else process.env[key] = value;
  }
});
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe.skipIf(!hasKubectl)('kubeconfig: crashtop selects what kubectl selects', () => {
  it.each(cases)('$name', async (c) => {
    const expected = kubectlView(c);
    useEnv(c);
    const [context] = await resolveContexts({
      kubeconfig: c.kubeconfig,
      contexts: c.context ? [c.context] : [],
    });
    expect({
      name: context!.name,
      cluster: context!.cluster,
      user: context!.user,
      namespace: context!.defaultNamespace,
      server: context!.server,
    }).toEqual(expected);
  });

  it('uses the token of the user kubectl picks (the first definition)', async () => {
    useEnv({ name: '', env: [first, second] });
    const [context] = await resolveContexts({ contexts: ['staging'] });
    const options: { headers?: Record<string, string> } = {};
    await context!.config.applyToHTTPSOptions(options);
    expect(options.headers?.Authorization).toBe('Bearer first');
  });
});

describe('kubeconfig: the files kubectl must be told about', () => {
  it.each([
    // Named too: pasted into a pane whose KUBECONFIG holds a context of the same name (kubeadm's
    // kubernetes-admin@kubernetes, k3s's default), a command without it reaches that other cluster.
    { name: 'the default ~/.kube/config', env: undefined, kubeconfig: undefined, files: [homeConfig] },
    { name: 'the --kubeconfig file', env: [first, second], kubeconfig: third, files: [third] },
    { name: 'a one-file KUBECONFIG', env: [missing, first, empty], kubeconfig: undefined, files: [first] },
    {
      name: 'every file of a KUBECONFIG list',
      env: [second, first],
      kubeconfig: undefined,
      files: [second, first],
    },
  ])('$name', async ({ env, kubeconfig: file, files }) => {
    useEnv({ name: '', env });
    const [context] = await resolveContexts({
      kubeconfig: file,
      contexts: ['prod'].filter(() => file !== third),
    });
    expect(context!.kubeconfig).toEqual(files);
  });
});

describe('kubeconfig: one line naming the file', () => {
  const malformed = join(dir, 'malformed.yaml');
  writeFileSync(malformed, 'clusters:\n  - name: a\n    cluster: {server: [unclosed\nusers: []\n');
  const scalar = join(dir, 'scalar.yaml');
  writeFileSync(scalar, 'just a string\n');
  it.each([
    {
      name: 'an empty --kubeconfig',
      scope: { kubeconfig: empty },
      message: `kubeconfig ${empty} is empty: check --kubeconfig`,
    },
    {
      name: 'a malformed file in KUBECONFIG',
      env: [first, malformed],
      scope: {},
      message: new RegExp(`^kubeconfig ${malformed} is not valid YAML: .*line \\d+, column \\d+`),
    },
    {
      name: 'a file that is not a mapping',
      scope: { kubeconfig: scalar },
      message: `kubeconfig ${scalar} is not a kubeconfig (expected a mapping with clusters, users and contexts)`,
    },
    {
      name: 'a KUBECONFIG of empty and missing files',
      env: [empty, missing],
      scope: {},
      message: `every file of KUBECONFIG (${empty}:${missing}) is missing or empty: fix KUBECONFIG or pass --kubeconfig`,
    },
  ])('$name', async ({ scope, env, message }) => {
    useEnv({ name: '', env });
    const error = await resolveContexts(scope).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).exitCode).toBe(2);
    expect((error as KubeError).message).toMatch(message);
    expect((error as KubeError).message).not.toContain('\n');
  });
});
