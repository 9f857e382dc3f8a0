import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { renamedKubeconfig } from '../helpers/renamed-kubeconfig.js';
import { runCli } from '../helpers/run-cli.js';

// The shared flags are honoured wherever they are typed: `crashtop --context west -n payments explain` reads the
// cluster and namespace it names, exactly as `crashtop explain --context west -n payments` does. Two contexts,
// east (the current one) and west, reach one simulator of the demo, whose contexts read namespace shop.

interface JsonReport {
  pods: { context: string; namespace: string; name: string }[];
  scope: { context: string; namespaces: string[] }[];
}

let sim: RunningSim;
let dir: string;
let env: NodeJS.ProcessEnv;
beforeAll(async () => {
  sim = await startSim();
  dir = mkdtempSync(join(tmpdir(), 'crashtop-flag-placement-'));
  const merged = ['east', 'west'].map((name) => renamedKubeconfig(sim.kubeconfigPath, name, dir));
  env = { KUBECONFIG: merged.join(':') };
});
afterAll(async () => {
  await sim.close();
  rmSync(dir, { recursive: true, force: true });
});

async function report(args: string[]): Promise<JsonReport> {
  const result = await runCli([...args, '-o', 'json'], env);
  expect(result.stderr).toBe('');
  expect(result.code).toBe(0);
  return JSON.parse(result.stdout) as JsonReport;
}

describe('shared flags before the command', () => {
  it('--context and -n before explain pick the cluster and namespace', async () => {
    const before = await report(['--context', 'west', '-n', 'payments', 'explain']);
    expect(before.scope).toEqual([expect.objectContaining({ context: 'west', namespaces: ['payments'] })]);
    expect(before.pods.length).toBeGreaterThan(0);
    for (const pod of before.pods) expect(pod).toMatchObject({ context: 'west', namespace: 'payments' });
    const after = await report(['explain', '--context', 'west', '-n', 'payments']);
    expect(after.scope).toEqual(before.scope);
    expect(after.pods.map((pod) => pod.name)).toEqual(before.pods.map((pod) => pod.name));
  });

  it('flags split around explain add up; the same value on both sides is no conflict', async () => {
    const split = await report(['-n', 'payments', 'explain', '--context', 'west']);
    expect(split.scope).toEqual([expect.objectContaining({ context: 'west', namespaces: ['payments'] })]);
    const twice = await report(['-n', 'payments', 'explain', '--context', 'west', '-n', 'payments']);
    expect(twice.scope).toEqual(split.scope);
  });

  it('--kubeconfig before explain is the file read', async () => {
    const result = await runCli(['--kubeconfig', join(dir, 'nonexist'), 'explain'], env);
    expect(result.stderr).toBe(
      `crashtop: kubeconfig ${join(dir, 'nonexist')} not found: check --kubeconfig\n`,
    );
    expect(result.code).toBe(2);
  });

  it('--context before the live view on a pipe still works', async () => {
    const result = await runCli(['--context', 'west', '-n', 'payments'], env);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('context   west');
    expect(result.stdout).not.toContain('context   east');
  });
});
