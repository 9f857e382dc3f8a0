import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// `-l` that does not parse is bad input, like a bad flag: one line on stderr and exit 2, said before the live
// view takes the screen. Left to the API server, its 400 came after the alternate screen was entered and ended
// the view as a runtime failure (exit 1). Everything the binary writes to the terminal is recorded (tmux
// pipe-pane, started before the binary is), so the test sees whether it ever entered the alternate screen.

const run = backendInTmux({});
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crashtop-selector-'));
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

const ENTER_ALT_SCREEN = '\u001b[?1049h';

describe('an invalid -l in the live view', () => {
  it.each([
    [
      'app in (a',
      /^crashtop: -l app in \(a is not a valid label selector \('app in \(a' has no closing '\)'\): use kubectl's syntax, e\.g\. app=web,tier!=db/,
    ],
    ['app=(', /^crashtop: -l app=\( is not a valid label selector \(.+\): use kubectl's syntax/],
  ])('%j: one line on stderr, exit 2, the alternate screen never entered', async (selector, said) => {
    const errFile = join(dir, `stderr-${Date.now()}`);
    const outFile = join(dir, `terminal-${Date.now()}`);
    // The binary waits for a line on stdin, so the pane's output is recorded from its first byte.
    const script = 'read go; "$@" 2>"$ERR"; echo "exit=$?"; sleep 30';
    const kubeconfig = run.backend.kubeconfigPath;
    run.session = await TmuxSession.start(
      ['sh', '-c', script, 'sh', process.execPath, BIN, '--kubeconfig', kubeconfig, '-A', '-l', selector],
      { width: 80, height: 24, env: { ERR: errFile } },
    );
    await run.session.tmux('pipe-pane', '-O', '-t', run.session.name, `cat >> '${outFile}'`);
    await run.session.keys('Enter');
    const screen = await run.session.waitForText(/exit=\d+/, 30_000);
    expect(/exit=(\d+)/.exec(screen)?.[1]).toBe('2');
    const stderr = await readFile(errFile, 'utf8');
    expect(stderr.trim().split('\n'), stderr).toHaveLength(1);
    expect(stderr).toMatch(said);
    const written = await readFile(outFile, 'utf8');
    expect(written).toContain('exit=2');
    expect(written).not.toContain(ENTER_ALT_SCREEN);
  });
});
