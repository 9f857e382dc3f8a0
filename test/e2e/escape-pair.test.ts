import { describe, expect, it } from 'vitest';
import { demoAt80x24, sessionPerTest } from '../helpers/demo-in-tmux.js';

// Esc and the next key written to the terminal in one go, as tmux forwards them when they are pressed within
// its escape-time or a laggy SSH link delivers them: the built binary acts on Esc, then on the key.

const tmux = sessionPerTest();

describe('Esc and a key in one write, in tmux at 80×24', () => {
  it('Esc Enter in the filter prompt cancels the filter and opens the selected pod; Esc j goes back and moves', async () => {
    const session = await demoAt80x24(tmux);
    await session.keys('/', 'zzz');
    await session.waitForText('/zzz');
    // Both bytes in one send-keys: one write to the pane.
    await session.keys('-H', '1b', '0d');
    let screen = await session.waitForText(/^Cause \(/m);
    expect(screen).not.toContain('filter: zzz');
    // The demo's pods restart and reorder; the selection is a pod, so compare the pod, not the row.
    const opened = /^\S+\/\S+-(\w{5})$/m.exec(screen)?.[1];
    expect(opened).toBeDefined();
    await session.keys('-H', '1b', '6a');
    // Esc and j are two keys, drawn one frame each: wait for the frame after j (a lost j times out here).
    const selectedRow = (text: string) => text.split('\n').find((l) => l.startsWith('›')) ?? '';
    screen = await session.waitFor(
      (text) => text.includes('NEXT RESTART') && !selectedRow(text).includes(opened ?? ''),
      10_000,
      'the table with the selection moved off the opened pod',
    );
    const selected = selectedRow(screen);
    expect(selected).toMatch(/CrashLoopBackOff|Create|Image/);
    expect(selected).not.toContain(opened);
  });
});
