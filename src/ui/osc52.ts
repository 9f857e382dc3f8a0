// Copy to the user's clipboard through the terminal (OSC 52), which works over SSH because the bytes travel
// with the screen output to the terminal on the user's laptop. Inside tmux the plain sequence is right: with
// `set-clipboard on` tmux stores it as a paste buffer and forwards it to the outer terminal, while its DCS
// passthrough is dropped unless `allow-passthrough` is on (tmux ≥ 3.3), so passthrough is used only when asked
// (CRASHTOP_OSC52=passthrough). GNU screen forwards nothing else, so it gets its plain DCS. Nothing reports
// back whether a terminal accepted the sequence: callers say it was sent, never that it was copied.

export type Osc52Wrap = 'none' | 'tmux-passthrough' | 'screen';

export function osc52WrapFor(env: NodeJS.ProcessEnv): Osc52Wrap {
  if (env.TMUX) return env.CRASHTOP_OSC52 === 'passthrough' ? 'tmux-passthrough' : 'none';
  if (env.STY || env.TERM?.startsWith('screen')) return 'screen';
  return 'none';
}

export function osc52(text: string, wrap: Osc52Wrap = 'none'): string {
  const sequence = `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
  switch (wrap) {
    case 'tmux-passthrough':
      return `\u001bPtmux;${sequence.replaceAll('\u001b', '\u001b\u001b')}\u001b\\`;
    case 'screen':
      return `\u001bP${sequence}\u001b\\`;
    case 'none':
      return sequence;
  }
}
