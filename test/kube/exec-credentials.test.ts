import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { KubeError } from '../../src/kube/errors.js';
import {
  CredentialCache,
  credentialFor,
  failureMessage,
  signIn,
  stillValid,
} from '../../src/kube/exec-credentials.js';
import type { ExecCredential, ExecPlugin } from '../../src/kube/exec-plugin.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import {
  EXITS_1,
  pluginKubeconfig,
  printsToken,
  runsIn,
  sleepsForever,
  writePlugin,
} from '../helpers/exec-plugins.js';

const dir = mkdtempSync(join(tmpdir(), 'crashtop-exec-credentials-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

/** A kubeconfig of two contexts on one cluster, with the simulator's shape (no simulator needed: no request). */
function kubeconfigRunning(name: string, exec: Record<string, unknown>): string {
  const base = join(dir, `${name}.base`);
  const text = [
    'apiVersion: v1',
    'kind: Config',
    'clusters: [{ name: c, cluster: { server: "https://127.0.0.1:1", certificate-authority-data: Q0E= } }]',
    'users: [{ name: u, user: { token: unused } }]',
    'contexts: [{ name: prod, context: { cluster: c, user: u } }, { name: prod-2, context: { cluster: c, user: u } }]',
    'current-context: prod',
  ].join('\n');
  writeFileSync(base, text);
  return pluginKubeconfig(base, dir, `${name}.yaml`, exec);
}

describe('stillValid: a credential is renewed shortly before it expires', () => {
  const at = (expiresInMs: number | undefined) => ({
    credential:
      expiresInMs === undefined ? { token: 't' } : { token: 't', expiresAt: 1_000_000 + expiresInMs },
    receivedAt: 1_000_000,
  });
  it.each([
    ['no expiry: for the process lifetime', undefined, 10 * 365 * 86_400_000, true],
    ['15 min (EKS): until 10 s before', 15 * 60_000, 15 * 60_000 - 10_001, true],
    ['15 min (EKS): not in its last 10 s', 15 * 60_000, 15 * 60_000 - 10_000, false],
    ['2 s: a quarter of its life as margin, so until 1.5 s', 2000, 1499, true],
    ['2 s: not from 1.5 s', 2000, 1500, false],
    ['already expired when received: not kept', -1000, 0, false],
  ])('%s', (_name, expiresIn, elapsed, valid) => {
    expect(stillValid(at(expiresIn), 1_000_000 + elapsed)).toBe(valid);
  });
});

describe('CredentialCache', () => {
  /** A cache on a clock the test moves, and runs it settles by hand. */
  function harness() {
    let now = 0;
    const cache = new CredentialCache(() => now);
    const runs: { resolve: (c: ExecCredential) => void; reject: (e: Error) => void }[] = [];
    const run = () =>
      new Promise<ExecCredential>((resolve, reject) => {
        runs.push({ resolve, reject });
      });
    return { cache, runs, run, advance: (ms: number) => (now += ms), now: () => now };
  }

  it('one run at a time per key, whatever waits; another key runs on its own', async () => {
    const h = harness();
    const waiting = [h.cache.get('a', h.run), h.cache.get('a', h.run), h.cache.get('b', h.run)];
    expect(h.runs).toHaveLength(2);
    const credential = { token: 'x' };
    h.runs[0]!.resolve(credential);
    h.runs[1]!.resolve({ token: 'y' });
    expect(await Promise.all(waiting)).toEqual([credential, credential, { token: 'y' }]);
  });

  it('keeps a credential until shortly before its expiry, then runs the plugin again', async () => {
    const h = harness();
    const first = h.cache.get('a', h.run);
    h.runs[0]!.resolve({ token: 'old', expiresAt: h.now() + 60_000 });
    await first;
    h.advance(49_999);
    expect(await h.cache.get('a', h.run)).toEqual({ token: 'old', expiresAt: 60_000 });
    expect(h.runs).toHaveLength(1);
    h.advance(1);
    const renewed = h.cache.get('a', h.run);
    expect(h.runs).toHaveLength(2);
    h.runs[1]!.resolve({ token: 'new' });
    expect(await renewed).toEqual({ token: 'new' });
  });

  it('a failed run is not kept: the next request runs the plugin again', async () => {
    const h = harness();
    const failed = h.cache.get('a', h.run);
    h.runs[0]!.reject(new Error('no login'));
    await expect(failed).rejects.toThrow('no login');
    const again = h.cache.get('a', h.run);
    expect(h.runs).toHaveLength(2);
    h.runs[1]!.resolve({ token: 't' });
    await expect(again).resolves.toEqual({ token: 't' });
  });

  it('forget (a 401) drops the credential it names, not a newer one', async () => {
    const h = harness();
    const first = h.cache.get('a', h.run);
    h.runs[0]!.resolve({ token: 'revoked' });
    const revoked = await first;
    h.cache.forget('a', revoked);
    const second = h.cache.get('a', h.run);
    expect(h.runs).toHaveLength(2);
    h.runs[1]!.resolve({ token: 'fresh' });
    await second;
    // A request sent with the revoked token answered late must not drop the fresh one.
    h.cache.forget('a', revoked);
    await h.cache.get('a', h.run);
    expect(h.runs).toHaveLength(2);
  });
});

describe('failureMessage: one line that says what to do', () => {
  const plugin: ExecPlugin = {
    apiVersion: 'client.authentication.k8s.io/v1',
    command: 'kubelogin',
    args: [],
    env: {},
    interactiveMode: 'IfAvailable',
    provideClusterInfo: false,
  };
  it.each([
    [
      { kind: 'silent', boundMs: 10_000 } as const,
      'start',
      'cannot get credentials for context prod: plugin kubelogin gave no credential within 10 s: run kubectl --kubeconfig /home/ops/.kube/config --context prod get pods once to log in, then start crashtop again',
    ],
    [
      { kind: 'silent', boundMs: 10_000 } as const,
      'refresh',
      'cannot get credentials for context prod: plugin kubelogin gave no credential within 10 s: run kubectl --kubeconfig /home/ops/.kube/config --context prod get pods once to log in, crashtop asks it again by itself',
    ],
    [
      { kind: 'missing' } as const,
      'start',
      'cannot get credentials for context prod: plugin kubelogin not found: install it or fix users[].user.exec.command (user ops) in /home/ops/.kube/config',
    ],
    [
      { kind: 'exit', code: 1, signal: null, lastLine: 'Error: the SSO session has expired' } as const,
      'start',
      'cannot get credentials for context prod: plugin kubelogin exited with status 1: Error: the SSO session has expired',
    ],
  ])('%o at %s', (failure, moment, line) => {
    const context = {
      name: 'prod',
      user: 'ops',
      kubeconfig: ['/home/ops/.kube/config'],
    } as Parameters<typeof failureMessage>[0];
    expect(failureMessage(context, plugin, failure, moment as 'start' | 'refresh')).toBe(line);
  });
});

describe('signIn: each context’s plugin once, before the view', () => {
  it('runs a plugin once for two contexts of one user and cluster; requests then use its credential', async () => {
    const runs = join(dir, 'shared.runs');
    const command = writePlugin(dir, 'shared', printsToken({ token: 'sesame', runsFile: runs }));
    const contexts = await resolveContexts({
      kubeconfig: kubeconfigRunning('shared', { command }),
      contexts: ['prod', 'prod-2'],
    });
    await signIn(contexts, { terminal: false });
    expect(runsIn(runs)).toHaveLength(1);
    expect(JSON.parse(runsIn(runs)[0]!.info!)).toMatchObject({ spec: { interactive: false } });
    const { credential } = await credentialFor(contexts[1]!);
    expect(credential.token).toBe('sesame');
    expect(runsIn(runs)).toHaveLength(1);
  });

  it('tells the plugin the cluster when the kubeconfig says provideClusterInfo', async () => {
    const runs = join(dir, 'cluster.runs');
    const command = writePlugin(dir, 'cluster', printsToken({ token: 't', runsFile: runs }));
    const contexts = await resolveContexts({
      kubeconfig: kubeconfigRunning('cluster', { command, provideClusterInfo: true }),
    });
    await signIn(contexts, { terminal: false });
    expect(JSON.parse(runsIn(runs)[0]!.info!).spec.cluster).toEqual({
      server: 'https://127.0.0.1:1',
      'certificate-authority-data': 'Q0E=',
    });
  });

  it('a plugin that waits for a login: the one line, after the bound', async () => {
    const command = writePlugin(dir, 'waits', sleepsForever(join(dir, 'waits.pids')));
    const kubeconfig = kubeconfigRunning('waits', { command });
    const contexts = await resolveContexts({ kubeconfig });
    const error = await signIn(contexts, { terminal: false, boundMs: 1000 }).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).exitCode).toBe(1);
    expect((error as KubeError).message).toBe(
      `cannot get credentials for context prod: plugin ${command} gave no credential within 1 s: run kubectl --kubeconfig ${kubeconfig} --context prod get pods once to log in, then start crashtop again`,
    );
  });

  it('a plugin that exits 1, and a user whose exec is not a plugin config (exit 2)', async () => {
    const failing = await resolveContexts({
      kubeconfig: kubeconfigRunning('exits', { command: writePlugin(dir, 'exits', EXITS_1) }),
    });
    await expect(signIn(failing, { terminal: false })).rejects.toThrow(
      /plugin \S+exits exited with status 1: Error: the SSO session has expired$/,
    );
    const broken = await resolveContexts({ kubeconfig: kubeconfigRunning('broken', { command: '' }) });
    const error = await signIn(broken, { terminal: false }).catch((e: unknown) => e);
    expect((error as KubeError).exitCode).toBe(2);
    expect((error as KubeError).message).toMatch(
      /context prod: user u in \S+broken\.yaml: exec.command is missing$/,
    );
  });

  it('interactiveMode Always without a terminal: run all the same, bounded, told it is not interactive', async () => {
    const runs = join(dir, 'always.runs');
    const command = writePlugin(dir, 'always', printsToken({ token: 't', runsFile: runs }));
    const contexts = await resolveContexts({
      kubeconfig: kubeconfigRunning('always', { command, interactiveMode: 'Always' }),
    });
    await signIn(contexts, { terminal: false });
    expect(JSON.parse(runsIn(runs)[0]!.info!)).toMatchObject({ spec: { interactive: false } });
  });
});
