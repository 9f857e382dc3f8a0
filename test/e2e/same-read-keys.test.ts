import { describe, expect, it } from 'vitest';
import { demoAt80x24, sessionPerTest } from '../helpers/demo-in-tmux.js';

// Keys written to the terminal in one go (a paste, a slow bastion link) reach the built binary in one read:
// the view that the first key opens must act on the keys after it. Each test waits for the screen that only
// the last key brings: a lost key times out there.

const tmux = sessionPerTest();

describe('keys in one write with the key that opens a view, in tmux at 80×24', () => {
  it('n j Enter: the namespace picker opens, moves to the first namespace and picks it', async () => {
    const session = await demoAt80x24(tmux);
    // The three bytes in one send-keys: one write to the pane.
    await session.keys('-H', '6e', '6a', '0d');
    const screen = await session.waitForText(/ns payments$/m, 10_000);
    expect(screen).not.toContain('(all watched namespaces)');
    expect(screen).toContain('NEXT RESTART');
  }, 60_000);

  it('l / then a word: the log view opens and its search reads the word', async () => {
    const session = await demoAt80x24(tmux);
    await session.keys('l/exit');
    await session.waitForText('/exit_   (Enter searches, Esc cancels)', 10_000);
  }, 60_000);
});
