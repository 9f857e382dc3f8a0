import { describe, expect, it } from 'vitest';
import { demoInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// Ctrl-Z in a real shell with job control: the view stops like any terminal program (normal screen, cooked
// mode, the shell's "Stopped"), and `fg` brings it back whole.

const demo = demoInTmux();

/** An interactive bash of this size in tmux, crashtop started from its prompt and its table drawn. */
async function viewInShell(width: number, height: number): Promise<TmuxSession> {
  const session = await TmuxSession.start(['bash', '--norc', '--noprofile', '-i'], {
    width,
    height,
    env: { PS1: 'prompt$ ' },
  });
  demo.session = session;
  await session.waitForText('prompt$');
  await session.keys('-l', `${process.execPath} ${BIN} --kubeconfig ${demo.backend.kubeconfigPath} -A`);
  await session.keys('Enter');
  await session.waitForText('CrashLoopBackOff');
  return session;
}

describe('Ctrl-Z', () => {
  it('stops the view, gives the shell the terminal, and `fg` redraws it', async () => {
    demo.session = await viewInShell(100, 30);
    expect(await demo.session.format('#{alternate_on}')).toBe('1');

    await demo.session.keys('C-z');
    await demo.session.waitForText(/Stopped/);
    expect(await demo.session.format('#{alternate_on}')).toBe('0');
    expect(await demo.session.format('#{cursor_flag}')).toBe('1');
    // The shell reads a cooked line again.
    await demo.session.keys('-l', 'echo still-here');
    await demo.session.keys('Enter');
    await demo.session.waitForText(/^still-here$/m);

    await demo.session.keys('-l', 'fg');
    await demo.session.keys('Enter');
    await demo.session.waitForText('CrashLoopBackOff');
    expect(await demo.session.format('#{alternate_on}')).toBe('1');
    // Keys work again: q quits, back at the prompt with status 0.
    await demo.session.keys('q');
    await demo.session.waitFor((screen) => /prompt\$$/.test(screen.trimEnd()), 10_000, 'the prompt after q');
    await demo.session.keys('-l', 'echo "exit=$?"');
    await demo.session.keys('Enter');
    const after = await demo.session.waitForText('exit=0');
    // No cell of a frame was written to the shell's screen while the view was stopped or coming back.
    expect(after).not.toMatch(/CrashLoopBackOff|app-error|oom-killed|NEXT RESTART/);
  }, 60_000);

  it('takes the size the window was given while stopped (no SIGWINCH reaches a stopped job)', async () => {
    demo.session = await viewInShell(80, 24);

    await demo.session.keys('C-z');
    await demo.session.waitForText(/Stopped/);
    await demo.session.tmux('resize-window', '-t', demo.session.name, '-x', '110', '-y', '30');
    await demo.session.keys('-l', 'fg');
    await demo.session.keys('Enter');
    // The footer on row 29 (the view leaves the last row blank) and lines wider than 80 columns: the frame
    // was laid out for 110×30.
    const screen = await demo.session.waitFor(
      (s) => {
        const lines = s.split('\n');
        return /q quit/.test(lines[28] ?? '') && lines.some((l) => l.trimEnd().length > 80);
      },
      10_000,
      'a 110×30 frame after fg',
    );
    expect(screen).toContain('CrashLoopBackOff');
  }, 60_000);
});
