import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/index.js';
import { type Backend, startBackend } from '../helpers/backend.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// Issue 8's done-when: a container that crashes about 40 s after each start spends most of its life Running.
// Through a whole cycle (running, crash, back-off wait, running again) the pod stays in crashtop's default view,
// always with `resets in …` or a restart countdown, and `explain` reports it, while Running, with its cause.

const SCENARIO = fileURLToPath(new URL('../../scenarios/crash-every-40s.yaml', import.meta.url));

let b: Backend;
let session: TmuxSession;

beforeAll(async () => {
  b = await startBackend({ scenario: await loadScenario(SCENARIO) });
  session = await TmuxSession.start(
    [process.execPath, BIN, '--kubeconfig', b.kubeconfigPath, '-n', b.ns('shop')],
    {
      width: 120,
      height: 20,
    },
  );
});
afterAll(async () => {
  await session?.kill();
  await b?.close();
});

const rowOf = (screen: string) => screen.split('\n').find((line) => line.includes('orders-api'));

describe('a pod that crashes every ~40 s', () => {
  it('stays in the default view through its Running phases, counting down at every capture', async () => {
    await session.waitForText('orders-api');
    const seen = new Set<string>();
    // One whole cycle and then some: ≤ 40 s running, a ≤ 10 s wait, running again.
    for (let i = 0; i < 26; i++) {
      const screen = await session.capture();
      const row = rowOf(screen);
      expect(row, `capture ${i}:\n${screen}`).toBeDefined();
      expect(screen).toContain('unhealthy only');
      expect(screen).not.toContain('catalog-');
      const status = /\s(Running|CrashLoopBackOff|Error)\s/.exec(row!)?.[1];
      expect(status, row).toBeDefined();
      seen.add(status!);
      if (status === 'Running') expect(row).toMatch(/resets in (\d+m(\d+s)?|\d+s)\s/);
      else expect(row).toMatch(/\s(~?\d+m(\d+s)?|~?\d+s|restarting…)\s/);
      await new Promise((resolve) => setTimeout(resolve, 2000));
    }
    expect(seen.has('Running')).toBe(true);
    expect(seen.size).toBeGreaterThan(1);
  }, 90_000);

  it('is reported by `explain` while Running, with the cause of its last crash', async () => {
    await session.waitFor((screen) => /\sRunning\s.*resets in/.test(rowOf(screen) ?? ''), 60_000, 'Running');
    const result = await runCli([
      'explain',
      '--kubeconfig',
      b.kubeconfigPath,
      '-n',
      b.ns('shop'),
      '-o',
      'json',
    ]);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      pods: { name: string; status: string; cause?: { id: string }; containers: { crashLoop?: unknown }[] }[];
    };
    expect(report.pods.map((p) => p.name)).toEqual([expect.stringMatching(/^orders-api-/)]);
    const [pod] = report.pods;
    expect(pod?.cause?.id).toBe('dependency-unreachable');
    if (pod?.status === 'Running') expect(pod.containers[0]?.crashLoop).toBeDefined();

    const text = await runCli(['explain', '--kubeconfig', b.kubeconfigPath, '-n', b.ns('shop')]);
    expect(text.stdout).toMatch(/dependency-unreachable/);
    expect(text.stdout).not.toContain('catalog-');
  }, 90_000);
});
