import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { backendInTmux } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// The live view's first list is its promise that the cluster can be read: when it fails (nothing listens, or the
// API server refuses the list), the built binary in a terminal must end with the one line that says why and exit 1,
// the terminal restored, and never with Node's dump of an uncaught error (a page of the minified bundle).

const run = backendInTmux({});
let dir: string;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crashtop-first-list-'));
});
afterAll(async () => {
  await run.backend.cluster.deny(undefined);
  await rm(dir, { recursive: true, force: true });
});

/** A port nothing listens on: taken from the OS, then closed. */
async function closedPort(): Promise<number> {
  const server = createServer();
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const address = server.address();
  await new Promise((resolve) => server.close(resolve));
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** crashtop in an 80×24 pane, its stderr in a file; resolves to the exit status and what it wrote there. */
async function liveViewEnds(args: string[]): Promise<{ status: string; stderr: string; screen: string }> {
  const errFile = join(dir, `stderr-${Date.now()}`);
  const script = '"$@" 2>"$ERR"; echo "exit=$?"; stty -a | grep -o " -\\?icanon"; sleep 30';
  run.session = await TmuxSession.start(['sh', '-c', script, 'sh', process.execPath, BIN, ...args], {
    width: 80,
    height: 24,
    env: { ERR: errFile },
  });
  const screen = await run.session.waitForText(/exit=\d+/, 30_000);
  return { status: /exit=(\d+)/.exec(screen)?.[1] ?? '', stderr: await readFile(errFile, 'utf8'), screen };
}

describe('the first list fails', () => {
  it('nothing listens: one line that says the cluster cannot be reached, exit 1, terminal restored', async () => {
    const kubeconfig = join(dir, 'dead.kubeconfig');
    const port = await closedPort();
    await writeFile(
      kubeconfig,
      (await readFile(run.backend.kubeconfigPath, 'utf8')).replace(
        /server: https:\/\/[^\s]+/,
        `server: https://127.0.0.1:${port}`,
      ),
    );
    const ended = await liveViewEnds(['--kubeconfig', kubeconfig, '-A']);
    expect(ended.status).toBe('1');
    expect(ended.stderr.trim().split('\n'), ended.stderr).toHaveLength(1);
    expect(ended.stderr).toMatch(/cannot reach https:\/\/127\.0\.0\.1:\d+ .*ECONNREFUSED/);
    expect(ended.screen).toMatch(/ icanon/);
  });

  it('the API server refuses to list pods: one line that says so, exit 1', async () => {
    const b = run.backend;
    const kubeconfig = await b.limitedKubeconfig(['shop'], ['pods']);
    const ended = await liveViewEnds([
      '--kubeconfig',
      kubeconfig,
      '--context',
      b.context,
      '-n',
      b.ns('shop'),
    ]);
    expect(ended.status).toBe('1');
    expect(ended.stderr.trim().split('\n'), ended.stderr).toHaveLength(1);
    expect(ended.stderr).toMatch(/may not list pods in namespace .*403/);
  });
});
