import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendInTmux, demoAt80x24, sessionPerTest, withPathInTmux } from '../helpers/demo-in-tmux.js';
import { standInTools } from '../helpers/standin.js';

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

  it('a g: the list narrows to the unhealthy pods and g selects the first of them', async () => {
    const session = await demoAt80x24(tmux);
    /** The table's pod lines: below its column header, as long as lines start with the selection's column. */
    const podLines = (screen: string) => {
      const lines = screen.split('\n');
      const rest = lines.slice(lines.findIndex((l) => /^ +(NAMESPACE +)?NAME/.test(l)) + 1);
      const end = rest.findIndex((l) => !/^[› ] \S/.test(l));
      return end < 0 ? rest : rest.slice(0, end);
    };
    // All pods, by name (an order that holds while the demo's pods restart), the last one selected.
    await session.keys('a');
    await session.waitForText('all pods');
    await session.keys('N');
    await session.waitForText('sort: name');
    await session.keys('G');
    await session.waitFor(
      (s) => podLines(s).at(-1)?.startsWith('›') === true,
      10_000,
      'the last row selected',
    );
    await session.keys('ag');
    await session.waitFor(
      (s) => s.includes('unhealthy only') && podLines(s)[0]?.startsWith('›') === true,
      10_000,
      'the first unhealthy pod selected',
    );
  }, 60_000);

  it('l / then a word: the log view opens and its search reads the word', async () => {
    const session = await demoAt80x24(tmux);
    await session.keys('l/exit');
    await session.waitForText('/exit_   (Enter searches, Esc cancels)', 10_000);
  }, 60_000);
});

// `x` asks before kubectl debug creates a pod: keys in the same write as `x` (a paste of `xy`) were typed before
// the question was on screen and must not answer it. A stand-in kubectl records every run.
describe('x pasted with its answer, in tmux', () => {
  const run = backendInTmux({});
  let dir: string;

  beforeAll(() => {
    dir = mkdtempSync(join(tmpdir(), 'crashtop-same-read-x-'));
  });
  afterAll(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('`xy` in one write leaves the question open and runs no kubectl; a `y` typed after it runs kubectl debug', async () => {
    const runs = join(dir, 'runs');
    const bin = standInTools(join(dir, 'bin'), ['kubectl'], `echo "$*" >> '${runs}'\n`);
    const session = await withPathInTmux(run.backend, `${bin}:${process.env.PATH ?? ''}`);
    run.session = session;
    await session.waitForText('CrashLoopBackOff');
    await session.keys('xy');
    await session.waitForText('Create it? y/N');
    // Longer than the question ignores keys for, and than any frame takes: the `y` had its chance to act.
    await new Promise((resolve) => setTimeout(resolve, 1500));
    expect(await session.capture()).toContain('Create it? y/N');
    expect(existsSync(runs)).toBe(false);

    await session.keys('y');
    await session.waitForText(/debug copy [\s\S]*exited with/);
    expect(readFileSync(runs, 'utf8')).toMatch(/ debug /);
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  }, 60_000);
});
