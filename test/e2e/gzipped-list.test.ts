import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { KubeClient } from '../../src/kube/http.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import { generateScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { TmuxSession } from '../helpers/tmux.js';

// The built live view (one CommonJS script run from its V8 code cache, where a module loaded on first use must be
// bundled in, not imported at run time) asks for its lists gzipped and draws them: 300 pods are ≈ 870 KB of JSON,
// which the simulator gzips as kube-apiserver does past 128 KiB. A TCP proxy in front of it counts the bytes.

let sim: RunningSim;
let proxy: TcpProxy;
let dir: string;
let kubeconfig: string;
const tmux = sessionPerTest();

beforeAll(async () => {
  sim = await startSim({ scenario: generateScenario({ pods: 300, crashing: 30 }) });
  proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
  dir = await mkdtemp(join(tmpdir(), 'crashtop-gzipped-list-'));
  kubeconfig = join(dir, 'kubeconfig');
  const text = await readFile(sim.kubeconfigPath, 'utf8');
  await writeFile(kubeconfig, text.replace(new URL(sim.url).host, `127.0.0.1:${proxy.port}`), {
    mode: 0o600,
  });
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe('the live view on a cluster whose list comes gzipped', () => {
  it('draws its crash-looping pods from a fraction of their JSON', async () => {
    const s = await TmuxSession.start([process.execPath, BIN, '--kubeconfig', kubeconfig, '-A'], {
      width: 120,
      height: 40,
    });
    tmux.session = s;
    await expect.poll(() => s.capture(), { timeout: 20_000, interval: 100 }).toMatch(/30\/300 pods/);
    expect(await s.capture()).toContain('CrashLoopBackOff');
    const [context] = await resolveContexts({ kubeconfig: sim.kubeconfigPath });
    // getText does not ask for gzip: the JSON as the server has it.
    const text = await new KubeClient(context!).getText(
      '/api/v1/pods',
      {},
      { verb: 'list', resource: 'pods' },
      { timeoutMs: 10_000, maxBytes: 64 * 1024 * 1024 },
    );
    const json = Buffer.byteLength(text);
    expect(json).toBeGreaterThan(128 * 1024);
    expect(proxy.bytesToClients()).toBeLessThan(json / 4);
  });
});
