import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type RunningSim, startSim } from '../../src/sim/index.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// The built binary in an 80×24 tmux pane on the simulator, whose listener then closes (connections refused, as when
// the API server or the tunnel to it is down). Once the view is stale, the header must say why and what to do
// whole, not cut after the server's URL.

let sim: RunningSim;
const run = sessionPerTest();

beforeAll(async () => {
  sim = await startSim({ speed: 0 });
});
afterAll(async () => {
  await sim.close();
});

describe('a stale view at 80×24', () => {
  it('says why under `stale`, whole, and the table keeps its rows', async () => {
    const session = await TmuxSession.start(
      [process.execPath, BIN, '--kubeconfig', sim.kubeconfigPath, '-A'],
      {
        width: 80,
        height: 24,
      },
    );
    run.session = session;
    await session.waitForText(/^live$/m);
    await sim.stopListener();
    // Marked stale once the outage has lasted 15 s.
    const screen = await session.waitForText(/^stale \d+s/m, 40_000);
    const lines = screen.split('\n').map((line) => line.trimEnd());
    expect(lines[1]).toMatch(/^stale \d+s$/);
    const reason = lines
      .slice(2, 4)
      .map((line) => line.trim())
      .join(' ');
    expect(reason).toBe(
      `cannot reach ${sim.url} (context ${sim.context}): connect ECONNREFUSED — is the cluster up? check --context`,
    );
    expect(lines[4]).toMatch(/^\d+\/\d+ pods/);
    expect(screen.split('cannot reach')).toHaveLength(2);
    expect(screen).toContain('CrashLoopBackOff');
  }, 60_000);
});
