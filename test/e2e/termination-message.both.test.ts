import { fileURLToPath } from 'node:url';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/index.js';
import { type Backend, startBackend } from '../helpers/backend.js';
import { runCli } from '../helpers/run-cli.js';

// `crashtop explain` against the simulator, whose kubelet writes lastState.terminated.message as a real one does:
// what the container wrote to /dev/termination-log, or its log tail with FallbackToLogsOnError. The report shows
// the last lines, as a terminal would have shown them, with what looks secret hidden.

const SCENARIO = fileURLToPath(new URL('../fixtures/sim/termination-message.yaml', import.meta.url));

interface JsonReport {
  pods: { name: string; containers: { lastExit?: { exitCode: number; terminationMessage?: string[] } }[] }[];
}

let b: Backend;
beforeAll(async () => {
  b = await startBackend({ scenario: await loadScenario(SCENARIO) });
});
afterAll(async () => {
  await b?.close();
});

describe('the termination message in explain', () => {
  it('is in the JSON report as lines: the last five, redacted, a progress bar as it ended', async () => {
    const result = await runCli([
      'explain',
      '--kubeconfig',
      b.kubeconfigPath,
      '-n',
      b.ns('jobs'),
      '-o',
      'json',
    ]);
    expect(result.stderr).toBe('');
    const pods = (JSON.parse(result.stdout) as JsonReport).pods;
    const message = (name: string) =>
      pods.find((pod) => pod.name.startsWith(`${name}-`))?.containers[0]?.lastExit?.terminationMessage;
    expect(message('importer')).toEqual([
      'importer 3.0.1',
      'downloading 80%',
      'GET https://api.example.com/feed failed with token=ghp_<hidden>',
      'fatal: feed unavailable (HTTP 503)',
      'exiting with code 2',
    ]);
    expect(message('scorer')).toEqual([
      'scorer 5.2.0 starting',
      'connecting to postgres://scorer:<hidden>@db.jobs:5432/rules',
      'Traceback (most recent call last):',
      '  File "/app/scorer/main.py", line 22, in <module>',
      'psycopg2.OperationalError: FATAL:  password authentication failed for user "scorer"',
    ]);
    expect(result.stdout).not.toContain('ghp_16C7');
    expect(result.stdout).not.toContain('Sc0rer-pw');
  });

  it('is in the text report as `exit msg` lines, none wider than the report', async () => {
    const result = await runCli(['explain', '--kubeconfig', b.kubeconfigPath, '-n', b.ns('jobs')]);
    expect(result.stderr).toBe('');
    const block = result.stdout.split('\n\n').find((text) => text.includes('/importer-'));
    expect(block).toContain(
      [
        '  exit msg  importer 3.0.1',
        '            downloading 80%',
        '            GET https://api.example.com/feed failed with token=ghp_<hidden>',
        '            fatal: feed unavailable (HTTP 503)',
        '            exiting with code 2',
        '',
      ].join('\n'),
    );
    expect(result.stdout).not.toContain('ghp_16C7');
    expect(result.stdout).not.toContain('Sc0rer-pw');
    for (const line of result.stdout.split('\n')) expect(line.length).toBeLessThanOrEqual(80);
  });
});
