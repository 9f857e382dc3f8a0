import { execFileSync } from 'node:child_process';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { osc52 } from '../../src/ui/osc52.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { renderApp, settle } from './render-app.js';

// Which cluster the commands crashtop shows, copies and runs reach.
//
// A hand-merged kubeconfig can name a context with an escape sequence in it. The commands crashtop shows used
// to go through the sanitiser, which dropped the ESC: the screen was safe, but the line shown (and selected by
// hand) named `prod[31m`, a context that does not exist. Shown and copied, the name is now ANSI-C quoted, which
// bash reads back as the real name; the commands crashtop runs itself (s, x) get the name as it is.

const name = 'prod\u001b[31m';
const quoted = "$'prod\\x1b[31m'";

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

/** The `--context` words bash reads from these lines, `kubectl` standing in to print its arguments. */
function contextsPasted(lines: string[]): string[] {
  const shown = execFileSync(
    'bash',
    ['-c', `kubectl() { [ "$1" = --context ] && printf '%s\\0' "$2"; }\n${lines.join('\n')}`],
    { env: { PATH: process.env.PATH, LC_ALL: 'C' } },
  );
  return shown.toString('utf8').split('\u0000').slice(0, -1);
}

describe('a context name with an escape sequence', () => {
  it('`y`: the command shown is the one copied, without a raw ESC, and pastes back to the real name', async () => {
    const app = await renderApp(new FakeSource(fixturePods(), { context: name }), { columns: 200 });
    await app.press('y');
    await settle();
    const frame = app.frame();
    expect(frame).not.toContain('\u001b');
    const lines = frame.split('\n');
    const said = lines.findIndex((line) => line.includes("sent to the terminal's clipboard (OSC 52):"));
    const command = lines[said + 1]!.trim();
    expect(command).toContain(`--context ${quoted} `);
    expect(app.actions.write).toHaveBeenCalledWith(osc52(command, 'none'));
    expect(contextsPasted([command])).toEqual([name]);
  });

  it('the detail page: every fix command names the real context when pasted', async () => {
    const app = await renderApp(new FakeSource(fixturePods(), { context: name }), { columns: 200, rows: 60 });
    await app.press('\r');
    await settle();
    const commands = app
      .frame()
      .split('\n')
      .filter((line) => line.startsWith('  $ '))
      .map((line) => line.slice(4));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).toContain(`--context ${quoted} `);
    expect(contextsPasted(commands)).toEqual(commands.map(() => name));
  });

  it('outside commands too it is shown quoted, never with the ESC dropped: the header and the `x` question', async () => {
    const app = await renderApp(new FakeSource(fixturePods(), { context: name }), { columns: 200 });
    expect(app.frame().split('\n')[0]).toContain(`context ${quoted}  `);
    await app.press('x');
    expect(app.frame()).toContain(`in context ${quoted}, namespace shop;`);
    expect(app.frame()).not.toContain('\u001b');
  });

  it('two contexts told apart by a control or format character read apart in the header and CONTEXT', async () => {
    const twins = ['prod', 'prod\u200b', name];
    const source = new FakeSource(fixturePods(), {
      watches: twins.map((context) => ({ context, namespaces: [], state: 'live', since: NOW.getTime() })),
    });
    source.setPods(twins.map((context) => ({ context, pod: fixturePods()[0]! })));
    const app = await renderApp(source, { columns: 200, multiContext: true });
    const frame = app.frame();
    expect(frame.split('\n')[0]).toContain(`contexts prod, $'prod\\xe2\\x80\\x8b', ${quoted}  `);
    const cells = frame
      .split('\n')
      .filter((line) => line.includes('payments'))
      .map((line) => line.slice(2).split(/ {2,}/)[0]);
    expect(cells.sort()).toEqual(['prod', "$'prod\\xe2\\x80\\x8b'", quoted].sort());
    expect(frame).not.toContain('\u001b');
  });

  it('`s`: kubectl is run with the name itself', async () => {
    const app = await renderApp(new FakeSource(fixturePods(), { context: name }));
    await app.press('a', 'G', 's');
    await settle();
    const [argv, title] = app.actions.runInteractive.mock.calls[0] as [string[], string];
    expect(argv.slice(0, 3)).toEqual(['kubectl', '--context', name]);
    expect(title).not.toContain('\u001b');
  });
});

// In a pod without a kubeconfig crashtop reads the service account, and client-node calls that context
// `inClusterContext`: kubectl in the same pod knows no such context (it finds the service account by itself).
class InClusterSource extends FakeSource {
  readonly inCluster = true;
}

describe("the pod's service account (in-cluster config)", () => {
  it('`y` and the detail page: no --context in any command', async () => {
    const source = new InClusterSource(fixturePods(), { context: 'inClusterContext' });
    const app = await renderApp(source, { columns: 200, rows: 60 });
    await app.press('y');
    await settle();
    const lines = app.frame().split('\n');
    const copied = lines[lines.findIndex((line) => line.includes('(OSC 52):')) + 1]!.trim();
    expect(copied).toMatch(/^kubectl (?!--context)\S/);
    expect(app.actions.write).toHaveBeenCalledWith(osc52(copied, 'none'));
    await app.press('\r');
    await settle();
    const commands = app
      .frame()
      .split('\n')
      .filter((line) => line.startsWith('  $ '));
    expect(commands.length).toBeGreaterThan(0);
    for (const command of commands) expect(command).not.toMatch(/--context|--kubeconfig|inClusterContext/);
  });

  it("the header and the `x` question name the cluster as the commands reach it, not by client-node's name", async () => {
    const app = await renderApp(new InClusterSource(fixturePods(), { context: 'inClusterContext' }), {
      columns: 200,
    });
    expect(app.frame().split('\n')[0]).toContain('context in-cluster (service account)  ');
    await app.press('x');
    expect(app.frame()).toContain('in context in-cluster (service account), namespace shop;');
    expect(app.frame()).not.toContain('inClusterContext');
  });

  it('`s` runs kubectl exec without a context', async () => {
    const app = await renderApp(new InClusterSource(fixturePods(), { context: 'inClusterContext' }));
    await app.press('a', 'G', 's');
    await settle();
    const [argv] = app.actions.runInteractive.mock.calls[0] as [string[]];
    expect(argv.slice(0, 3)).toEqual(['kubectl', 'exec', '-it']);
  });
});
