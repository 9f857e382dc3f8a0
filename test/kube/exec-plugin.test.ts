import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import {
  type ExecPlugin,
  endPlugins,
  execInfo,
  lastLine,
  PluginError,
  type PluginFailure,
  parseExecCredential,
  parseExecPlugin,
  runPlugin,
} from '../../src/kube/exec-plugin.js';
import { alive, EXITS_1, printsToken, runsIn, sleepsForever, writePlugin } from '../helpers/exec-plugins.js';

const V1 = 'client.authentication.k8s.io/v1';
const dir = mkdtempSync(join(tmpdir(), 'crashtop-exec-plugin-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const plugin = (command: string, more: Partial<ExecPlugin> = {}): ExecPlugin => ({
  apiVersion: V1,
  command,
  args: [],
  env: {},
  interactiveMode: 'IfAvailable',
  provideClusterInfo: false,
  ...more,
});
const bounded = (boundMs = 5000) => ({
  interactive: false,
  boundMs,
  execInfo: JSON.stringify({ kind: 'ExecCredential', apiVersion: V1, spec: { interactive: false } }),
});

/** The pids of a sleepsForever plugin and its helper, once it has written them. */
function pidsIn(file: string): number[] | undefined {
  try {
    const pids = readFileSync(file, 'utf8').split(' ').map(Number);
    return pids.length === 2 ? pids : undefined;
  } catch {
    return undefined;
  }
}

async function failureOf(run: Promise<unknown>): Promise<PluginFailure> {
  const error = await run.then(
    () => undefined,
    (e: unknown) => e,
  );
  if (!(error instanceof PluginError)) throw new Error(`expected a PluginError, got ${String(error)}`);
  return error.failure;
}

describe('parseExecPlugin: users[].user.exec as client-go checks it', () => {
  it.each([
    [
      'EKS as `aws eks update-kubeconfig` writes it (v1beta1, no interactiveMode: IfAvailable)',
      {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'prod'],
        env: [{ name: 'AWS_PROFILE', value: 'ops' }],
      },
      {
        apiVersion: 'client.authentication.k8s.io/v1beta1',
        command: 'aws',
        args: ['--region', 'eu-west-1', 'eks', 'get-token', '--cluster-name', 'prod'],
        env: { AWS_PROFILE: 'ops' },
        interactiveMode: 'IfAvailable',
        provideClusterInfo: false,
      },
    ],
    [
      'GKE (v1, provideClusterInfo, env null)',
      {
        apiVersion: V1,
        command: 'gke-gcloud-auth-plugin',
        interactiveMode: 'IfAvailable',
        provideClusterInfo: true,
        env: null,
      },
      {
        apiVersion: V1,
        command: 'gke-gcloud-auth-plugin',
        args: [],
        env: {},
        interactiveMode: 'IfAvailable',
        provideClusterInfo: true,
      },
    ],
    [
      'kubelogin, interactiveMode Never',
      { apiVersion: V1, command: 'kubelogin', args: ['get-token'], interactiveMode: 'Never' },
      { apiVersion: V1, command: 'kubelogin', args: ['get-token'], env: {}, interactiveMode: 'Never' },
    ],
  ])('%s', (_name, exec, expected) => {
    expect(parseExecPlugin(exec)).toMatchObject(expected);
  });

  it.each([
    ['no command', { apiVersion: V1 }, 'exec.command is missing'],
    [
      'the removed v1alpha1',
      { apiVersion: 'client.authentication.k8s.io/v1alpha1', command: 'x' },
      /apiVersion/,
    ],
    ['args that are not strings', { apiVersion: V1, command: 'x', args: [1] }, /args/],
    ['env as a mapping', { apiVersion: V1, command: 'x', env: { A: 'b' } }, /env/],
    ['an unknown interactiveMode', { apiVersion: V1, command: 'x', interactiveMode: 'Sometimes' }, /Never/],
    ['not a mapping', 'aws', /mapping/],
  ])('refuses %s, saying what is wrong', (_name, exec, why) => {
    const parsed = parseExecPlugin(exec);
    expect(typeof parsed).toBe('string');
    expect(parsed).toMatch(why);
  });
});

describe('parseExecCredential: the plugin’s stdout', () => {
  const credential = (status: object, apiVersion = V1) =>
    JSON.stringify({ apiVersion, kind: 'ExecCredential', status });

  it.each([
    ['a token', credential({ token: 't' }), { token: 't' }],
    [
      'a token that expires',
      credential({ token: 't', expirationTimestamp: '2026-12-03T07:00:00Z' }),
      { token: 't', expiresAt: Date.parse('2026-12-03T07:00:00Z') },
    ],
    [
      'a client certificate and key',
      credential({ clientCertificateData: 'CERT', clientKeyData: 'KEY' }),
      { cert: 'CERT', key: 'KEY' },
    ],
  ])('%s', (_name, stdout, expected) => {
    expect(parseExecCredential(stdout, V1)).toEqual(expected);
  });

  it.each([
    ['nothing', '', 'it printed nothing'],
    ['a login banner', 'Please log in', 'its output is not JSON'],
    ['another kind', JSON.stringify({ apiVersion: V1, kind: 'Status' }), /not an ExecCredential/],
    ['another apiVersion', credential({ token: 't' }, 'client.authentication.k8s.io/v1beta1'), /v1beta1/],
    ['no status', JSON.stringify({ apiVersion: V1, kind: 'ExecCredential' }), /no status/],
    ['an empty status', credential({}), /no token or client certificate/],
    ['a certificate without its key', credential({ clientCertificateData: 'CERT' }), /not both/],
    ['a bad expiry', credential({ token: 't', expirationTimestamp: 'soon' }), /not a time/],
  ])('refuses %s', (_name, stdout, why) => {
    expect(parseExecCredential(stdout, V1)).toMatch(why);
  });
});

describe('execInfo: KUBERNETES_EXEC_INFO', () => {
  const cluster = { server: 'https://prod:6443', 'certificate-authority-data': 'Q0E=' };
  it('says whether the run is interactive, and the cluster only when the kubeconfig asks for it', () => {
    expect(JSON.parse(execInfo(plugin('x'), true, cluster))).toEqual({
      kind: 'ExecCredential',
      apiVersion: V1,
      spec: { interactive: true },
    });
    expect(JSON.parse(execInfo(plugin('x', { provideClusterInfo: true }), false, cluster))).toEqual({
      kind: 'ExecCredential',
      apiVersion: V1,
      spec: { interactive: false, cluster },
    });
  });
});

describe('lastLine: what a failed plugin said last', () => {
  it('is the last line with words, its escapes and carriage returns gone', () => {
    expect(lastLine('fetching\n\u001b[31mError: expired\u001b[0m\r\n\n')).toBe('Error: expired');
    expect(lastLine('10%\r50%\r100% failed\n')).toBe('100% failed');
    expect(lastLine('')).toBe('');
  });

  it('is one line of printable text (tabs kept), whatever the plugin wrote', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (stderr) => {
        expect(lastLine(stderr)).not.toMatch(/[\u0000-\u0008\u000a-\u001f\u007f-\u009f]/);
      }),
    );
  });
});

describe('runPlugin: one run of a real plugin', () => {
  it('reads the credential; the kubeconfig’s env and KUBERNETES_EXEC_INFO are set, stdin is not a terminal', async () => {
    const runs = join(dir, 'prints.runs');
    const command = writePlugin(
      dir,
      'prints',
      printsToken({ token: 'sesame', expiresInS: 60, runsFile: runs }),
    );
    const started = Date.now();
    const credential = await runPlugin(plugin(command, { env: { PLUGIN_GREETING: 'hello' } }), bounded());
    expect(credential.token).toBe('sesame');
    expect(credential.expiresAt).toBeGreaterThan(started + 50_000);
    const [run] = runsIn(runs);
    expect(run?.env).toBe('hello');
    expect(JSON.parse(run?.info ?? '{}')).toMatchObject({ spec: { interactive: false } });
    expect(run?.stdinIsTTY).toBe(false);
  });

  it('a plugin that waits for a login: given up after the bound, its whole process group killed', async () => {
    const pids = join(dir, 'sleeps.pids');
    const command = writePlugin(dir, 'sleeps', sleepsForever(pids));
    const started = Date.now();
    expect(await failureOf(runPlugin(plugin(command), bounded(1500)))).toEqual({
      kind: 'silent',
      boundMs: 1500,
    });
    expect(Date.now() - started).toBeLessThan(5000);
    const [pluginPid, helperPid] = pidsIn(pids) ?? [];
    await expect.poll(() => alive(pluginPid!) || alive(helperPid!)).toBe(false);
  });

  it('endPlugins ends a plugin that is still running, and its helpers', async () => {
    const pids = join(dir, 'ended.pids');
    const command = writePlugin(dir, 'ended', sleepsForever(pids));
    const run = failureOf(runPlugin(plugin(command), bounded(20_000)));
    await expect.poll(() => pidsIn(pids)).toBeDefined();
    const [pluginPid, helperPid] = pidsIn(pids) ?? [];
    expect(alive(helperPid!)).toBe(true);
    endPlugins();
    expect(await run).toMatchObject({ kind: 'exit', signal: 'SIGKILL' });
    await expect.poll(() => alive(pluginPid!) || alive(helperPid!)).toBe(false);
  });

  it('a plugin that exits 1: its status and its stderr’s last line', async () => {
    const command = writePlugin(dir, 'fails', EXITS_1);
    expect(await failureOf(runPlugin(plugin(command), bounded()))).toEqual({
      kind: 'exit',
      code: 1,
      signal: null,
      lastLine: 'Error: the SSO session has expired',
    });
  });

  it('a command that does not exist, or cannot be run', async () => {
    expect(await failureOf(runPlugin(plugin(join(dir, 'nowhere')), bounded()))).toEqual({ kind: 'missing' });
    expect(await failureOf(runPlugin(plugin('crashtop-no-such-plugin'), bounded()))).toEqual({
      kind: 'missing',
    });
    const notExecutable = join(dir, 'not-executable');
    writeFileSync(notExecutable, '#!/bin/sh\n');
    expect(await failureOf(runPlugin(plugin(notExecutable), bounded()))).toEqual({ kind: 'denied' });
  });

  it('a plugin whose output is not a credential', async () => {
    const command = writePlugin(dir, 'banner', "process.stdout.write('Logged in as ops@example.com');");
    expect(await failureOf(runPlugin(plugin(command), bounded()))).toEqual({
      kind: 'output',
      why: 'its output is not JSON',
    });
  });
});
