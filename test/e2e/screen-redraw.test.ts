import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, ManualClock, type RunningSim, startSim } from '../../src/sim/index.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// The live view sends the terminal only the cells that change (src/ui/terminal/cell-diff.ts: relative cursor
// moves, styles carried from row to row, scrolled rows that also ticked). Whatever it sent over many ticks and
// restarts, the screen must be the one a full redraw of the same moment draws. The simulated cluster moves only
// when the test advances its clock, so the two captures can be taken within one second of crashtop's clock.

const sleep = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

let sim: RunningSim;
let clock: ManualClock;
const tmux = sessionPerTest();

beforeAll(async () => {
  clock = new ManualClock(Date.now());
  sim = await startSim({ scenario: generateScenario({ pods: 300, crashing: 90 }), clock });
});
afterAll(async () => {
  await sim.close();
});

describe('the live view after many ticks', () => {
  it('shows exactly what a full redraw shows, text and colours', async () => {
    const s = await TmuxSession.start([process.execPath, BIN, '--kubeconfig', sim.kubeconfigPath, '-A'], {
      width: 120,
      height: 40,
    });
    tmux.session = s;
    await expect.poll(() => s.capture(), { timeout: 20_000, interval: 100 }).toContain('CrashLoopBackOff');
    // Pods restart (rows leave the top and the others move up), statuses change, countdowns tick.
    for (let step = 0; step < 24; step++) {
      clock.advance(7_000 + (step % 5) * 3_000);
      sim.cluster.advance();
      await sleep(500);
    }
    await sleep(2_500);

    let compared = 0;
    for (let attempt = 0; attempt < 12 && compared < 3; attempt++) {
      // Just after a tick: the next is a second away, and the cluster holds still.
      const last = await s.captureWithEscapes();
      let ticked = last;
      const waitStart = Date.now();
      while (ticked === last && Date.now() - waitStart < 1_500) ticked = await s.captureWithEscapes();
      const tickAt = Date.now();
      const shown = await s.captureWithEscapes();
      if (shown !== ticked) continue;
      // A full redraw: the view clears the screen and draws a whole frame after a resize.
      await s.tmux('resize-window', '-t', s.name, '-x', '119', '-y', '40');
      await sleep(150);
      await s.tmux('resize-window', '-t', s.name, '-x', '120', '-y', '40');
      await sleep(250);
      const redrawn = await s.captureWithEscapes();
      const settled = await s.captureWithEscapes();
      if (Date.now() - tickAt > 850 || settled !== redrawn) continue;
      expect(shown).toBe(redrawn);
      compared++;
    }
    expect(compared).toBeGreaterThan(0);
  }, 90_000);
});

describe('the live view after the pane got narrower', () => {
  // The first frame after a narrowing resize is laid out for the old width; its long lines (the footer of keys)
  // must not wrap into the rows below, where they stayed for good (seen: `y copy fix  / filter …` under the
  // footer after 80 → 140 → 80 columns, on a real kube-apiserver and on the simulator alike).
  it('shows the footer and nothing under it', async () => {
    const s = await TmuxSession.start([process.execPath, BIN, '--kubeconfig', sim.kubeconfigPath, '-A'], {
      width: 80,
      height: 24,
    });
    tmux.session = s;
    await expect.poll(() => s.capture(), { timeout: 20_000, interval: 100 }).toContain('CrashLoopBackOff');
    await s.tmux('resize-window', '-t', s.name, '-x', '140', '-y', '24');
    await expect.poll(() => s.capture(), { timeout: 5_000, interval: 100 }).toContain('y copy fix');
    await s.tmux('resize-window', '-t', s.name, '-x', '80', '-y', '24');
    await sleep(1_500);
    const rows = (await s.capture()).split('\n');
    const footer = rows.findIndex((row) => row.includes('? help'));
    expect(footer).toBeGreaterThan(0);
    expect(
      rows
        .slice(footer + 1)
        .join('')
        .trim(),
    ).toBe('');
    expect(rows.join('\n')).not.toContain('y copy fix');
  }, 60_000);
});
