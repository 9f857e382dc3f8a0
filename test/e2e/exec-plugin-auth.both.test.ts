import { readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { generateScenario } from '../../src/sim/index.js';
import { BACKEND, type Backend, startBackend } from '../helpers/backend.js';
import { pluginKubeconfig, printsToken, runsIn, writePlugin } from '../helpers/exec-plugins.js';
import { runCli } from '../helpers/run-cli.js';

// An exec credential plugin's token is what the server checks: on the simulator its own token, on the real
// kube-apiserver a token of its token file, checked by its authenticator as for any kubectl. One plugin run serves
// all of explain's requests (pods, events, namespaces, replica sets); a wrong token is told as the 401 it is.

let b: Backend;
let dir: string;

beforeAll(async () => {
  b = await startBackend({ scenario: generateScenario({ pods: 30, crashing: 6 }), speed: 0 });
  await b.synced();
  dir = await mkdtemp(join(tmpdir(), 'crashtop-e2e-exec-auth-'));
});
afterAll(async () => {
  await b?.close();
  await rm(dir, { recursive: true, force: true });
});

/** The token the backend's own kubeconfig gives its user. */
function backendToken(): string {
  const config = parse(readFileSync(b.kubeconfigPath, 'utf8')) as { users: { user: { token: string } }[] };
  return config.users[0]!.user.token;
}

describe(`an exec credential plugin (${BACKEND})`, () => {
  it('gives the token every request of explain uses, from one run', async () => {
    const runs = join(dir, 'runs.jsonl');
    const plugin = writePlugin(dir, 'good-plugin', printsToken({ token: backendToken(), runsFile: runs }));
    const kubeconfig = pluginKubeconfig(b.kubeconfigPath, dir, 'good.kubeconfig', { command: plugin });
    const result = await runCli(['explain', '--kubeconfig', kubeconfig, '-A', '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { pods: { name: string }[] };
    expect(report.pods.length).toBeGreaterThanOrEqual(6);
    expect(runsIn(runs)).toHaveLength(1);
  });

  it('ends with the 401 in one line when the plugin gives a token the server does not know', async () => {
    const plugin = writePlugin(dir, 'stale-plugin', printsToken({ token: 'a-token-nobody-issued' }));
    const kubeconfig = pluginKubeconfig(b.kubeconfigPath, dir, 'stale.kubeconfig', { command: plugin });
    const result = await runCli(['explain', '--kubeconfig', kubeconfig, '-A']);
    expect(result.code).toBe(1);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).toContain('401 Unauthorized');
  });
});
