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

/** A source whose kubeconfig is a KUBECONFIG list of two paths this deep: the copied command's widest word. */
function deepListSource(depth: number): FakeSource {
  const deep = [
    `/home/oncall/.kube/${'clusters/'.repeat(depth)}prod-eu-west-1.yaml`,
    `/home/oncall/.kube/${'clusters/'.repeat(depth)}prod-us-east-1.yaml`,
  ];
  return new (class extends FakeSource {
    readonly kubeconfig = deep;
  })(fixturePods());
}

/** The command `y` sent to the clipboard: the payload of its OSC 52 sequence. */
function copiedCommand(write: { mock: { calls: unknown[][] } }): string {
  const sent = write.mock.calls
    .map((call) => String(call[0]))
    .find((text) => text.startsWith('\u001b]52;c;'));
  return Buffer.from(/^\u001b\]52;c;([^\u0007]*)\u0007$/.exec(sent ?? '')?.[1] ?? '', 'base64').toString(
    'utf8',
  );
}

describe('`y` at 80×24: the command shown takes the room it needs', () => {
  it('a command of a dozen lines is shown whole (the table gives up rows), and pastes back as copied', async () => {
    const app = await renderApp(deepListSource(40), { columns: 80, rows: 24 });
    await app.press('y');
    await settle();
    const frame = app.frame().split('\n');
    expect(frame.length).toBeLessThanOrEqual(23);
    const said = frame.findIndex((line) => line.includes("sent to the terminal's clipboard (OSC 52):"));
    expect(said).toBeGreaterThan(0);
    const lines = frame.slice(said + 1);
    // More than the third of the screen a message's lines used to be held to.
    expect(lines.length).toBeGreaterThan(8);
    expect(app.frame()).not.toContain('more lines of the command');
    expect(pasted(lines)).toEqual(pasted([copiedCommand(app.actions.write)]));
    // The table keeps its title and a row.
    expect(frame.some((line) => line.trimStart().startsWith('NAME'))).toBe(true);
  });

  it('a command taller than the screen: its first lines, then how many are left out', async () => {
    const whole = await commandShown(deepListSource(120), 200);
    expect(whole.length).toBeGreaterThan(23);
    const frame = await commandShownIn(deepListSource(120), 24);
    expect(frame.length).toBeLessThanOrEqual(23);
    const said = frame.findIndex((line) => line.includes("sent to the terminal's clipboard (OSC 52):"));
    const shown = frame.slice(said + 1, -1).map((line) => line.trimEnd());
    expect(shown.length).toBeGreaterThan(8);
    expect(shown).toEqual(whole.slice(0, shown.length));
    const left = /^ {2}… (\d+) more lines of the command…$/.exec(frame.at(-1)!.trimEnd());
    expect(left, frame.at(-1)).not.toBeNull();
    expect(Number(left![1])).toBe(whole.length - shown.length);
    expect(frame.some((line) => line.trimStart().startsWith('NAME'))).toBe(true);
  });
});

/** The frame after `y` on an 80-column terminal `rows` high, line by line. */
async function commandShownIn(source: FakeSource, rows: number): Promise<string[]> {
  const app = await renderApp(source, { columns: 80, rows });
  await app.press('y');
  await settle();
  const frame = app.frame().split('\n');
  app.unmount();
  return frame;
}

/** The lines of the command `y` shows on an 80-column terminal `rows` high. */
async function commandShown(source: FakeSource, rows: number): Promise<string[]> {
  const frame = await commandShownIn(source, rows);
  const said = frame.findIndex((line) => line.includes("sent to the terminal's clipboard (OSC 52):"));
  return frame
    .slice(said + 1)
    .map((line) => line.trimEnd())
    .filter((line) => line !== '');
}
