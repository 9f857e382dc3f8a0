import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import { KubeError } from '../../src/kube/errors.js';
import { type ExecTerminal, execShell, exitCode } from '../../src/kube/exec.js';
import { type ResolvedContext, resolveContexts } from '../../src/kube/kubeconfig.js';
import type { ClusterSource, PodRef } from '../../src/kube/source.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { pluginKubeconfig, printsToken, writePlugin } from '../helpers/exec-plugins.js';
import { proxiedKubeconfig, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';

// The built-in exec (no kubectl on PATH) against the simulator's pods/exec over WebSocket: a session runs
// and ends with the shell's exit status; a container that is not running is refused with the kubelet's words.

let sim: RunningSim;
let source: ClusterSource;
let ref: PodRef;
let container: string;
let crashing: PodRef & { container: string };

beforeAll(async () => {
  sim = await startSim();
  source = await createClusterSource({ kubeconfig: sim.kubeconfigPath, allNamespaces: true });
  const pods = [...source.getSnapshot().pods.values()];
  const refOf = (w: (typeof pods)[number]) => ({
    context: w.context,
    namespace: w.pod.metadata.namespace!,
    name: w.pod.metadata.name,
    container: w.pod.spec.containers[0]!.name,
  });
  const running = pods.find((w) => w.pod.status?.containerStatuses?.[0]?.state?.running)!;
  ({ container, ...ref } = refOf(running));
  crashing = refOf(pods.find((w) => w.pod.status?.containerStatuses?.[0]?.state?.waiting)!);
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
  it('runs a shell: a command answers, exit 3 ends the session with status 3', async () => {
    const tty = fakeTerminal();
    let output = '';
    tty.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (output.endsWith(':/# ') && !output.includes('from-the-test'))
        tty.stdin.write('echo from-the-test\r');
      else if (output.includes('from-the-test\r\n') && output.endsWith(':/# ')) tty.stdin.write('exit 3\r');
    });
    expect(await source.exec!(ref, container, tty)).toBe(3);
    expect(output).toMatch(/echo from-the-test\r\nfrom-the-test\r\n/);
    expect(tty.stdin.listenerCount('data')).toBe(0);
  });

  it("rejects a container that is not running with the kubelet's words, and gives the terminal back", async () => {
    const tty = fakeTerminal();
    const failure = await source.exec!(crashing, crashing.container, tty).catch((error: unknown) => error);
    expect(failure).toBeInstanceOf(KubeError);
    expect((failure as Error).message).toContain(`container not found ("${crashing.container}")`);
    expect((failure as Error).message).not.toContain('Unexpected server response');
    expect(tty.stdin.listenerCount('data')).toBe(0);
    expect(tty.stdout.listenerCount('resize')).toBe(0);
  });

  it('says which RBAC rule is missing when pods/exec alone is forbidden (a Role that grants pods)', async () => {
    sim.cluster.deny(['pods/exec']);
    try {
      const tty = fakeTerminal();
      const failure = await source.exec!(ref, container, tty).catch((error: unknown) => error);
      // What to ask for is read from the server's answer, which stays on the error as it came.
      expect((failure as Error).message).toBe(
        `exec into ${ref.namespace}/${ref.name} [${container}] is forbidden: context ${ref.context} may not get pods/exec in namespace "${ref.namespace}" (403 Forbidden): ask your cluster admin for the RBAC rule apiGroups [""] resources ["pods/exec"] verbs ["create", "get"] in namespace "${ref.namespace}"`,
      );
      expect((failure as KubeError).serverMessage).toBe(
        `pods "${ref.name}" is forbidden: User "system:serviceaccount:crashtop:viewer" cannot get resource "pods/exec" in API group "" in the namespace "${ref.namespace}"`,
      );
      expect(tty.stdin.listenerCount('data')).toBe(0);
    } finally {
      sim.cluster.deny(undefined);
    }
  });

  it("carries an exec plugin's credential, which the context's client-node config does not run", async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashtop-exec-plugin-shell-'));
    try {
      const command = writePlugin(dir, 'plugin', printsToken({ token: sim.token }));
      const [context] = await resolveContexts({
        kubeconfig: pluginKubeconfig(sim.kubeconfigPath, dir, 'kubeconfig', { command }),
      });
      const tty = fakeTerminal();
      tty.stdout.on('data', (chunk: Buffer) => {
        if (chunk.toString().endsWith(':/# ')) tty.stdin.write('exit 3\r');
      });
      expect(await execShell(context!, ref, container, tty)).toBe(3);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('rejects with 401 Unauthorized for a bad token', async () => {
    const [context] = await resolveContexts({ kubeconfig: sim.kubeconfigPath });
    const user = context!.config.getCurrentUser()!;
    Object.assign(user, { token: 'wrong' });
    await expect(execShell(context!, ref, container, fakeTerminal())).rejects.toThrow(/Unauthorized/);
  });
});

describe('a session whose connection dies without a sign', () => {
  const liveness = { pingEveryMs: 100, deadlineMs: 1000 };
  let proxy: TcpProxy;
  let context: ResolvedContext;
  beforeAll(async () => {
    proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
    [context] = (await resolveContexts({
      kubeconfig: await proxiedKubeconfig(sim.kubeconfigPath, proxy),
    })) as [ResolvedContext];
  });
  afterAll(() => proxy.close());

  /** A session that answers its prompt once, then waits: `then` gets the terminal once the prompt is there. */
  function session(then: (tty: ExecTerminal & { stdin: PassThrough }) => void) {
    const tty = fakeTerminal();
    let output = '';
    let prompted = false;
    tty.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (prompted || !output.endsWith(':/# ')) return;
      prompted = true;
      then(tty);
    });
    return { tty, result: execShell(context, ref, container, tty, liveness).catch((error: Error) => error) };
  }

  it('is not ended while pongs come, even with no output', async () => {
    const { tty, result } = session((t) => setTimeout(() => t.stdin.write('exit 3\r'), 2500));
    expect(await result).toBe(3);
    expect(tty.stdin.listenerCount('data')).toBe(0);
  });

  it('is ended past the deadline when the path stalls, and gives the terminal back', async () => {
    const { tty, result } = session(() => proxy.stall());
    const failure = await result;
    expect(failure).toBeInstanceOf(KubeError);
    expect((failure as Error).message).toBe(
      `exec into ${ref.namespace}/${ref.name} [${container}]: no answer from the API server for 1 s, the session was ended; the terminal is crashtop's again (the shell may still run in the container)`,
    );
    expect(tty.stdin.listenerCount('data')).toBe(0);
    expect(tty.stdout.listenerCount('resize')).toBe(0);
  });

  it('is ended when its deadline is due, not at the next ping after it', async () => {
    let stalledAt = 0;
    const tty = fakeTerminal();
    let output = '';
    tty.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
      if (stalledAt === 0 && output.endsWith(':/# ')) {
        stalledAt = Date.now();
        proxy.stall();
      }
    });
    // Pings far apart: a deadline checked only with them would end the session 5 s in, not 1 s.
    const failure = await execShell(context, ref, container, tty, {
      pingEveryMs: 5000,
      deadlineMs: 1000,
    }).catch((error: Error) => error);
    expect((failure as Error).message).toMatch(
      /no answer from the API server for 1 s, the session was ended/,
    );
    expect(Date.now() - stalledAt).toBeLessThan(3000);
  });

  it('is said to be lost, in the words of the other endings, when the connection drops without a status', async () => {
    const { tty, result } = session(() => proxy.resetOpen());
    const failure = await result;
    expect(failure).toBeInstanceOf(KubeError);
    expect((failure as Error).message).toBe(
      `exec into ${ref.namespace}/${ref.name} [${container}] ended without an exit status (connection lost)`,
    );
    expect(tty.stdin.listenerCount('data')).toBe(0);
  });

  it('is ended by ~. after Enter, which the remote never sees', async () => {
    const { tty, result } = session((t) => t.stdin.write('true\r~.exit 0\r'));
    const failure = await result;
    expect((failure as Error).message).toBe(
      `exec into ${ref.namespace}/${ref.name} [${container}]: ended with ~.; the terminal is crashtop's again (the shell may still run in the container)`,
    );
    expect(tty.stdin.listenerCount('data')).toBe(0);
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
