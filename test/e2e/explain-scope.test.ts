import { readFileSync } from 'node:fs';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { runCli } from '../helpers/run-cli.js';

// A typo is not an all-clear: `explain` says what it looked at, and why an empty answer may be the input's
// fault (a namespace that does not exist, a selector that matches nothing) or RBAC's (-A forbidden, then the
// context's namespace is read instead), in the text, in the JSON, and with the right exit code.

interface JsonReport {
  pods: { context: string; namespace: string }[];
  scope: { context: string; namespaces: string[]; selector?: string; pods: number; notes: string[] }[];
}

let sim: RunningSim;
let home: string;
beforeAll(async () => {
  sim = await startSim();
  const config = parse(readFileSync(sim.kubeconfigPath, 'utf8')) as {
    contexts: { context: { namespace: string } }[];
  };
  home = config.contexts[0]!.context.namespace;
});
afterAll(async () => {
  await sim.close();
});
afterEach(() => sim.cluster.restrictTo(undefined));

const explain = (...args: string[]) => runCli(['explain', '--kubeconfig', sim.kubeconfigPath, ...args]);

describe('explain: what it looked at', () => {
  it('a namespace that does not exist is said, in the text and the JSON, and exits 2', async () => {
    const text = await explain('-n', 'nosuchns');
    expect(text.stdout).toContain('note: namespace "nosuchns" does not exist in context crashtop-sim');
    expect(text.stdout).not.toContain('nothing is crashing');
    expect(text.stderr).toBe('crashtop: namespace "nosuchns" does not exist: check -n\n');
    expect(text.code).toBe(2);

    const json = await explain('-n', 'nosuchns', '-n', home, '-o', 'json');
    const report = JSON.parse(json.stdout) as JsonReport;
    expect(report.scope).toEqual([
      {
        context: 'crashtop-sim',
        namespaces: ['nosuchns', home],
        pods: expect.any(Number),
        notes: ['namespace "nosuchns" does not exist in context crashtop-sim'],
      },
    ]);
    expect(report.pods.length).toBeGreaterThan(0);
    expect(json.code).toBe(2);
  });

  it('a selector that matches no pod says so, with the scope size without it', async () => {
    const all = JSON.parse((await explain('-A', '-o', 'json')).stdout) as JsonReport;
    const total = all.scope[0]!.pods;
    const text = await explain('-A', '-l', 'app=doesnotexist');
    expect(text.stdout).toBe(
      `note: selector app=doesnotexist matched no pod in all namespaces of context crashtop-sim; without it there are ${total} pods\n` +
        'No unhealthy pods found in all namespaces of context crashtop-sim, selector app=doesnotexist, but see the notes above.\n',
    );
    expect(text.code).toBe(0);
    const json = JSON.parse(
      (await explain('-A', '-l', 'app=doesnotexist', '-o', 'json')).stdout,
    ) as JsonReport;
    expect(json.scope[0]).toMatchObject({ namespaces: [], selector: 'app=doesnotexist', pods: 0 });
  });

  it('a selector note names the namespaces it looked in', async () => {
    const text = await explain('-n', home, '-l', 'app=doesnotexist,tier!=x');
    expect(text.stdout).toMatch(/^note: selector app=doesnotexist,tier!=x matched no pod in namespace /);
  });

  it.each([
    ['app in (a', /^crashtop: -l app in \(a is not a valid label selector .*e\.g\. app=web/],
    [
      'app=(',
      /^crashtop: -l app=\( is not a valid label selector \(unable to parse requirement: found '\(', expected: identifier\)/,
    ],
  ])('an invalid selector (%j) is an input error: one line, exit 2', async (selector, stderr) => {
    const result = await explain('-A', '-l', selector);
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(stderr);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
  });

  it('-A forbidden falls back to the context namespace, as the live view does, and says so', async () => {
    sim.cluster.restrictTo([home]);
    const result = await explain('-A', '-o', 'json');
    expect(result.stderr).toBe(
      `crashtop: note: context crashtop-sim may not list pods in all namespaces (403 Forbidden), so only its namespace "${home}" is read\n`,
    );
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as JsonReport;
    expect(report.scope[0]).toMatchObject({
      namespaces: [home],
      notes: [
        `context crashtop-sim may not list pods in all namespaces (403 Forbidden), so only its namespace "${home}" is read`,
      ],
    });
    expect(new Set(report.pods.map((p) => p.namespace))).toEqual(new Set([home]));
  });
});
