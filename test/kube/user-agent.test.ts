import { readFileSync } from 'node:fs';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { explainFromCluster } from '../../src/cli/explain.js';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ExecTerminal } from '../../src/kube/exec.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import type { ClusterSource, PodRef } from '../../src/kube/source.js';
import { userAgent, userAgentOf } from '../../src/kube/user-agent.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';

// Every request crashtop sends names it, as kubectl's do, so a cluster admin can tell them apart in the
// audit log: the simulator records the User-Agent of each request it receives, upgrades included.

const { version } = JSON.parse(readFileSync(new URL('../../package.json', import.meta.url), 'utf8')) as {
  version: string;
};

describe('userAgentOf', () => {
  it.each([
    ['linux', 'x64', 'v20.20.2', `crashtop/${version} (linux/amd64) node/v20.20.2`],
    ['darwin', 'arm64', 'v22.1.0', `crashtop/${version} (darwin/arm64) node/v22.1.0`],
    ['win32', 'ia32', 'v20.0.0', `crashtop/${version} (win32/386) node/v20.0.0`],
  ])('names %s/%s as kubectl does', (platform, arch, node, expected) => {
    expect(userAgentOf(version, platform, arch, node)).toBe(expected);
  });

  it('is built from package.json and this process', () => {
    expect(userAgent).toBe(userAgentOf(version, process.platform, process.arch, process.version));
  });
});

let sim: RunningSim;
let source: ClusterSource;
let ref: PodRef;
let container: string;

beforeAll(async () => {
  sim = await startSim({ pods: 4, crashing: 2, speed: 20 });
  source = await createClusterSource({ kubeconfig: sim.kubeconfigPath });
  const watched = [...source.getSnapshot().pods.values()][0]!;
  ref = {
    context: watched.context,
    namespace: watched.pod.metadata.namespace!,
    name: watched.pod.metadata.name,
  };
  container = watched.pod.spec.containers[0]!.name;
});

afterAll(async () => {
  await source.close();
  await sim.close();
});

/** A terminal whose user types `exit 0`: the simulator's shell ends, and so does the exec. */
function fakeTerminal(): ExecTerminal {
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  stdin.write('exit 0\n');
  const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
  return { stdin, stdout } as unknown as ExecTerminal;
}

describe('every request carries the User-Agent', () => {
  it('list, watch, logs (read and follow), get, events, exec and the one-shot explain requests', async () => {
    await vi.waitFor(
      () => expect(source.getSnapshot().watches.every((watch) => watch.state === 'live')).toBe(true),
      { timeout: 5000 },
    );
    await source.readLogs(ref, { container, previous: false }).catch(() => []);
    const follower = source.followLogs(
      ref,
      { container, previous: false },
      () => {},
      () => {},
    );
    await vi.waitFor(() => expect(sim.requests().some(({ url }) => url.includes('follow=true'))).toBe(true), {
      timeout: 5000,
    });
    follower.stop();
    await source.getPod(ref);
    await source.listEvents(ref);
    await source.exec!(ref, container, fakeTerminal()).catch(() => 0);
    const contexts = await resolveContexts({ kubeconfig: sim.kubeconfigPath });
    await explainFromCluster({ contexts, scope: { kubeconfig: sim.kubeconfigPath } });

    const seen = sim.requests();
    const kinds = new Set(
      seen.map(({ url }) => {
        const path = url.split('?')[0]!;
        if (path.endsWith('/exec')) return 'exec';
        if (path.endsWith('/log')) return url.includes('follow=true') ? 'follow' : 'log';
        if (url.includes('watch=true')) return 'watch';
        if (/\/pods\/[^/]+$/.test(path)) return 'get';
        return path.endsWith('/events') ? 'list events' : 'list pods';
      }),
    );
    expect([...kinds].sort()).toEqual(['exec', 'follow', 'get', 'list events', 'list pods', 'log', 'watch']);
    const without = seen.filter((request) => request.userAgent !== userAgent);
    expect(without).toEqual([]);
  });
});
