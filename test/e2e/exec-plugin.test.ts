import { spawn } from 'node:child_process';
import { readFileSync, writeFileSync } from 'node:fs';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import {
  alive,
  asksForCode,
  pluginKubeconfig,
  printsToken,
  runsIn,
  sleepsForever,
  writePlugin,
} from '../helpers/exec-plugins.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { screenWords, TmuxSession } from '../helpers/tmux.js';

// The built binary on kubeconfigs whose user runs an exec credential plugin (a real one: a node script), against
// the simulator, which lets in only its own bearer token. In a terminal, a plugin that may use it signs in there
// before the view starts (a device-code prompt is seen and answered); one that may not, or has no terminal, gets
// 10 s and then crashtop ends with one line saying how to log in, and the plugin's processes with it.

let sim: RunningSim;
let dir: string;
const run = sessionPerTest();

beforeAll(async () => {
  sim = await startSim({ scenario: generateScenario({ pods: 40, crashing: 8 }), speed: 0 });
  dir = await mkdtemp(join(tmpdir(), 'crashtop-e2e-exec-'));
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

/**
 * crashtop in a 120×30 pane, then its exit status; its stderr kept in a file and shown after it ends, or, with
 * `stderrOnTerminal`, left on the terminal (where an interactive plugin's prompt goes).
 */
async function inPane(
  args: string[],
  stderrOnTerminal = false,
): Promise<{ session: TmuxSession; errFile: string }> {
  const errFile = join(dir, `stderr-${Date.now()}`);
  const script = stderrOnTerminal
    ? '"$@"; echo "exit=$?"; sleep 60'
    : '"$@" 2>"$ERR"; echo "exit=$?"; cat "$ERR"; sleep 60';
  const session = await TmuxSession.start(['sh', '-c', script, 'sh', process.execPath, BIN, ...args], {
    width: 120,
    height: 30,
    env: { ERR: errFile },
  });
  run.session = session;
  return { session, errFile };
}

function pidsIn(text: string): number[] {
  return text.split(' ').map(Number);
}

describe('exec credential plugins', () => {
  it('a plugin that may not use the terminal and waits for a login: one line after 10 s, exit 1, its processes ended', async () => {
    const pidFile = join(dir, 'waits.pids');
    const command = writePlugin(dir, 'waits', sleepsForever(pidFile));
    const kubeconfig = pluginKubeconfig(sim.kubeconfigPath, dir, 'waits.yaml', {
      command,
      interactiveMode: 'Never',
    });
    const started = Date.now();
    const { session, errFile } = await inPane(['--kubeconfig', kubeconfig, '-A']);
    await session.waitFor(() => runsReady(pidFile), 10_000, 'the plugin to start');
    // Waiting on the plain terminal, the view not started, the plugin's prompt not shown.
    expect(await session.format('#{alternate_on}')).toBe('0');
    expect(await session.capture()).not.toContain('To sign in');
    const screen = await session.waitForText(/exit=\d+/, 20_000);
    expect(Date.now() - started).toBeGreaterThanOrEqual(10_000);
    expect(/exit=(\d+)/.exec(screen)?.[1]).toBe('1');
    const stderr = await readFile(errFile, 'utf8');
    expect(stderr).toBe(
      `crashtop: cannot get credentials for context crashtop-sim: plugin ${command} gave no credential within 10 s: run kubectl --kubeconfig ${kubeconfig} --context crashtop-sim get pods once to log in, then start crashtop again\n`,
    );
    const [pluginPid, helperPid] = pidsIn(await readFile(pidFile, 'utf8'));
    expect(alive(pluginPid!) || alive(helperPid!)).toBe(false);
  }, 45_000);

  it('the view comes up on a context the plugin signs in to, having had the terminal', async () => {
    const runs = join(dir, 'signs-in.runs');
    const command = writePlugin(dir, 'signs-in', printsToken({ token: sim.token, runsFile: runs }));
    const kubeconfig = pluginKubeconfig(sim.kubeconfigPath, dir, 'signs-in.yaml', {
      command,
      interactiveMode: 'IfAvailable',
    });
    const { session } = await inPane(['--kubeconfig', kubeconfig, '-A']);
    const screen = await session.waitForText('CrashLoopBackOff', 20_000);
    expect(screen.split('\n')[0]).toMatch(/context crashtop-sim/);
    const [signIn, ...later] = runsIn(runs);
    expect(signIn?.stdinIsTTY).toBe(true);
    expect(JSON.parse(signIn?.info ?? '{}')).toMatchObject({ spec: { interactive: true } });
    expect(later).toEqual([]);
    await session.keys('q');
    expect(await session.waitForText(/exit=\d+/)).toMatch(/exit=0/);
  }, 45_000);

  it('a renewal that fails while the view is open: that context’s line under the header, the view goes on', async () => {
    const mode = join(dir, 'renewal.mode');
    writeFileSync(mode, 'ok');
    const command = writePlugin(
      dir,
      'renewal',
      `if (require('node:fs').readFileSync(${JSON.stringify(mode)}, 'utf8') !== 'ok') {
  process.stderr.write('error: the refresh token has expired\\n');
  process.exit(1);
}
${printsToken({ token: sim.token, expiresInS: 2 })}`,
    );
    const kubeconfig = pluginKubeconfig(sim.kubeconfigPath, dir, 'renewal.yaml', { command });
    const { session } = await inPane(['--kubeconfig', kubeconfig, '-A']);
    await session.waitForText('CrashLoopBackOff', 20_000);
    writeFileSync(mode, 'failing');
    await new Promise((resolve) => setTimeout(resolve, 2500));
    // The watches start again (410 Gone): their lists need a credential, the one signed in with has expired.
    sim.expireWatches();
    const screen = await session.waitFor(
      (text) =>
        screenWords(text).includes('cannot get credentials for context crashtop-sim: plugin') &&
        screenWords(text).includes('exited with status 1: error: the refresh token has expired'),
      20_000,
      'the failed renewal in the header',
    );
    expect(screen).toContain('CrashLoopBackOff');
    expect(await session.format('#{alternate_on}')).toBe('1');
  }, 45_000);

  it('a device-code login: the plugin’s prompt on the terminal, the code typed, then the view', async () => {
    const command = writePlugin(dir, 'asks', asksForCode(sim.token, 'ABCD-1234'));
    const kubeconfig = pluginKubeconfig(sim.kubeconfigPath, dir, 'asks.yaml', { command });
    const { session } = await inPane(['--kubeconfig', kubeconfig, '-A'], true);
    await session.waitForText('Enter the code shown in your browser:', 10_000);
    expect(await session.format('#{alternate_on}')).toBe('0');
    await session.keys('ABCD-1234', 'Enter');
    await session.waitForText('CrashLoopBackOff', 20_000);
    expect(await session.format('#{alternate_on}')).toBe('1');
  }, 45_000);

  it('Ctrl-C while a plugin waits: crashtop ends at once (130), and the plugin and its helper with it', async () => {
    const pidFile = join(dir, 'interrupted.pids');
    const command = writePlugin(dir, 'interrupted', sleepsForever(pidFile));
    const kubeconfig = pluginKubeconfig(sim.kubeconfigPath, dir, 'interrupted.yaml', { command });
    // No terminal: the plugin runs in a session of its own, which a Ctrl-C in crashtop's terminal never reaches.
    const crashtop = spawn(process.execPath, [BIN, 'explain', '--kubeconfig', kubeconfig, '-A'], {
      stdio: 'ignore',
    });
    const exited = new Promise<number | null>((resolve) => crashtop.once('exit', (code) => resolve(code)));
    await expect.poll(() => runsReady(pidFile), { timeout: 10_000 }).toBe(true);
    const interruptedAt = Date.now();
    crashtop.kill('SIGINT');
    expect(await exited).toBe(130);
    expect(Date.now() - interruptedAt).toBeLessThan(2000);
    const [pluginPid, helperPid] = pidsIn(await readFile(pidFile, 'utf8'));
    await expect.poll(() => alive(pluginPid!) || alive(helperPid!)).toBe(false);
  }, 30_000);

  it('explain without a terminal: the same line after 10 s, exit 1', async () => {
    const command = writePlugin(dir, 'explain-waits', sleepsForever(join(dir, 'explain-waits.pids')));
    const kubeconfig = pluginKubeconfig(sim.kubeconfigPath, dir, 'explain-waits.yaml', { command });
    const result = await runCli(['explain', '--kubeconfig', kubeconfig, '-A'], {}, 30_000);
    expect(result.code).toBe(1);
    expect(result.stdout).toBe('');
    expect(result.stderr).toMatch(
      /^crashtop: cannot get credentials for context crashtop-sim: plugin \S+ gave no credential within 10 s: run kubectl --kubeconfig \S+ --context crashtop-sim get pods once to log in, then start crashtop again\n$/,
    );
  }, 45_000);
});

/** Whether the sleepsForever plugin has started (written its pids). */
function runsReady(pidFile: string): boolean {
  try {
    return readFileSync(pidFile, 'utf8').includes(' ');
  } catch {
    return false;
  }
}
