import { createHash } from 'node:crypto';
import {
  chmodSync,
  chownSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readdirSync,
  readFileSync,
  rmSync,
  statSync,
  symlinkSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Script } from 'node:vm';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { codeCacheDir, codeCacheFile, readCodeCache, writeCodeCache } from '../../src/cli/code-cache.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// The live view's V8 code cache (src/cli/code-cache.ts): a speed-up only. A cache that is missing, damaged,
// made for another script or unwritable must cost a normal start, never an error.

const dir = mkdtempSync(join(tmpdir(), 'crashtop-code-cache-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

let session: TmuxSession | undefined;
afterEach(async () => {
  await session?.kill();
  session = undefined;
});

/** V8 data for a small script, as the cache would hold for it. */
function v8DataFor(source: string): Buffer {
  const script = new Script(source);
  script.runInThisContext();
  return script.createCachedData();
}

/** A file as writeCodeCache writes it: the SHA-256 of the data, then the data. */
const withDigest = (data: Buffer) => Buffer.concat([createHash('sha256').update(data).digest(), data]);

describe('the cache folder', () => {
  it.each([
    [
      '$XDG_CACHE_HOME when absolute',
      { XDG_CACHE_HOME: '/var/cache/me' },
      '/home/me',
      '/var/cache/me/crashtop/code',
    ],
    ['~/.cache without it', {}, '/home/me', '/home/me/.cache/crashtop/code'],
    [
      '~/.cache for a relative $XDG_CACHE_HOME',
      { XDG_CACHE_HOME: 'cache' },
      '/home/me',
      '/home/me/.cache/crashtop/code',
    ],
    ['none without a home', {}, '', undefined],
  ])('%s', (_, env, home, expected) => {
    expect(codeCacheDir(env, () => home)).toBe(expected);
  });

  it('is none when the home folder cannot be found', () => {
    expect(
      codeCacheDir({}, () => {
        throw new Error('no home');
      }),
    ).toBeUndefined();
  });
});

describe("a script's cache file name", () => {
  it('stays while the script file stays, and changes when the file is written again or is another', () => {
    const script = join(dir, 'script.cjs');
    writeFileSync(script, 'one();');
    const name = () => codeCacheFile(dir, script, statSync(script));
    const first = name();
    expect(first).toMatch(/^.*[/]code-\d+\.\d+\.\d+-node[\d.]+-\w+-[0-9a-f]{16}\.bin$/);
    expect(name()).toBe(first);
    // The same length, written again a second later: a build or an install replacing it.
    writeFileSync(script, 'two();');
    utimesSync(script, new Date(), new Date(Date.now() + 1000));
    expect(name()).not.toBe(first);
    const other = join(dir, 'other.cjs');
    writeFileSync(other, 'two();');
    expect(codeCacheFile(dir, other, statSync(other))).not.toBe(name());
  });
});

describe('a cache file', () => {
  const data = v8DataFor('function answer() { return 42; } answer();');

  it('reads back what was written, into a folder it makes', () => {
    const file = join(dir, 'made', 'deeper', 'code.bin');
    writeCodeCache(file, data);
    expect(readCodeCache(file)).toEqual(data);
    expect(statSync(join(dir, 'made')).mode & 0o777).toBe(0o700);
    expect(statSync(file).mode & 0o777).toBe(0o600);
    expect(readdirSync(join(dir, 'made', 'deeper'))).toEqual(['code.bin']);
  });

  it.each([
    ['missing', () => undefined],
    ['empty', () => Buffer.alloc(0)],
    ['only a digest', () => withDigest(data).subarray(0, 32)],
    ['cut short', () => withDigest(data).subarray(0, 32 + data.length - 100)],
    [
      'with one byte of the data changed',
      () => {
        const bytes = withDigest(data);
        bytes[32 + Math.floor(data.length / 2)]! ^= 0x01;
        return bytes;
      },
    ],
    ['without a digest', () => data],
  ])('is not used when %s', (name, contents) => {
    const file = join(dir, `bad-${name.replaceAll(' ', '-')}.bin`);
    const bytes = contents();
    if (bytes !== undefined) writeFileSync(file, bytes);
    expect(readCodeCache(file)).toBeUndefined();
  });

  it('is not used when others could have written it (a cache is code that runs)', () => {
    const folder = join(dir, 'shared');
    mkdirSync(folder, { mode: 0o700 });
    const file = join(folder, 'code.bin');
    writeCodeCache(file, data);
    expect(readCodeCache(file)).toEqual(data);
    chmodSync(file, 0o620);
    expect(readCodeCache(file)).toBeUndefined();
    chmodSync(file, 0o600);
    chmodSync(folder, 0o777);
    expect(readCodeCache(file)).toBeUndefined();
    chmodSync(folder, 0o700);
    expect(readCodeCache(file)).toEqual(data);
    if (process.getuid?.() === 0) {
      // Only root can give a file away; as another user this case is the same as the others' own files.
      chownSync(file, 4242, 4242);
      expect(readCodeCache(file)).toBeUndefined();
    }
  });

  it("keeps the newest few builds' files, removes cut-short writes, and keeps what is not its own", () => {
    const folder = join(dir, 'upgrades');
    const at = Date.now() / 1000;
    // Written in turn, an hour apart (the global install, the project's, …).
    const write = (name: string, hoursAgo: number) => {
      writeCodeCache(join(folder, name), data);
      utimesSync(join(folder, name), at - hoursAgo * 3600, at - hoursAgo * 3600);
    };
    write('code-0.1.0-global.bin', 5);
    write('code-0.2.0-project.bin', 4);
    writeFileSync(join(folder, '.0123abcd.tmp'), 'cut short');
    writeFileSync(join(folder, 'notes.txt'), 'mine');
    // Two versions used in turn keep both files: neither run rewrites the other's.
    expect(readCodeCache(join(folder, 'code-0.1.0-global.bin'))).toEqual(data);
    expect(readCodeCache(join(folder, 'code-0.2.0-project.bin'))).toEqual(data);
    write('code-0.3.0-upgrade.bin', 3);
    expect(readdirSync(folder).sort()).toEqual([
      'code-0.1.0-global.bin',
      'code-0.2.0-project.bin',
      'code-0.3.0-upgrade.bin',
      'notes.txt',
    ]);
    // Bounded: a fourth build's file goes in and the oldest goes, whatever the names.
    writeCodeCache(join(folder, 'code-0.0.9-fourth.bin'), data);
    expect(readdirSync(folder).sort()).toEqual([
      'code-0.0.9-fourth.bin',
      'code-0.2.0-project.bin',
      'code-0.3.0-upgrade.bin',
      'notes.txt',
    ]);
  });

  it.each([
    ['others can write to', (folder: string) => chmodSync(folder, 0o777)],
    [
      'is a link (to a private folder of mine)',
      (folder: string) => {
        const target = join(dir, 'link-target');
        mkdirSync(target, { mode: 0o700 });
        rmSync(folder, { recursive: true });
        symlinkSync(target, folder);
      },
    ],
  ])('writes nothing into a folder that %s', (_, spoil) => {
    const folder = join(dir, `spoilt-${readdirSync(dir).length}`);
    mkdirSync(folder, { mode: 0o700 });
    spoil(folder);
    writeCodeCache(join(folder, 'code.bin'), data);
    expect(readdirSync(folder)).toEqual([]);
  });

  it.runIf(process.getuid?.() === 0)(
    "makes no folder under one another user owns (root with that user's HOME)",
    () => {
      const home = join(dir, 'someone-else');
      mkdirSync(home, { mode: 0o755 });
      chownSync(home, 4242, 4242);
      writeCodeCache(join(home, '.cache', 'crashtop', 'code', 'code.bin'), data);
      expect(readdirSync(home)).toEqual([]);
    },
  );

  it('is silently not written where no folder can be made', () => {
    const blocker = join(dir, 'a-file');
    writeFileSync(blocker, 'not a folder');
    expect(() => writeCodeCache(join(blocker, 'crashtop', 'code.bin'), data)).not.toThrow();
    expect(readFileSync(blocker, 'utf8')).toBe('not a folder');
  });

  it('is silently not written where the name is a folder, and leaves no temporary file', () => {
    const file = join(dir, 'taken');
    writeCodeCache(join(file, 'x'), data);
    writeCodeCache(file, data);
    expect(readdirSync(dir).filter((name) => name.includes('.tmp'))).toEqual([]);
  });
});

describe('the live view with the code cache', () => {
  const cacheHome = join(dir, 'xdg');
  const folder = join(cacheHome, 'crashtop', 'code');
  const cacheFiles = () => (existsSync(folder) ? readdirSync(folder) : []);

  /** `crashtop --demo` until its table is on screen and `ms` have passed, then q; its exit code. */
  async function runDemo(env: Record<string, string>, ms: number, nodeFlags: string[] = []): Promise<number> {
    session = await TmuxSession.start([process.execPath, ...nodeFlags, BIN, '--demo'], { env });
    await session.waitForText(/NAME\b.*\bNEXT RESTART/, 30_000);
    await new Promise((resolve) => setTimeout(resolve, ms));
    await session.keys('q');
    const code = await session.waitForExit();
    await session.kill();
    session = undefined;
    return code;
  }

  it('writes the cache on the first run, uses it on the next, and replaces a damaged or foreign one', async () => {
    const env = { XDG_CACHE_HOME: cacheHome };
    expect(await runDemo(env, 2500)).toBe(0);
    const [name] = cacheFiles();
    expect(cacheFiles()).toEqual([
      expect.stringMatching(/^code-\d+\.\d+\.\d+-node[\d.]+-\w+-[0-9a-f]{16}\.bin$/),
    ]);
    const file = join(folder, name!);
    const written = readFileSync(file);
    expect(readCodeCache(file)).toBeDefined();

    // Used: V8 took it (a cache it refused would be written again).
    const { mtimeMs } = statSync(file);
    expect(await runDemo(env, 2500)).toBe(0);
    expect(statSync(file).mtimeMs).toBe(mtimeMs);
    expect(readFileSync(file).equals(written)).toBe(true);

    // Damaged (V8 itself would abort on it): started without it, then written anew.
    const damaged = Buffer.from(written);
    damaged[damaged.length >> 1]! ^= 0xff;
    writeFileSync(file, damaged);
    expect(await runDemo(env, 2500)).toBe(0);
    expect(readCodeCache(file)).toBeDefined();

    // Another script's (as after an upgrade that kept the name): refused by V8, then written anew.
    writeFileSync(file, withDigest(v8DataFor('function other() {} other();')));
    expect(await runDemo(env, 2500)).toBe(0);
    expect(readCodeCache(file)?.length).toBeGreaterThan(100_000);
    expect(cacheFiles()).toEqual([name]);
  }, 120_000);

  // The launcher writes the cache under V8's default heap flags and then sets the live view's again (heap.ts):
  // the young generation's growth factor must be the one the live view last set, not another copy's idea of it.
  it("leaves the live view's heap flags as the view set them once the cache is written", async () => {
    const log = join(dir, 'flags.log');
    const preload = join(dir, 'log-flags.cjs');
    writeFileSync(
      preload,
      `const v8 = require('node:v8');
const { appendFileSync } = require('node:fs');
const set = v8.setFlagsFromString;
v8.setFlagsFromString = (flags) => { appendFileSync(${JSON.stringify(log)}, flags + '\\n'); set(flags); };`,
    );
    const env = { XDG_CACHE_HOME: join(dir, 'xdg-flags') };
    // Semi-spaces held at 1 MB: the view wants them grown (a factor over 1) whenever it sets the factor.
    expect(await runDemo(env, 2500, ['--max-semi-space-size=1', '--require', preload])).toBe(0);
    const flags = readFileSync(log, 'utf8').trim().split('\n');
    const factors = (from: number, to = flags.length) =>
      flags.slice(from, to).flatMap((f) => /^--semi-space-growth-factor=(\d+)$/.exec(f)?.[1] ?? []);
    // withStartFlags: the defaults, the cache made, the view's flags again.
    const start = flags.indexOf('--heap-growing-percent=0');
    expect(start).toBeGreaterThan(0);
    expect(flags[start + 1]).toBe('--semi-space-growth-factor=2');
    expect(flags[start + 2]).toBe('--no-memory-reducer-single-gc');
    expect(flags.slice(start + 3)).toContain('--memory-reducer-single-gc');
    const viewSet = factors(0, start).at(-1);
    expect(Number(viewSet)).toBeGreaterThan(1);
    expect(factors(start + 2).at(-1)).toBe(viewSet);
  }, 60_000);

  it('runs as usual when the cache folder cannot be made', async () => {
    const blocker = join(dir, 'blocker');
    writeFileSync(blocker, '');
    expect(await runDemo({ XDG_CACHE_HOME: blocker }, 2500)).toBe(0);
    expect(readFileSync(blocker, 'utf8')).toBe('');
  }, 60_000);

  it('is neither read nor written by --version', async () => {
    const home = join(dir, 'version-only');
    const { code, stdout } = await runCli(['--version'], { XDG_CACHE_HOME: home });
    expect(code).toBe(0);
    expect(stdout.trim()).toMatch(/^\d+\.\d+\.\d+$/);
    expect(existsSync(home)).toBe(false);
  });
});
