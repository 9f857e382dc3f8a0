import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { startClusterSource } from '../../src/kube/cluster-source.js';
import { closeConnections } from '../../src/kube/connections.js';
import { KubeError } from '../../src/kube/errors.js';
import { KubeClient } from '../../src/kube/http.js';
import { type ResolvedContext, resolveContexts } from '../../src/kube/kubeconfig.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { generateScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import {
  pluginKubeconfig,
  printsToken,
  printsTokenFrom,
  runsIn,
  writePlugin,
} from '../helpers/exec-plugins.js';
import { fastSourceOptions } from './fake-apiserver.js';

// Requests to a context whose user runs an exec plugin, through the real request path to the simulator, which
// answers 401 to any other bearer token than the one it accepts: the plugin's token is what gets them in.

let sim: RunningSim;
let dir: string;
let source: ClusterSource | undefined;

beforeAll(async () => {
  sim = await startSim({ scenario: generateScenario({ pods: 20, crashing: 4 }), speed: 0 });
  dir = mkdtempSync(join(tmpdir(), 'crashtop-exec-auth-'));
});
afterEach(async () => {
  await source?.close();
  source = undefined;
  closeConnections();
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function contextRunning(name: string, body: string): Promise<ResolvedContext> {
  const command = writePlugin(dir, name, body);
  const [context] = await resolveContexts({
    kubeconfig: pluginKubeconfig(sim.kubeconfigPath, dir, `${name}.kubeconfig`, { command }),
  });
  return context!;
}

const version = (client: KubeClient, timeoutMs = 5000) =>
  client.getText('/version', {}, { verb: 'get', resource: 'version' }, { timeoutMs, maxBytes: 4096 });
const pods = (client: KubeClient) =>
  client.getJson<{ items: unknown[] }>(
    '/api/v1/pods',
    {},
    { verb: 'list', resource: 'pods' },
    { timeoutMs: 5000 },
  );

describe('requests with an exec plugin’s credential', () => {
  it('carry its token; twenty at once run the plugin once, and later ones use the kept token', async () => {
    const runs = join(dir, 'once.runs');
    const client = new KubeClient(
      await contextRunning('once', printsToken({ token: sim.token, runsFile: runs })),
    );
    const lists = await Promise.all(Array.from({ length: 20 }, () => pods(client)));
    expect(lists.every((list) => list.items.length === 20)).toBe(true);
    await pods(client);
    expect(runsIn(runs)).toHaveLength(1);
  });

  it('a wrong token gets 401: the simulator checks it, and the plugin’s is what gets in', async () => {
    const client = new KubeClient(await contextRunning('wrong', printsToken({ token: 'not-the-token' })));
    const error = await pods(client).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(KubeError);
    expect((error as KubeError).status).toBe(401);
  });

  it('a credential that expires after 2 s is renewed: the plugin runs again once it is due, not before', async () => {
    const runs = join(dir, 'expiring.runs');
    const client = new KubeClient(
      await contextRunning('expiring', printsToken({ token: sim.token, expiresInS: 2, runsFile: runs })),
    );
    await pods(client);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await pods(client);
    expect(runsIn(runs)).toHaveLength(1);
    // Renewed a quarter of its life (0.5 s) before it expires.
    await new Promise((resolve) => setTimeout(resolve, 1200));
    await Promise.all([pods(client), pods(client), pods(client)]);
    expect(runsIn(runs)).toHaveLength(2);
  });

  it('a 401 drops the kept token: the next request runs the plugin again and gets in with the new one', async () => {
    const runs = join(dir, 'rotated.runs');
    const tokenFile = join(dir, 'rotated.token');
    writeFileSync(tokenFile, sim.token);
    const client = new KubeClient(await contextRunning('rotated', printsTokenFrom(tokenFile, runs)));
    try {
      await pods(client);
      sim.acceptToken('rotated-token');
      writeFileSync(tokenFile, 'rotated-token');
      await expect(pods(client)).rejects.toMatchObject({ status: 401 });
      expect(runsIn(runs)).toHaveLength(1);
      expect((await pods(client)).items).toHaveLength(20);
      expect(runsIn(runs)).toHaveLength(2);
    } finally {
      sim.acceptToken(sim.token);
    }
  });

  it('the request timeout does not count the wait for the plugin', async () => {
    const slow = `setTimeout(() => {${printsToken({ token: sim.token })}}, 1500);`;
    const client = new KubeClient(await contextRunning('slow', slow));
    await expect(version(client, 1000)).resolves.toContain('gitVersion');
  });

  it('a caller that gives up stops waiting for the plugin at once', async () => {
    const slow = `setTimeout(() => {${printsToken({ token: sim.token })}}, 3000);`;
    const client = new KubeClient(await contextRunning('abandoned', slow));
    const controller = new AbortController();
    const started = Date.now();
    const request = client.getText(
      '/version',
      {},
      { verb: 'get', resource: 'version' },
      { timeoutMs: 5000, maxBytes: 4096, signal: controller.signal },
    );
    setTimeout(() => controller.abort(new Error('view closed')), 200);
    await expect(request).rejects.toThrow('view closed');
    expect(Date.now() - started).toBeLessThan(1500);
  });
});

describe('the live view’s source when a credential cannot be renewed', () => {
  it('shows the plugin’s failure as that context’s error line and goes on', async () => {
    const mode = join(dir, 'renewal.mode');
    writeFileSync(mode, 'ok');
    const body = `
if (require('node:fs').readFileSync(${JSON.stringify(mode)}, 'utf8') !== 'ok') {
  process.stderr.write('error: refresh token expired, run kubelogin again\\n');
  process.exit(1);
}
${printsToken({ token: sim.token, expiresInS: 1 })}`;
    const context = await contextRunning('renewal', body);
    const started = await startClusterSource(
      { allNamespaces: true },
      { ...fastSourceOptions, contexts: [context] },
    );
    source = started.source;
    await started.listed;
    const live = started.source;
    expect(live.getSnapshot().pods.size).toBe(20);
    writeFileSync(mode, 'failing');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    // The watches' next requests (their streams end within a second here) need a new credential.
    await vi.waitFor(
      () => {
        const watch = live.getSnapshot().watches.find((w) => w.resource !== 'events');
        expect(watch?.state).toBe('reconnecting');
        expect(watch?.message).toBe(
          `cannot get credentials for context crashtop-sim: plugin ${join(dir, 'renewal')} exited with status 1: error: refresh token expired, run kubelogin again`,
        );
      },
      { timeout: 10_000, interval: 50 },
    );
    expect(live.getSnapshot().pods.size).toBe(20);
    writeFileSync(mode, 'ok');
    await vi.waitFor(() => expect(live.getSnapshot().watches.every((w) => w.state === 'live')).toBe(true), {
      timeout: 10_000,
      interval: 50,
    });
  });
});
