import { execFileSync } from 'node:child_process';
import { describe, expect, it } from 'vitest';
import { FakeSource, fixturePods } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// A command on screen is selected by hand when the clipboard (OSC 52) does not reach the terminal: the lines as
// drawn, indents and all, pasted into a shell, must run the very command crashtop copied. At 80 columns a
// KUBECONFIG list of two long paths is one shell word wider than the line.

const files = [
  `/home/oncall/.kube/${'clusters/'.repeat(3)}prod-eu-west-1.yaml`,
  `/home/oncall/.kube/${'clusters/'.repeat(3)}prod-us-east-1.yaml`,
];

class ListedSource extends FakeSource {
  readonly kubeconfig = files;
}

/** The words a POSIX shell runs from these lines, with `env` and `kubectl` standing in to print them. */
function pasted(lines: string[]): string[] {
  const shown = execFileSync(
    'sh',
    [
      '-c',
      `env() { printf '[%s]' env "$@"; }; kubectl() { printf '[%s]' kubectl "$@"; }\n${lines.join('\n')}`,
    ],
    { encoding: 'utf8', env: { PATH: process.env.PATH } },
  );
  return [...shown.matchAll(/\[([^\]]*)\]/g)].map((m) => m[1]!);
}

describe('a command wider than the screen', () => {
  it('`y` at 80 columns: the lines shown paste back as the command copied', async () => {
    const app = await renderApp(new ListedSource(fixturePods()), { columns: 80 });
    await app.press('y');
    await settle();
    const frame = app.frame().split('\n');
    const said = frame.findIndex((line) => line.includes("sent to the terminal's clipboard (OSC 52):"));
    expect(said).toBeGreaterThan(0);
    const lines = frame.slice(said + 1).filter((line) => line.trim() !== '');
    expect(pasted(lines).slice(0, 4)).toEqual([
      'env',
      `KUBECONFIG=${files.join(':')}`,
      'kubectl',
      '--context',
    ]);
  });

  it('the detail page at 80 columns: every command pastes back whole', async () => {
    const app = await renderApp(new ListedSource(fixturePods()), { columns: 80, rows: 60 });
    await app.press('\r');
    await settle();
    const frame = app.frame().split('\n');
    const first = frame.findIndex((line) => line.startsWith('  $ '));
    expect(first).toBeGreaterThan(0);
    // The commands run from the first `$` to the blank line after the Fix; `$ ` is the prompt, not typed.
    const end = frame.findIndex((line, i) => i > first && line.trim() === '');
    const lines = frame.slice(first, end).map((line) => line.replace(/^ {2}\$ /, '    '));
    const words = pasted(lines);
    expect(words.filter((word) => word === 'env').length).toBeGreaterThan(0);
    for (const [i, word] of words.entries())
      if (word === 'env') expect(words[i + 1]).toBe(`KUBECONFIG=${files.join(':')}`);
  });
});
