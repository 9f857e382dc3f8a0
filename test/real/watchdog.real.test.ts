import { type ChildProcess, spawn } from 'node:child_process';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { createInterface } from 'node:readline';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { build } from 'esbuild';
import { afterAll, describe, expect, it } from 'vitest';
import { type TestenvInfo, testenvBinary } from './testenv.js';

// A test run killed with SIGKILL runs no teardown. Its kube-apiservers must not outlive it: each runs under a
// watchdog (watchdog.js) that stops it and removes its data folder when the test process is gone. Here a separate
// Node process (testenv.ts bundled with esbuild, since Node 20 cannot run TypeScript) starts a real server and is
// then killed with SIGKILL.

const here = dirname(fileURLToPath(import.meta.url));
let work: string | undefined;
let parent: ChildProcess | undefined;

afterAll(async () => {
  parent?.kill('SIGKILL');
  if (work) await rm(work, { recursive: true, force: true });
});

/** Running, and not a zombie waiting for a parent that will not reap it (pid 1 in a container may not). */
function alive(pid: number): boolean {
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2)[0] !== 'Z';
  } catch {
    return false;
  }
}

/** The kube-apiserver serving this port, whoever its parent is. */
function serverOn(port: number): number | undefined {
  for (const entry of readdirSync('/proc')) {
    if (!/^\d+$/.test(entry)) continue;
    try {
      const args = readFileSync(`/proc/${entry}/cmdline`, 'utf8').split('\0');
      if (args[0]?.endsWith('/kube-testenv') && args.includes(`--secure-port=${port}`)) return Number(entry);
    } catch {
      // ended while we looked
    }
  }
  return undefined;
}

async function waitUntil(done: () => boolean, timeoutMs: number, what: string): Promise<number> {
  const started = Date.now();
  while (!done()) {
    if (Date.now() - started > timeoutMs) throw new Error(`not ${what} after ${timeoutMs} ms`);
    await new Promise((resolve) => setTimeout(resolve, 100));
  }
  return Date.now() - started;
}

describe('a test process killed with SIGKILL', () => {
  it('leaves no kube-apiserver and no data folder behind', async () => {
    const binary = await testenvBinary();
    work = await mkdtemp(join(tmpdir(), 'crashtop-watchdog-'));
    const script = join(work, 'parent.mjs');
    await build({
      stdin: {
        contents: `import { Testenv } from './testenv.ts';
const env = await Testenv.create({ binary: process.argv[2] });
process.stdout.write(JSON.stringify(env.info()) + '\\n');
setInterval(() => {}, 60_000);`,
        resolveDir: here,
        loader: 'ts',
        sourcefile: 'parent.ts',
      },
      bundle: true,
      platform: 'node',
      format: 'esm',
      outfile: script,
      // testenv.ts finds watchdog.js next to itself.
      define: { 'import.meta.url': JSON.stringify(pathToFileURL(join(here, 'testenv.ts')).href) },
      logLevel: 'silent',
    });
    const started = spawn(process.execPath, [script, binary], { stdio: ['ignore', 'pipe', 'inherit'] });
    parent = started;
    const lines = createInterface({ input: started.stdout! })[Symbol.asyncIterator]();
    const first = await lines.next();
    expect(first.done, 'the parent printed its server').toBe(false);
    const info = JSON.parse(first.value as string) as TestenvInfo;
    const watchdog = info.pid;
    const server = serverOn(info.port);
    expect(server, 'the server process').toBeDefined();
    expect(existsSync(info.dir)).toBe(true);

    started.kill('SIGKILL');
    const gone = await waitUntil(() => !alive(server!), 30_000, 'the server gone');
    const cleaned = await waitUntil(() => !alive(watchdog) && !existsSync(info.dir), 10_000, 'cleaned up');
    console.log(
      `after SIGKILL of the test process: server gone in ${gone} ms, folder removed ${cleaned} ms later`,
    );
  }, 180_000);
});
