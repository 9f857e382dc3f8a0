import { describe, expect, it } from 'vitest';
import { osc52, osc52WrapFor } from '../../src/ui/osc52.js';

describe('osc52', () => {
  const b64 = Buffer.from('kubectl -n shop get pod', 'utf8').toString('base64');
  it.each([
    ['none', `\u001b]52;c;${b64}\u0007`],
    ['tmux-passthrough', `\u001bPtmux;\u001b\u001b]52;c;${b64}\u0007\u001b\\`],
    ['screen', `\u001bP\u001b]52;c;${b64}\u0007\u001b\\`],
  ] as const)('wraps for %s', (wrap, expected) => {
    expect(osc52('kubectl -n shop get pod', wrap)).toBe(expected);
  });

  it.each([
    // tmux stores and forwards the plain sequence with set-clipboard on; its passthrough needs allow-passthrough.
    [{ TMUX: '/tmp/tmux-1/default,1,0', TERM: 'screen-256color' }, 'none'],
    [
      { TMUX: '/tmp/tmux-1/default,1,0', TERM: 'tmux-256color', CRASHTOP_OSC52: 'passthrough' },
      'tmux-passthrough',
    ],
    [{ STY: '1.pts-0', TERM: 'screen' }, 'screen'],
    [{ TERM: 'xterm-256color' }, 'none'],
  ] as const)('sends %o as %s', (env, expected) => {
    expect(osc52WrapFor(env)).toBe(expected);
  });
});
