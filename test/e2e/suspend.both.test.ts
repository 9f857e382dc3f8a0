import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, startBackend } from '../helpers/backend.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// Ctrl-Z in a real shell with job control: the view stops like any terminal program (normal screen, cooked
// mode, the shell's "Stopped"), and `fg` brings it back whole.

let b: Backend;
let session: TmuxSession | undefined;

beforeAll(async () => {
  b = await startBackend({ speed: 0 });
});
afterAll(async () => {
  await b.close();
});
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

describe('Ctrl-Z', () => {
  it('stops the view, gives the shell the terminal, and `fg` redraws it', async () => {
    session = await TmuxSession.start(['bash', '--norc', '--noprofile', '-i'], {
      width: 100,
      height: 30,
      env: { PS1: 'prompt$ ' },
    });
    await session.waitForText('prompt$');
    await session.keys('-l', `${process.execPath} ${BIN} --kubeconfig ${b.kubeconfigPath} -A`);
    await session.keys('Enter');
    await session.waitForText('CrashLoopBackOff');
    expect(await session.format('#{alternate_on}')).toBe('1');

    await session.keys('C-z');
    await session.waitForText(/Stopped/);
    expect(await session.format('#{alternate_on}')).toBe('0');
    expect(await session.format('#{cursor_flag}')).toBe('1');
    // The shell reads a cooked line again.
    await session.keys('-l', 'echo still-here');
    await session.keys('Enter');
    await session.waitForText(/^still-here$/m);

    await session.keys('-l', 'fg');
    await session.keys('Enter');
    await session.waitForText('CrashLoopBackOff');
    expect(await session.format('#{alternate_on}')).toBe('1');
    // Keys work again: q quits, back at the prompt with status 0.
    await session.keys('q');
    await session.waitFor((screen) => /prompt\$$/.test(screen.trimEnd()), 10_000, 'the prompt after q');
    await session.keys('-l', 'echo "exit=$?"');
    await session.keys('Enter');
    const after = await session.waitForText('exit=0');
    // No cell of a frame was written to the shell's screen while the view was stopped or coming back.
    expect(after).not.toMatch(/CrashLoopBackOff|app-error|oom-killed|NEXT RESTART/);
  }, 60_000);
});
