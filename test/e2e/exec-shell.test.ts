import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// `s` for real: the simulator serves pods/exec over WebSocket (v5.channel.k8s.io) with a scripted shell. In a
// real terminal the shell opens, a command runs, `exit 3` brings back the same view with the exit status;
// with kubectl on PATH (kubectl exec) and without it (crashtop's own exec over the API server).

let sim: RunningSim;
let session: TmuxSession | undefined;

beforeAll(async () => {
  sim = await startSim();
});
afterAll(async () => {
  await sim.close();
});
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

describe.each([
  { name: 'kubectl exec', path: process.env.PATH ?? '' },
  { name: 'the built-in exec (no kubectl on PATH)', path: '/nonexistent' },
])('s opens a shell: $name', ({ path }) => {
  it('a command runs, exit 3 returns to the same view with the status', async () => {
    // tmux sets PATH in a new pane itself, whatever -e says: `env` sets it for crashtop.
    session = await TmuxSession.start(
      ['env', `PATH=${path}`, process.execPath, BIN, '--kubeconfig', sim.kubeconfigPath, '-A'],
      { width: 120, height: 30 },
    );
    await session.waitForText('CrashLoopBackOff');
    await session.keys('a');
    await session.keys('/');
    await session.keys('-l', 'postgres-0');
    await session.keys('Enter');
    await session.waitFor(
      (s) =>
        !s.includes('Enter keeps the filter') &&
        /^› payments +postgres-0 /m.test(s) &&
        /^1\/\d+ pods/m.test(s),
      10_000,
      'the postgres-0 row alone',
    );
    const table = (screen: string) =>
      screen
        .split('\n')
        .slice(3, 6)
        .join('\n')
        .replace(/\d+[hms]\S*/g, 'T');
    const view = table(await session.capture());

    await session.keys('s');
    await session.waitForText('postgres@postgres-0:/#');
    await session.keys('-l', 'echo crashtop-e2e');
    await session.keys('Enter');
    await session.waitForText(/^crashtop-e2e$/m);
    await session.keys('-l', 'stty size');
    await session.keys('Enter');
    // The terminal's size reached the shell (resize channel).
    await session.waitForText(/^\d+ 120$/m);
    await session.keys('-l', 'exit 3');
    await session.keys('Enter');

    const back = await session.waitForText('exited with 3');
    expect(back).toContain('shell in crashtop-sim: payments/postgres-0 [postgres]: exited with 3');
    // The same view: the same rows, the same selection.
    expect(table(back)).toBe(view);
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  }, 60_000);
});
