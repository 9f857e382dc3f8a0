import { execFile, spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { ManualClock } from '../../src/sim/clock.js';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { T0 } from './sim-fixture.js';

// kubectl, the client we did not write, is the contract: against the simulator with the demo scenario it must print
// what it prints against a real cluster. The clock is manual so every column is deterministic.

const KUBECTL = '/usr/bin/kubectl';
const run = promisify(execFile);

let sim: RunningSim;
let clock: ManualClock;
// kubectl caches discovery per host:port on disk; a port reused from an earlier run must not bring stale documents.
let cacheDir: string;

function base(): string[] {
  return ['--kubeconfig', sim.kubeconfigPath, '--cache-dir', cacheDir];
}

async function kubectl(...args: string[]): Promise<string> {
  const { stdout } = await run(KUBECTL, [...base(), ...args], { timeout: 20_000 });
  return stdout;
}

async function kubectlError(...args: string[]): Promise<string> {
  try {
    await kubectl(...args);
  } catch (error) {
    return (error as { stderr: string }).stderr;
  }
  throw new Error(`kubectl ${args.join(' ')} succeeded`);
}

function rows(table: string): Record<string, string>[] {
  const [header, ...lines] = table.trimEnd().split('\n');
  const names = header!.split(/\s{2,}/);
  return lines.map((line) => Object.fromEntries(line.split(/\s{2,}/).map((cell, i) => [names[i], cell])));
}

async function podNamed(namespace: string, prefix: string): Promise<Pod> {
  const list = JSON.parse(await kubectl('get', 'pods', '-n', namespace, '-o', 'json')) as { items: Pod[] };
  const pod = list.items.find((p) => p.metadata.name.startsWith(`${prefix}-`) || p.metadata.name === prefix);
  if (!pod) throw new Error(`no pod ${namespace}/${prefix}-…`);
  return pod;
}

beforeAll(async () => {
  if (!existsSync(KUBECTL)) {
    throw new Error(`${KUBECTL} is missing: the kubectl contract tests need kubectl installed there`);
  }
  clock = new ManualClock(T0);
  cacheDir = await mkdtemp(join(tmpdir(), 'kubectl-cache-'));
  sim = await startSim({ clock });
});

afterAll(async () => {
  await sim?.close();
  await rm(cacheDir, { recursive: true, force: true });
});

describe('kubectl against crashtop sim (demo scenario)', () => {
  it('get pods -A prints the STATUS and RESTARTS a real cluster would', async () => {
    const table = rows(await kubectl('get', 'pods', '-A'));
    const byWorkload = (ns: string, prefix: string) =>
      table.filter((r) => r.NAMESPACE === ns && r.NAME!.startsWith(`${prefix}-`));
    const expectations: [string, string, string][] = [
      ['shop', 'storefront', 'Running'],
      ['shop', 'catalog-api', 'CrashLoopBackOff'],
      ['payments', 'payments-api', 'CreateContainerConfigError'],
      ['payments', 'ledger', 'CrashLoopBackOff'],
      ['payments', 'receipts-mailer', 'CrashLoopBackOff'],
      ['platform', 'metrics-agent', 'ImagePullBackOff'],
    ];
    for (const [ns, prefix, status] of expectations) {
      const found = byWorkload(ns, prefix);
      expect(found.length, `${ns}/${prefix}`).toBeGreaterThan(0);
      for (const row of found) expect(row.STATUS, row.NAME).toBe(status);
    }
    // Created 26 h ago, one replica a second: kubectl's HumanDuration prints hours under 48 h.
    expect(byWorkload('shop', 'storefront').map((r) => [r.READY, r.RESTARTS, r.AGE])).toEqual([
      ['1/1', '0', '25h'],
      ['1/1', '0', '25h'],
      ['1/1', '0', '26h'],
    ]);
    for (const row of byWorkload('shop', 'catalog-api')) {
      expect(row.READY).toBe('0/1');
      expect(row.RESTARTS).toMatch(/^\d+ \(\d+m?\d*s? ago\)$/);
    }
    // Every pod's STATUS agrees with its own container state, the rule printPod applies to one-container pods.
    const pods = JSON.parse(await kubectl('get', 'pods', '-A', '-o', 'json')) as { items: Pod[] };
    for (const pod of pods.items.filter((p) => !p.spec.initContainers)) {
      const state = pod.status!.containerStatuses![0]!.state!;
      const row = table.find((r) => r.NAME === pod.metadata.name)!;
      expect(row.STATUS, pod.metadata.name).toBe(
        state.waiting?.reason ?? state.terminated?.reason ?? 'Running',
      );
    }
  });

  it('get pods shows the rollout: the new ReplicaSet crashes, the old one serves', async () => {
    const table = rows(await kubectl('get', 'pods', '-n', 'shop', '-l', 'app=checkout'));
    const hashes = new Set(table.map((r) => r.NAME!.split('-')[1]));
    expect(hashes.size).toBe(2);
    expect(table.filter((r) => r.STATUS === 'Running')).toHaveLength(3);
    expect(table.filter((r) => r.STATUS === 'CrashLoopBackOff')).toHaveLength(1);
  });

  it('describe pod shows state, last state and events', async () => {
    const pod = await podNamed('shop', 'catalog-api');
    const text = await kubectl('describe', 'pod', '-n', 'shop', pod.metadata.name);
    expect(text).toMatch(/State:\s+Waiting\n\s+Reason:\s+CrashLoopBackOff/);
    expect(text).toMatch(/Last State:\s+Terminated\n\s+Reason:\s+OOMKilled\n\s+Exit Code:\s+137/);
    expect(text).toMatch(/Restart Count:\s+\d+/);
    expect(text).toMatch(/Warning\s+BackOff\s+.*kubelet\s+Back-off restarting failed container app in pod/);
    expect(text).toContain('Controlled By:  ReplicaSet/catalog-api-');
  });

  it('logs --previous returns the crashed instance, and the kubelet error when there is none', async () => {
    const ledger = await podNamed('payments', 'ledger');
    const log = await kubectl('logs', '--previous', '-n', 'payments', ledger.metadata.name);
    expect(log).toContain('Error: connect ECONNREFUSED 10.96.112.40:5432');
    expect(log.split('\n')[0]).toBe('> ledger@5.0.2 start');
    const postgres = await kubectlError('logs', '--previous', '-n', 'payments', 'postgres-0');
    expect(postgres).toContain('previous terminated container "postgres" in pod "postgres-0" not found');
  });

  it('logs --tail returns the last lines of a running container', async () => {
    const log = await kubectl('logs', '-n', 'payments', 'postgres-0');
    const tail = await kubectl('logs', '-n', 'payments', 'postgres-0', '--tail', '2');
    expect(log.trimEnd().split('\n').length).toBeGreaterThan(2);
    expect(tail.trimEnd().split('\n')).toEqual(log.trimEnd().split('\n').slice(-2));
  });

  it('get events prints the kubelet events with their columns', async () => {
    const table = rows(await kubectl('get', 'events', '-n', 'payments'));
    const config = table.find((r) => r.REASON === 'Failed' && r.OBJECT!.startsWith('pod/payments-api-'));
    expect(config).toMatchObject({
      TYPE: 'Warning',
      MESSAGE: 'Error: configmap "payments-config" not found',
    });
    expect(config!['LAST SEEN']).toMatch(/^\d+(s|m\d*s?)$/);
  });

  it('answers NotFound for the ConfigMap the broken workload references', async () => {
    const stderr = await kubectlError('get', 'configmap', 'payments-config', '-n', 'payments');
    expect(stderr).toContain('Error from server (NotFound): configmaps "payments-config" not found');
  });

  it('exec runs the scripted shell over WebSocket and passes its exit code', async () => {
    const result = await new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
      const child = spawn(KUBECTL, [...base(), 'exec', '-i', '-n', 'payments', 'postgres-0', '--', 'sh']);
      let stdout = '';
      let stderr = '';
      child.stdout.on('data', (chunk: Buffer) => {
        stdout += chunk.toString();
      });
      child.stderr.on('data', (chunk: Buffer) => {
        stderr += chunk.toString();
      });
      child.on('close', (code) => resolve({ code, stdout, stderr }));
      child.stdin.end('echo hello from the sim\nls /app\nexit 3\n');
    });
    expect(result.stdout).toContain('hello from the sim\n');
    expect(result.stdout).toContain('config.yaml  server\n');
    expect(result.stderr).toContain('command terminated with exit code 3');
    expect(result.code).toBe(3);
  });

  it('exec into a container that is not running fails as the kubelet makes it fail', async () => {
    const list = JSON.parse(await kubectl('get', 'pods', '-n', 'payments', '-o', 'json')) as { items: Pod[] };
    const waiting = list.items.find((pod) => pod.status?.containerStatuses?.[0]?.state?.waiting)!;
    const stderr = await kubectlError('exec', '-n', 'payments', waiting.metadata.name, '--', 'sh');
    expect(stderr.trim()).toMatch(/^error: unable to upgrade connection: container not found \("[^"]+"\)$/);
  });

  it('get pods -w streams changes', async () => {
    const child = spawn(KUBECTL, [...base(), 'get', 'pods', '-n', 'shop', '-w']);
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => {
      output += chunk.toString();
    });
    try {
      await waitFor(() => output.includes('storefront-'));
      const before = output.split('\n').length;
      // Five simulated minutes: every crash loop in the namespace restarts or crashes at least once.
      for (let i = 0; i < 300; i++) {
        clock.advance(1000);
        sim.cluster.advance();
      }
      await waitFor(() => output.split('\n').length > before + 2);
      const streamed = output.split('\n').slice(before - 1);
      expect(streamed.some((line) => /CrashLoopBackOff|Running/.test(line))).toBe(true);
    } finally {
      child.kill();
    }
  });

  it('refuses a wrong token', async () => {
    const { stderr } = await run(KUBECTL, [...base(), '--token', 'wrong', 'get', 'pods'], {
      timeout: 20_000,
    }).catch((e: { stderr: string }) => e);
    expect(stderr).toContain('You must be logged in to the server');
  });
});

async function waitFor(condition: () => boolean): Promise<void> {
  for (let i = 0; i < 200; i++) {
    if (condition()) return;
    await new Promise((resolve) => setTimeout(resolve, 50));
  }
  throw new Error('condition not met within 10 s');
}
