import { describe, it } from 'vitest';
import { demoAt80x24, sessionPerTest } from '../helpers/demo-in-tmux.js';

// Keys held over SSH arrive in one read. Esc pressed three times from the help over the log view goes back three
// levels in the built binary at 80×24; the log view took its Esc itself, so the two Esc read with the help's were
// lost and the view stayed on the log.

const tmux = sessionPerTest();

describe('a burst of Esc in tmux at 80×24', () => {
  it('help over the log view, then Esc Esc Esc in one write: back on the table', async () => {
    const session = await demoAt80x24(tmux);
    await session.keys('Enter');
    await session.waitForText(/^Cause \(/m);
    await session.keys('l');
    await session.waitForText(/^Logs \S+/m);
    await session.keys('?');
    await session.waitForText('crashtop keys');
    // The three bytes in one send-keys: one write to the pane.
    await session.keys('-H', '1b', '1b', '1b');
    await session.waitForText(/NEXT RESTART.*CAUSE/, 10_000);
  }, 60_000);
});
