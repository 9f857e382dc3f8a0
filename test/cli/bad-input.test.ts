import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCli } from '../helpers/run-cli.js';

let dir: string;
beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crashtop-bad-input-'));
  await writeFile(join(dir, 'garbage.yaml'), 'kind: Pod\nmetadata: [unclosed\n  name: x\n');
  await writeFile(
    join(dir, 'deploy.yaml'),
    'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec: {}\n',
  );
  await writeFile(join(dir, 'empty.yaml'), '');
  await writeFile(
    join(dir, 'kubeconfig'),
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters: [{name: c, cluster: {server: "https://127.0.0.1:1"}}]',
      'users: [{name: u, user: {token: t}}]',
      'contexts: [{name: dead, context: {cluster: c, user: u, namespace: default}}]',
      'current-context: dead',
    ].join('\n'),
  );
});

// Each row: what the user typed, the exit code, and what the one line on stderr must say.
const cases: { name: string; args: (dir: string) => string[]; code: number; stderr: RegExp }[] = [
  {
    name: 'unknown flag',
    args: () => ['--frobnicate'],
    code: 2,
    stderr: /unknown option '--frobnicate'.*--help/,
  },
  {
    name: 'unknown explain flag',
    args: () => ['explain', '--bogus'],
    code: 2,
    stderr: /unknown option '--bogus'/,
  },
  { name: 'bad output format', args: () => ['explain', '-o', 'xml'], code: 2, stderr: /xml.*(text|json)/ },
  {
    name: 'missing pod file',
    args: (d) => ['explain', '--pod', join(d, 'nope.yaml')],
    code: 2,
    stderr: /cannot read --pod .*nope\.yaml: no such file/,
  },
  {
    name: 'pod file is a directory',
    args: (d) => ['explain', '--pod', d],
    code: 2,
    stderr: /cannot read --pod .*: it is a directory/,
  },
  {
    name: 'not JSON or YAML',
    args: (d) => ['explain', '--pod', join(d, 'garbage.yaml')],
    code: 2,
    stderr: /garbage\.yaml(:\d+)? is not valid JSON or YAML/,
  },
  {
    name: 'not a Pod',
    args: (d) => ['explain', '--pod', join(d, 'deploy.yaml')],
    code: 2,
    stderr: /holds Deployment, not a Pod or a List of Pods/,
  },
  { name: 'empty file', args: (d) => ['explain', '--pod', join(d, 'empty.yaml')], code: 2, stderr: /empty/ },
  {
    name: '--logs without --pod',
    args: (d) => ['explain', '--logs', join(d, 'x.log')],
    code: 2,
    stderr: /--events and --logs go with --pod FILE/,
  },
  {
    name: 'bad --log-lines',
    args: () => ['--log-lines', 'lots'],
    code: 2,
    stderr: /--log-lines lots is not a whole number from 1 to 1000000/,
  },
  {
    name: 'bad --log-bytes',
    args: () => ['--log-bytes', '12'],
    code: 2,
    stderr: /--log-bytes 12 is not a size from 1Ki to 1Gi/,
  },
  {
    name: 'bad backoff flag',
    args: () => ['explain', '--backoff-max', 'soon'],
    code: 2,
    stderr: /--backoff-max soon is not a positive duration/,
  },
  { name: 'bad port', args: () => ['sim', '--port', 'http'], code: 2, stderr: /--port takes a whole number/ },
  {
    name: 'mistyped command',
    args: () => ['explian'],
    code: 2,
    stderr: /unknown command 'explian' \(Did you mean explain\?\)/,
  },
  {
    name: 'a flag before and after the command with different values',
    args: () => ['--context', 'west', '-n', 'shop', 'explain', '--context', 'east'],
    code: 2,
    stderr:
      /--context is given before and after explain with different values \(west, then east\): give it once/,
  },
  {
    name: 'a live view flag before explain',
    args: () => ['--log-lines', '100', 'explain'],
    code: 2,
    stderr: /--log-lines does not go with explain/,
  },
  {
    name: "an explain option on the live view's command line",
    args: () => ['--demo', '-o', 'json'],
    code: 2,
    stderr: /^crashtop: -o is an option of `crashtop explain`: crashtop explain --demo -o json$/m,
  },
  {
    name: 'an explain option before explain, its value glued on',
    args: () => ['--output=json', 'explain', '-l', 'app=('],
    code: 2,
    stderr:
      /^crashtop: --output is an option of `crashtop explain`: crashtop explain --output=json -l 'app=\('$/m,
  },
  {
    name: 'an explain option beside a flag explain does not take: no command line',
    args: (d) => ['--log-lines', '100', '--pod', join(d, 'pod.yaml')],
    code: 2,
    stderr: /^crashtop: --pod is an option of `crashtop explain`$/m,
  },
  {
    name: 'a sim option on the live view',
    args: () => ['--pods', '100'],
    code: 2,
    stderr: /^crashtop: --pods is an option of `crashtop sim`: crashtop sim --pods 100$/m,
  },
  {
    name: 'a cluster flag before sim',
    args: (d) => ['--kubeconfig', join(d, 'kubeconfig'), 'sim'],
    code: 2,
    stderr: /--kubeconfig does not go with sim/,
  },
  {
    name: 'unknown context',
    args: (d) => ['explain', '--kubeconfig', join(d, 'kubeconfig'), '--context', 'prod'],
    code: 2,
    stderr: /context "prod" not found/,
  },
  {
    name: 'unknown context with --demo',
    args: () => ['explain', '--demo', '--context', 'x'],
    code: 2,
    stderr: /context "x" not found in the demo \(contexts: crashtop-sim\)/,
  },
  {
    name: 'unknown context with --demo, the live view on a pipe',
    args: () => ['--demo', '--context', 'crashtop-sim', '--context', 'x'],
    code: 2,
    stderr: /context "x" not found in the demo \(contexts: crashtop-sim\)/,
  },
  {
    name: 'unknown namespace with --demo, as with a kubeconfig',
    args: () => ['explain', '--demo', '-n', 'nosuchns'],
    code: 2,
    stderr: /namespace "nosuchns" does not exist: check -n/,
  },
  {
    name: 'unreachable cluster',
    args: (d) => ['explain', '--kubeconfig', join(d, 'kubeconfig')],
    code: 1,
    stderr: /127\.0\.0\.1:1/,
  },
];

describe('bad input gets one clear line and the right exit code', () => {
  it.each(cases)('$name', async ({ args, code, stderr }) => {
    const result = await runCli(args(dir));
    expect(result.stderr).toMatch(stderr);
    expect(result.code).toBe(code);
    expect(result.stderr.trim().split('\n')).toHaveLength(1);
    expect(result.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('help and version', () => {
  it('--help lists every command and exits 0', async () => {
    const result = await runCli(['--help']);
    expect(result.code).toBe(0);
    for (const word of [
      'explain',
      'sim',
      '--demo',
      '--context',
      '--namespace',
      '--all-namespaces',
      '--selector',
      '--no-color',
      '--ascii',
    ]) {
      expect(result.stdout).toContain(word);
    }
  });
  it.each([
    { command: 'crashtop', args: [] },
    { command: 'explain', args: ['explain'] },
  ])('$command --help gives each option one default', async ({ args }) => {
    const result = await runCli([...args, '--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toContain('-n, --namespace <ns>');
    expect(result.stdout).not.toMatch(/\(default:[^)]*\)\s*\(default:/);
    expect(result.stdout).not.toContain('default: []');
  });
  it('--version prints the package version', async () => {
    const result = await runCli(['--version']);
    expect(result.code).toBe(0);
    expect(result.stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
  });
});
