import { execFile } from 'node:child_process';
import { copyFile, mkdtemp, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { packageVersion } from '../../src/package-files.js';
import { runCli } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// `npm run build:bin` makes one executable; it must run where there is no Node and no checkout: it is copied
// alone into an empty folder and run there with an empty environment (no PATH to a node, no NODE_* variables).

const run = promisify(execFile);
const BUILD_SEA = fileURLToPath(new URL('../../scripts/build-sea.js', import.meta.url));

let dir: string;
let exe: string;
let session: TmuxSession | undefined;

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crashtop-sea-'));
  const built = join(dir, 'built');
  await run(process.execPath, [BUILD_SEA, '--out', built], { timeout: 180_000 });
  const bastion = await mkdtemp(join(dir, 'bastion-'));
  exe = join(bastion, 'crashtop');
  await copyFile(built, exe);
  await run('chmod', ['755', exe]);
}, 240_000);
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

const BARE_ENV = { PATH: '/nonexistent', HOME: '/nonexistent' };

async function runBare(args: string[]): Promise<{ code: number; stdout: string; stderr: string }> {
  try {
    const { stdout, stderr } = await run(exe, args, {
      env: BARE_ENV,
      cwd: join(exe, '..'),
      timeout: 30_000,
      maxBuffer: 16 * 1024 * 1024,
    });
    return { code: 0, stdout, stderr };
  } catch (error) {
    const failed = error as { code?: number; stdout?: string; stderr?: string };
    return { code: failed.code ?? 1, stdout: failed.stdout ?? '', stderr: failed.stderr ?? '' };
  }
}

interface ReportedPod {
  namespace: string;
  name: string;
  status: string;
  cause: { id: string };
}

const causes = (json: string) =>
  (JSON.parse(json) as { pods: ReportedPod[] }).pods
    .map((pod) => `${pod.namespace}/${pod.name} ${pod.status} ${pod.cause.id}`)
    .sort();

describe('the single executable, alone in a folder with an empty environment', () => {
  it('prints the package version', async () => {
    const result = await runBare(['--version']);
    expect(result).toEqual({ code: 0, stdout: `${packageVersion()}\n`, stderr: '' });
  });

  it('explains the demo cluster as the npm package does', async () => {
    const [bare, npm] = await Promise.all([
      runBare(['explain', '--demo', '-o', 'json']),
      runCli(['explain', '--demo', '-o', 'json']),
    ]);
    expect(bare.stderr).toBe('');
    expect(bare.code).toBe(0);
    expect(causes(bare.stdout).length).toBeGreaterThanOrEqual(10);
    expect(causes(bare.stdout)).toEqual(causes(npm.stdout));
  });

  it('prints a usage error as one line with exit code 2', async () => {
    const result = await runBare(['--frobnicate']);
    expect(result.code).toBe(2);
    expect(result.stderr).toMatch(/^crashtop: unknown option '--frobnicate'.*\n$/);
  });

  it('draws the live view in a terminal', async () => {
    session = await TmuxSession.start([exe, '--demo'], { width: 120, height: 40 });
    const screen = await session.waitForText(/CrashLoopBackOff.*\d+s/);
    expect(screen).toContain('crashtop (demo)');
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  });
});
