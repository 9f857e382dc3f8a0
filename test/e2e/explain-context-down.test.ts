import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { renamedKubeconfig } from '../helpers/renamed-kubeconfig.js';
import { runCli } from '../helpers/run-cli.js';

// One cluster down must not hide another's crash loops: `explain --context east --context west` with east's API
// server gone reports west (text and JSON), names east in the report and on stderr, and exits 1. Only when
// every context fails is the answer the one-line error.

interface JsonReport {
  pods: { context: string }[];
  scope: { context: string; pods: number; notes: string[]; failed?: true }[];
}

let east: RunningSim;
let west: RunningSim;
let dir: string;
let env: NodeJS.ProcessEnv;
const UNREACHABLE = /^cannot reach https:\/\/127\.0\.0\.1:\d+ \(context east\): .*is the cluster up\?/;

beforeAll(async () => {
  [east, west] = await Promise.all([startSim(), startSim()]);
  dir = mkdtempSync(join(tmpdir(), 'crashtop-context-down-'));
  env = {
    KUBECONFIG: [
      renamedKubeconfig(east.kubeconfigPath, 'east', dir),
      renamedKubeconfig(west.kubeconfigPath, 'west', dir),
    ].join(':'),
  };
  await east.stopListener();
});
afterAll(async () => {
  await Promise.all([east?.close(), west?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

const both = ['explain', '--context', 'east', '--context', 'west', '-n', 'shop'];

describe('explain with one of two contexts down', () => {
  it('JSON: the reachable context reported, the other named in scope[].notes and on stderr, exit 1', async () => {
    const result = await runCli([...both, '-o', 'json'], env);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.pods.length).toBeGreaterThan(0);
    for (const pod of report.pods) expect(pod.context).toBe('west');
    expect(report.scope).toEqual([
      {
        context: 'east',
        namespaces: ['shop'],
        pods: 0,
        notes: [expect.stringMatching(UNREACHABLE)],
        failed: true,
      },
      { context: 'west', namespaces: ['shop'], pods: expect.any(Number), notes: [] },
    ]);
    expect(result.stderr.trim().split('\n')).toEqual([`crashtop: ${report.scope[0]!.notes[0]}`]);
    expect(result.code).toBe(1);
  });

  it('text: the note first, then the reachable context report, exit 1', async () => {
    const result = await runCli(both, env);
    const [note, blank, firstPod] = result.stdout.split('\n');
    expect(note).toMatch(new RegExp(`^note: ${UNREACHABLE.source.slice(1)}`));
    expect(blank).toBe('');
    expect(firstPod).toMatch(/^shop\//);
    expect(result.stdout).toContain('  context   west\n');
    expect(result.stdout).not.toContain('  context   east\n');
    expect(result.stderr).toMatch(/^crashtop: cannot reach .*\(context east\)/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('crashtop on a pipe prints the same report and exits 1', async () => {
    const result = await runCli(both.slice(1), env);
    expect(result.stdout).toMatch(new RegExp(`^note: ${UNREACHABLE.source.slice(1)}`, 'm'));
    expect(result.stdout).toContain('  context   west\n');
    expect(result.stderr).toMatch(/^crashtop: cannot reach .*\(context east\)/);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.code).toBe(1);
  });

  it('a pod not found in the reachable context may be in the other: exit 1, saying so', async () => {
    const result = await runCli([...both, 'nosuchpod'], env);
    expect(result.stderr).toBe(
      'crashtop: pod "nosuchpod" not found in namespace shop of context west; context east could not be read\n',
    );
    expect(result.code).toBe(1);
  });

  it('every context down: the one-line error, no report', async () => {
    await west.stopListener();
    try {
      const result = await runCli([...both, '-o', 'json'], env);
      expect(result.stdout).toBe('');
      expect(result.stderr).toMatch(/^crashtop: cannot reach .*\(context (east|west)\)/);
      expect(result.stderr.trim().split('\n')).toHaveLength(1);
      expect(result.code).toBe(1);
    } finally {
      await west.startListener();
    }
  });
});
