import { describe, expect, it } from 'vitest';
import { detectMultiplexer, osc52 } from '../../src/ui/osc52.js';

describe('osc52', () => {
  const b64 = Buffer.from('kubectl -n shop get pod', 'utf8').toString('base64');
  it.each([
    ['none', `\u001b]52;c;${b64}\u0007`],
    ['tmux', `\u001bPtmux;\u001b\u001b]52;c;${b64}\u0007\u001b\\`],
    ['screen', `\u001bP\u001b]52;c;${b64}\u0007\u001b\\`],
  ] as const)('wraps for %s', (mux, expected) => {
    expect(osc52('kubectl -n shop get pod', mux)).toBe(expected);
  });

  it.each([
    [{ TMUX: '/tmp/tmux-1/default,1,0', TERM: 'screen-256color' }, 'tmux'],
    [{ STY: '1.pts-0', TERM: 'screen' }, 'screen'],
    [{ TERM: 'xterm-256color' }, 'none'],
  ] as const)('detects %o as %s', (env, expected) => {
    expect(detectMultiplexer(env)).toBe(expected);
  });
});
