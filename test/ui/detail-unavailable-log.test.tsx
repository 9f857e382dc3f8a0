import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource, WatchedPod } from '../../src/kube/source.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { renderDetail } from './render-detail.js';

// The detail page through the real cluster source against the simulator, whose API server answers
// pods/log with a 500 when it cannot reach the node's kubelet (as a real one does): the cause still comes
// from status and events, and both the evidence and the log section say why the log is missing.

let sim: RunningSim;
let source: ClusterSource;

beforeAll(async () => {
  sim = await startSim();
  source = await createClusterSource({ kubeconfig: sim.kubeconfigPath, allNamespaces: true });
});

afterAll(async () => {
  await source.close();
  await sim.close();
});

/** A pod the kubelet OOM-killed: its cause is in its status, whatever its log says. */
function oomKilled(): WatchedPod {
  const found = [...source.getSnapshot().pods.values()].find(({ pod }) =>
    pod.status?.containerStatuses?.some(
      (status) => status.lastState?.terminated?.reason === 'OOMKilled' && status.restartCount > 0,
    ),
  );
  if (found === undefined) throw new Error('the demo has no OOM-killed pod');
  return found;
}

describe('the detail page when the previous log cannot be read', () => {
  it('says "previous log unavailable: <reason>" in the evidence and the log section, the cause from status', async () => {
    sim.cluster.kubeletsUnreachable('all');
    try {
      const view = renderDetail(source, oomKilled());
      try {
        await vi.waitFor(() => expect(view.lastFrame()).toContain('connect: connection refused'), {
          timeout: 5000,
          interval: 20,
        });
        const frame = view.lastFrame() ?? '';
        expect(frame).toMatch(/Cause \(\S+\): oom-killed, high confidence/);
        const evidence = frame.split('\n').filter((line) => line.trimStart().startsWith('- '));
        // The frame wraps at the test terminal's 100 columns: the rest of the reason follows on the next lines.
        expect(evidence.at(-1)).toMatch(
          /^ {2}- previous log unavailable: cannot get pods\/log in namespace "\S+" on context crashtop-sim \(500/,
        );
        expect(frame).not.toContain('no previous log');
        const section = frame.split('\n').findIndex((line) => line.startsWith('Previous log of '));
        expect(frame.split('\n')[section + 1]).toMatch(/^ {2}previous log unavailable: cannot get pods\/log/);
      } finally {
        view.unmount();
      }
    } finally {
      sim.cluster.kubeletsUnreachable(undefined);
    }
  });

  it('on 80 columns says whole why, when pods/log alone is forbidden, with the RBAC rule to ask for', async () => {
    sim.cluster.deny(['pods/log']);
    try {
      const watched = oomKilled();
      const view = renderDetail(source, watched, { width: 80 });
      try {
        await vi.waitFor(() => expect(view.lastFrame()).toContain('reading logs is forbidden'), {
          timeout: 5000,
          interval: 20,
        });
        const lines = (view.lastFrame() ?? '').split('\n');
        const section = lines.findIndex((line) => line.startsWith('Previous log of '));
        const end = lines.findIndex((line, i) => i > section && line.trim() === '');
        const said = lines
          .slice(section + 1, end)
          .map((line) => line.trim())
          .join(' ');
        const ns = watched.pod.metadata.namespace;
        expect(said).toBe(
          `previous log unavailable: reading logs is forbidden: context crashtop-sim may not get pods/log in namespace "${ns}" (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods/log"] verbs ["get"] in namespace "${ns}"`,
        );
        for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
      } finally {
        view.unmount();
      }
    } finally {
      sim.cluster.deny(undefined);
    }
  });

  it('shows the log itself once the kubelet is reachable', async () => {
    const view = renderDetail(source, oomKilled());
    try {
      await vi.waitFor(() => expect(view.lastFrame()).toMatch(/Previous log of \S+ \(last lines\)/), {
        timeout: 5000,
        interval: 20,
      });
      await vi.waitFor(() => expect(view.lastFrame()).not.toContain('reading…'), { timeout: 5000 });
      expect(view.lastFrame()).not.toContain('previous log unavailable');
    } finally {
      view.unmount();
    }
  });
});
