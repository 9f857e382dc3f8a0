import { describe, expect, it } from 'vitest';
import { demoAt80x24, sessionPerTest } from '../helpers/demo-in-tmux.js';

// The prompts edit a line as readline does, in the built binary at 80×24: Ctrl-W drops the last word, Ctrl-U the
// whole line (both were ignored, so a wrong filter could only be undone one Backspace at a time).

const tmux = sessionPerTest();

describe('editing a prompt in tmux at 80×24', () => {
  it('Ctrl-W and Ctrl-U in the / filter and the : command', async () => {
    const session = await demoAt80x24(tmux);
    await session.keys('/', 'payments api');
    await session.waitForText('/payments api_', 15_000);
    await session.keys('C-w');
    await session.waitForText('/payments _');
    await session.keys('C-u');
    await session.waitForText(/^\/_ /m);
    await session.keys('checkout', 'Enter');
    const screen = await session.waitForText('filter: checkout');
    expect(screen).toMatch(/^› checkout-/m);

    await session.keys(':', 'ns pay');
    await session.waitForText(':ns pay_');
    await session.keys('C-w');
    await session.waitForText(/^:ns _ /m);
    await session.keys('C-u');
    await session.waitForText(/^:_ /m);
    await session.escape();
    await session.waitForText('filter: checkout');
  }, 60_000);
});
