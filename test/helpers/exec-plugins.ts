import { chmodSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse, stringify } from 'yaml';

// Real exec credential plugins for tests: small node scripts, executable, written to a test's directory, and
// kubeconfigs whose user runs one of them against a simulator (its cluster and context as the simulator wrote
// them, its token left out: only the plugin gives it).

/** Writes an executable node script to `dir/name`; returns its path. */
export function writePlugin(dir: string, name: string, body: string): string {
  const path = join(dir, name);
  writeFileSync(path, `#!${process.execPath}\n${body}\n`);
  chmodSync(path, 0o755);
  return path;
}

/**
 * A plugin that prints an ExecCredential with `token` (v1), valid for `expiresInS` seconds if given; each run
 * appends its KUBERNETES_EXEC_INFO and what its stdin is as one JSON line to `runsFile` if given.
 */
export function printsToken(options: { token: string; expiresInS?: number; runsFile?: string }): string {
  return `
const fs = require('node:fs');
${options.runsFile === undefined ? '' : `fs.appendFileSync(${JSON.stringify(options.runsFile)}, JSON.stringify({ info: process.env.KUBERNETES_EXEC_INFO, stdinIsTTY: require('node:tty').isatty(0), env: process.env.PLUGIN_GREETING }) + '\\n');`}
const expires = ${options.expiresInS === undefined ? 'undefined' : `new Date(Date.now() + ${options.expiresInS * 1000}).toISOString()`};
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: ${JSON.stringify(options.token)}, ...(expires ? { expirationTimestamp: expires } : {}) },
}));`;
}

/** A plugin that prints the token in `tokenFile` at each run (a rotated credential), counting runs in `runsFile`. */
export function printsTokenFrom(tokenFile: string, runsFile: string): string {
  return `
const fs = require('node:fs');
fs.appendFileSync(${JSON.stringify(runsFile)}, '{}\\n');
process.stdout.write(JSON.stringify({
  apiVersion: 'client.authentication.k8s.io/v1',
  kind: 'ExecCredential',
  status: { token: fs.readFileSync(${JSON.stringify(tokenFile)}, 'utf8').trim() },
}));`;
}

/**
 * A plugin that waits for ever for a login that never comes, as a device-code flow does, with a helper process
 * of its own (a browser, a local callback server) in its process group; both pids go to `pidFile`.
 */
export function sleepsForever(pidFile: string): string {
  return `
const { spawn } = require('node:child_process');
const helper = spawn(process.execPath, ['-e', 'setInterval(() => {}, 1000)'], { stdio: 'ignore' });
require('node:fs').writeFileSync(${JSON.stringify(pidFile)}, process.pid + ' ' + helper.pid);
process.stderr.write('To sign in, open https://login.example/device and enter the code ABCD-EFGH\\n');
setInterval(() => {}, 1000);`;
}

/** A plugin that fails the way an expired SSO session does: lines on stderr, exit 1. */
export const EXITS_1 = `
process.stderr.write('fetching credentials\\n\\u001b[31mError: the SSO session has expired\\u001b[0m\\r\\n');
process.exit(1);`;

/**
 * A plugin that asks on the terminal for a code (a device-code login), reads it from stdin, and prints a
 * credential with `token` when the code is `code`.
 */
export function asksForCode(token: string, code: string): string {
  return `
process.stderr.write('Enter the code shown in your browser: ');
let typed = '';
process.stdin.on('data', (chunk) => {
  typed += chunk;
  if (!typed.includes('\\n') && !typed.includes('\\r')) return;
  if (typed.trim() !== ${JSON.stringify(code)}) { process.stderr.write('wrong code\\n'); process.exit(1); }
  process.stdout.write(JSON.stringify({
    apiVersion: 'client.authentication.k8s.io/v1',
    kind: 'ExecCredential',
    status: { token: ${JSON.stringify(token)} },
  }));
  process.exit(0);
});`;
}

/** Whether a process is alive: not gone, and not a zombie left for a parent (or an init that may never reap it). */
export function alive(pid: number): boolean {
  try {
    // The state follows the command's name in parentheses, which may itself hold spaces or parentheses.
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return false;
  }
}

interface Kubeconfig {
  users: { name: string; user: Record<string, unknown> }[];
}

/**
 * A copy of a simulator's kubeconfig (written to `dir/name`) whose user runs `exec` (apiVersion v1 unless it
 * says otherwise) instead of holding the token.
 */
export function pluginKubeconfig(
  simKubeconfig: string,
  dir: string,
  name: string,
  exec: Record<string, unknown>,
): string {
  const config = parse(readFileSync(simKubeconfig, 'utf8')) as Kubeconfig;
  for (const user of config.users)
    user.user = { exec: { apiVersion: 'client.authentication.k8s.io/v1', ...exec } };
  const path = join(dir, name);
  writeFileSync(path, stringify(config));
  return path;
}

/** The lines a plugin appended to its runs file (none yet: no file). */
export function runsIn(runsFile: string): { info?: string; stdinIsTTY?: boolean; env?: string }[] {
  try {
    return readFileSync(runsFile, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => JSON.parse(line));
  } catch {
    return [];
  }
}
