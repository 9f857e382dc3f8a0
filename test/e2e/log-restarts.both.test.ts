import { describe, expect, it } from 'vitest';
import { loadScenario } from '../../src/sim/index.js';
import { backendInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// The built binary in tmux at 80×24 follows `l` through two restarts of a crash-looping container (3 s runs, the
// reduced back-off curve 1 s → 60 s), with no key pressed after `l`: the kubelet closes each follow stream when the
// container exits, as a real one does. On the real server each follow goes through the apiserver's log proxy to the
// fake kubelet, and the restarts reach crashtop as the mirror writes them through pods/status.

const run = backendInTmux({
  scenario: await loadScenario(new URL('../fixtures/sim/restarting-logs.yaml', import.meta.url).pathname),
});

const SEPARATOR =
  /── exited 1 \(Error\) at \d\d:\d\d:\d\d · restart \d+ (now|(at |due ~?)\d\d:\d\d:\d\d) ──/g;

describe('logs across restarts in a real terminal', () => {
  it('`l` shows a separator for each exit and the next run after it, without a key press', async () => {
    const b = run.backend;
    const session = await TmuxSession.start(
      [
        process.execPath,
        BIN,
        '--kubeconfig',
        b.kubeconfigPath,
        '-A',
        '--backoff-initial',
        '1s',
        '--backoff-max',
        '60s',
      ],
      { width: 80, height: 24 },
    );
    run.session = session;
    await session.waitForText('NEXT RESTART');
    // `a`: all pods (the pod is healthy until its first crash); it is the only one, so it is selected.
    await session.keys('a');
    await session.waitForText('flappy');
    await session.keys('l');
    await session.waitForText(`Logs ${b.ns('t')}/flappy [app] current run`);
    const screen = await session.waitFor(
      (text) => {
        const separators = text.match(SEPARATOR) ?? [];
        if (separators.length < 2) return false;
        const after = text.slice(text.lastIndexOf(separators.at(-1)!));
        return after.includes('starting flappy');
      },
      45_000,
      'two separators and the run after the second',
    );
    const lines = screen.split('\n').map((l) => l.trimEnd());
    const separatorRows = lines.flatMap((l, i) => (l.match(SEPARATOR) ? [i] : []));
    for (const row of separatorRows) {
      // Each run ends with its exit line before the separator; the next run starts right after it.
      expect(lines[row - 1]).toBe('fatal: lost the lease');
      if (row + 1 < lines.length && lines[row + 1] !== '' && !lines[row + 1]!.startsWith('↓'))
        expect(lines[row + 1]).toBe('starting flappy');
    }
    expect(screen).toMatch(/current run · (following|waiting for the next run|waiting: restart \d+ in )/);
    if (b.kubelet) {
      // Through the apiserver's log proxy: one follow stream per run, each ended by the kubelet at the exit.
      const follows = b.kubelet.requests.filter((r) =>
        new RegExp(`^GET /containerLogs/${b.ns('t')}/flappy/app\\?.*follow=true`).test(r),
      );
      expect(follows.length).toBeGreaterThanOrEqual(3);
    }
    // One footer: the log view's own.
    expect(screen).not.toContain('Enter detail');
    // Esc goes back to the table; q there quits with 0 and restores the terminal.
    await session.escape();
    await session.waitForText('NEXT RESTART');
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  }, 90_000);
});
