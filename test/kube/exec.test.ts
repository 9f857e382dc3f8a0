import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import { KubeError } from '../../src/kube/errors.js';
import { type ExecTerminal, execShell, exitCode } from '../../src/kube/exec.js';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import type { ClusterSource, PodRef } from '../../src/kube/source.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';

// A real session needs a kubelet; what can be checked without one is the way a refusal reaches the user:
// the simulator, like an API server, explains it in the body of its non-101 answer.

let sim: RunningSim;
let source: ClusterSource;
let ref: PodRef;
let container: string;

beforeAll(async () => {
  sim = await startSim({ pods: 3, crashing: 1 });
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

function fakeTerminal(): ExecTerminal & { stdin: PassThrough } {
  const stdin = Object.assign(new PassThrough(), { isTTY: false });
  const stdout = Object.assign(new PassThrough(), { columns: 80, rows: 24 });
  return { stdin, stdout } as unknown as ExecTerminal & { stdin: PassThrough };
}

describe('execShell', () => {
  it("rejects with the server's own refusal message, and gives the terminal back", async () => {
    const tty = fakeTerminal();
    const failure = await source.exec!(ref, container, tty).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KubeError);
    expect((failure as Error).message).toContain('the crashtop simulator cannot exec into containers');
    expect((failure as Error).message).not.toContain('Unexpected server response');
    expect(tty.stdin.listenerCount('data')).toBe(0);
    expect(tty.stdout.listenerCount('resize')).toBe(0);
  });

  it('rejects with 401 Unauthorized for a bad token', async () => {
    const [context] = await resolveContexts({ kubeconfig: sim.kubeconfigPath });
    const config = context!.config;
    const user = config.getCurrentUser()!;
    Object.assign(user, { token: 'wrong' });
    await expect(execShell(config, ref, container, fakeTerminal())).rejects.toThrow(/Unauthorized/);
  });
});

describe('exitCode', () => {
  it.each([
    [{ status: 'Success' }, 0],
    [{ status: 'Failure', details: { causes: [{ reason: 'ExitCode', message: '42' }] } }, 42],
    [{ status: 'Failure', message: 'command terminated with non-zero exit code' }, 1],
  ])('%j → %i', (status, code) => {
    expect(exitCode(status)).toBe(code);
  });
});
