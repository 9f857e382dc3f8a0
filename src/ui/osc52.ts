// Copy to the user's clipboard through the terminal (OSC 52), which works over SSH because the bytes travel
// with the screen output to the terminal on the user's laptop. tmux only forwards it when wrapped in its DCS
// passthrough (with every ESC inside doubled), and GNU screen in a plain DCS.

export type Multiplexer = 'tmux' | 'screen' | 'none';

export function detectMultiplexer(env: NodeJS.ProcessEnv): Multiplexer {
  if (env.TMUX) return 'tmux';
  if (env.STY || env.TERM?.startsWith('screen')) return 'screen';
  return 'none';
}

export function osc52(text: string, multiplexer: Multiplexer = 'none'): string {
  const sequence = `\u001b]52;c;${Buffer.from(text, 'utf8').toString('base64')}\u0007`;
  switch (multiplexer) {
    case 'tmux':
      return `\u001bPtmux;${sequence.replaceAll('\u001b', '\u001b\u001b')}\u001b\\`;
    case 'screen':
      return `\u001bP${sequence}\u001b\\`;
    case 'none':
      return sequence;
  }
}
