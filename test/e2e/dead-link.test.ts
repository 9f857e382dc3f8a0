import { mkdtemp, readdir, readFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { loadScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import { QUESTION_READ_MS } from '../../src/ui/question-guard.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { proxiedKubeconfig, startTcpProxy, type TcpProxy } from '../helpers/tcp-proxy.js';
import { screenWords, TmuxSession } from '../helpers/tmux.js';

// The built binary in tmux, its connection to the simulator going through a proxy that can stop forwarding on
// the connections open now while new ones still pass (a NAT or load balancer that dropped the flow: no FIN, no
// RST). The built-in exec (no kubectl on PATH) must not hold the terminal for good, and a followed log must not
// say `following` forever while lines are logged and never arrive. Both wait out the real deadlines (45 s).
// The proxy can also drop every open connection again and again (a flaky VPN), then refuse new ones for a while
// (an outage): the drops a followed log bridges in a moment must write nothing in it, the outage one pair of
// lines, the title must say so at once either way, and the log saved at the end must hold every line once.

let sim: RunningSim;
let proxy: TcpProxy;
let kubeconfig: string;
const run = sessionPerTest();

beforeAll(async () => {
  const scenario = await loadScenario(new URL('../fixtures/sim/steady-logs.yaml', import.meta.url).pathname);
  sim = await startSim({ scenario });
  proxy = await startTcpProxy({ port: Number(new URL(sim.url).port) });
  kubeconfig = await proxiedKubeconfig(sim.kubeconfigPath, proxy);
});
afterAll(async () => {
  await proxy.close();
  await sim.close();
});

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** crashtop without kubectl on PATH, showing all pods (the steady pod is healthy, the only one, so selected). */
async function steadyRow(env: Record<string, string> = {}): Promise<TmuxSession> {
  const session = await TmuxSession.start(
    ['env', 'PATH=/nonexistent', process.execPath, BIN, '--kubeconfig', kubeconfig, '-A'],
    { width: 120, height: 30, env },
  );
  run.session = session;
  await session.waitForText(/^\S+ pods?/m);
  await session.keys('a');
  await session.waitForText(/^› t +steady /m);
  return session;
}

async function openShell(session: TmuxSession): Promise<void> {
  await session.keys('s');
  // Two containers: the picker offers the first running one.
  await session.waitForText('ticker');
  // A key within QUESTION_READ_MS of the question reaching the screen was typed before it could be read: ignored.
  await new Promise((resolve) => setTimeout(resolve, QUESTION_READ_MS));
  await session.keys('Enter');
  await session.waitForText('ticker@steady:/#');
}

describe('a connection that dies without a sign', () => {
  it('~. after Enter ends a shell from this side, and the view says so', async () => {
    const session = await steadyRow();
    await openShell(session);
    await session.keys('-l', 'echo still-here');
    await session.keys('Enter');
    await session.waitForText(/^still-here$/m);
    await session.keys('-l', '~.');
    const back = await session.waitForText('ended with ~.');
    expect(screenWords(back)).toContain(
      "exec into t/steady [ticker]: ended with ~.; the terminal is crashtop's again (the shell may still run in the container)",
    );
  }, 60_000);

  it('a stalled shell is ended after 45 s without an answer, Ctrl-C having gone to the remote', async () => {
    const session = await steadyRow();
    await openShell(session);
    proxy.stall();
    const stalledAt = Date.now();
    await session.keys('C-c');
    const back = await session.waitForText('no answer from the API server for 45 s', 75_000);
    // Counted from the last sign of life (the prompt, or a pong just before the stall): not sooner.
    expect(Date.now() - stalledAt).toBeGreaterThan(40_000);
    expect(screenWords(back)).toContain(
      "exec into t/steady [ticker]: no answer from the API server for 45 s, the session was ended; the terminal is crashtop's again",
    );
    // The view is crashtop's again: a key moves it.
    await session.keys('l');
    await session.waitForText(/^Logs t\/steady \[ticker\] current run/m);
  }, 120_000);

  it('a stalled log stream is replaced after 45 s of silence: the lines logged meanwhile come', async () => {
    const session = await steadyRow();
    await session.keys('l');
    await session.waitForText(/^Logs t\/steady \[ticker\] current run · following/m);
    await session.keys('t');
    const lastTime = (screen: string) => {
      const times = [...screen.matchAll(/^(\d{4}-\d\d-\d\dT[\d:.]+Z) tick$/gm)].map((m) => Date.parse(m[1]!));
      return Math.max(...times);
    };
    await session.waitForText(/Z tick$/m);
    proxy.stall();
    const stalledAt = Date.now();
    await new Promise((resolve) => setTimeout(resolve, 2_000));
    const frozen = lastTime(await session.capture());
    expect(frozen).toBeLessThan(stalledAt + 1_000);
    const resumed = await session.waitFor(
      (s) => lastTime(s) > stalledAt + 30_000,
      75_000,
      'lines after the stall',
    );
    expect(resumed).toMatch(/^Logs t\/steady \[ticker\] current run · following/m);
    // Replaced quietly: nothing in the log. (The header may say the pod watch, stalled on the same link, is
    // reconnecting: that is the watch's own state, not the log's.)
    expect(resumed).not.toMatch(/log stream cut|── resumed ──/);
  }, 120_000);
});

describe('a followed log on a flaky link', () => {
  it('drops bridged in a moment write nothing, an outage one pair, and no line is lost or repeated', async () => {
    const saveDir = await mkdtemp(join(tmpdir(), 'crashtop-flaky-'));
    // Ctrl-S saves the log in the temporary directory.
    const session = await steadyRow({ TMPDIR: saveDir });
    await session.keys('l');
    await session.waitForText(/^Logs t\/steady \[ticker\] current run · following/m);
    await session.waitForText(/^tick$/m);

    // The link drops every connection every 1.5 s: each stream is resumed within a moment.
    const flapFrom = Date.now();
    for (let i = 0; i < 5; i++) {
      proxy.resetOpen();
      await sleep(1500);
    }
    const flapped = await session.waitForText(/^Logs t\/steady \[ticker\] current run · following/m);
    expect(flapped).not.toContain('log stream cut');

    // An outage: the title says so at once, the log 3 to 4 s later.
    proxy.refuseNew(true);
    const cutAt = Date.now();
    proxy.resetOpen();
    const down = await session.waitForText(/^Logs t\/steady \[ticker\] current run · reconnecting…/m, 2500);
    expect(down).not.toContain('log stream cut');
    await session.waitForText('log stream cut at', 10_000);
    expect(Date.now() - cutAt).toBeGreaterThanOrEqual(3000);
    await sleep(5000);
    proxy.refuseNew(false);
    const backAt = Date.now();
    // The lines logged during the outage come at once, `resumed` before them (off the screen: the file has it),
    // then those logged since.
    await session.waitForText(/^Logs t\/steady \[ticker\] current run · following/m, 10_000);
    await session.keys('t');
    await session.waitFor(
      (screen) => [...screen.matchAll(/^(\S+Z) tick$/gm)].some((m) => Date.parse(m[1]!) > backAt),
      10_000,
      'a line logged after the outage',
    );

    await session.keys('C-s');
    await session.waitForText('saved ');
    const [file] = await readdir(saveDir);
    const saved = (await readFile(join(saveDir, file!), 'utf8')).split('\n');
    expect(saved.filter((line) => line.includes('── log stream cut at '))).toHaveLength(1);
    expect(saved.filter((line) => line.includes('── resumed ──'))).toHaveLength(1);
    const times = saved.flatMap((line) => {
      const tick = /^(\S+Z) tick$/.exec(line);
      return tick ? [Date.parse(tick[1]!)] : [];
    });
    // Every 200 ms, in order: nothing repeated (a gap of 0) or lost (a gap of 400 ms or more), across the drops
    // and the outage.
    expect(times[0]).toBeLessThan(flapFrom);
    expect(times.at(-1)).toBeGreaterThan(backAt);
    const gaps = times.slice(1).map((t, i) => t - times[i]!);
    expect(gaps.filter((gap) => gap <= 0 || gap >= 400)).toEqual([]);
  }, 90_000);
});
