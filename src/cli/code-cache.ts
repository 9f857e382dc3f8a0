import { createHash, randomBytes } from 'node:crypto';
import {
  closeSync,
  fstatSync,
  lstatSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  renameSync,
  rmSync,
  type Stats,
  statSync,
  writeSync,
} from 'node:fs';
import { createRequire } from 'node:module';
import { homedir } from 'node:os';
import { basename, dirname, isAbsolute, join } from 'node:path';
import { Script } from 'node:vm';
import { packageVersion } from '../package-files.js';
import { drawsLiveView } from './draws-live-view.js';

// The live view runs the whole program as one CommonJS script (dist/crashtop.cjs) compiled with a V8 code cache
// kept in the user's cache folder: on the runs after the first, V8 neither parses the program nor compiles the
// functions start-up runs (most of Ink, React and the cluster client), which were a third of the CPU before the
// first frame. Node 20 caches compiled code for scripts only, not for ES modules, and has no module compile cache.
// The cache is an optimisation and nothing more: a folder that cannot be written, a file that cannot be read, is
// damaged or was made by another build, costs a normal start and never an error.

/**
 * Written this long after start, by a live view still running: it has drawn by then, so the cache holds what
 * drawing compiled. A run that ends sooner (an error, a usage line, a quick q) compiled too little, and a thin
 * cache would be kept for every later run of this build.
 */
const SAVE_AFTER_MS = 2000;
const DIGEST_BYTES = 32;
/**
 * Cache files a folder keeps, the newest: two installs used in turn (a global one and a project's) each keep
 * theirs, where one file for all had each run write over the other's; an upgrade leaves no more than these.
 */
const KEEP_CACHE_FILES = 3;

const sha256 = (bytes: Uint8Array) => createHash('sha256').update(bytes).digest();

/**
 * $XDG_CACHE_HOME/crashtop/code, or ~/.cache/crashtop/code (the XDG base directory spec ignores a relative path):
 * a folder of its own, made private, because the cache is read only from a folder no one else can write to and
 * crashtop/ itself may have been made group-writable by a umask of 002.
 */
export function codeCacheDir(env: NodeJS.ProcessEnv, home: () => string = homedir): string | undefined {
  const xdg = env.XDG_CACHE_HOME;
  if (xdg && isAbsolute(xdg)) return join(xdg, 'crashtop', 'code');
  try {
    const dir = home();
    return dir ? join(dir, '.cache', 'crashtop', 'code') : undefined;
  } catch {
    return undefined;
  }
}

/**
 * The cache for this script: one per crashtop version, Node version and script file. The file is known by its
 * path, size, modification time and inode, as Python knows a source by its .pyc (hashing its 2 MB was a fiftieth
 * of the start-up's CPU): a build or an install writes it anew, and V8 refuses a cache made for a script of
 * another length anyway.
 */
export const codeCacheFile = (dir: string, path: string, stats: Stats): string =>
  join(
    dir,
    `code-${packageVersion()}-node${process.versions.node}-${process.arch}-${sha256(
      Buffer.from(`${path}\0${stats.size}\0${stats.mtimeMs}\0${stats.ino}\0${stats.dev}`),
    )
      .toString('hex')
      .slice(0, 16)}.bin`,
  );

/**
 * Whether only this user can have written it. The cache is code that runs: on a shared bastion, a cache folder
 * that others can write to (a shared $XDG_CACHE_HOME, a group-writable home) must not be read.
 */
const privateToMe = (stats: Stats): boolean => mine(stats) && (stats.mode & 0o022) === 0;

const mine = (stats: Stats): boolean => process.getuid === undefined || stats.uid === process.getuid();

/** The nearest folder at or above `path` that exists: where mkdir would make the rest. */
function nearestExisting(path: string): Stats | undefined {
  for (let at = path; ; at = dirname(at)) {
    try {
      return statSync(at);
    } catch {
      if (dirname(at) === at) return undefined;
    }
  }
}

/**
 * The V8 data in `file`, or undefined if there is none, others could have written it, or it is not what was
 * written. V8 checks its version, flags and the script's length, but not the data itself: damaged data aborts
 * the process (measured on Node 20: a fatal error in the deserializer), so each file carries the SHA-256 of
 * its data.
 */
export function readCodeCache(file: string): Buffer | undefined {
  let bytes: Buffer;
  try {
    if (!privateToMe(statSync(dirname(file)))) return undefined;
    const fd = openSync(file, 'r');
    try {
      if (!privateToMe(fstatSync(fd))) return undefined;
      bytes = readFileSync(fd);
    } finally {
      closeSync(fd);
    }
  } catch {
    return undefined;
  }
  const data = bytes.subarray(DIGEST_BYTES);
  if (data.length === 0 || !sha256(data).equals(bytes.subarray(0, DIGEST_BYTES))) return undefined;
  return data;
}

/**
 * Writes `data` to `file` whole or not at all (renamed into place), then removes writes cut short and all but
 * the newest KEEP_CACHE_FILES cache files (earlier builds'), `file` among them. Nothing is written
 * into a folder someone else owns or could write to (a shared $XDG_CACHE_HOME on a bastion; a root shell with
 * the user's HOME, which would leave root-owned folders in it), and the temporary file is made new (O_EXCL), so
 * a link planted under its name cannot send the bytes to another file. Any failure is silent.
 */
export function writeCodeCache(file: string, data: Uint8Array): void {
  const folder = dirname(file);
  const temporary = join(folder, `.${randomBytes(8).toString('hex')}.tmp`);
  let made = false;
  try {
    const base = nearestExisting(folder);
    if (base === undefined || !mine(base)) return;
    mkdirSync(folder, { recursive: true, mode: 0o700 });
    const stats = lstatSync(folder);
    if (!stats.isDirectory() || !privateToMe(stats)) return;
    const fd = openSync(temporary, 'wx', 0o600);
    made = true;
    try {
      writeSync(fd, Buffer.concat([sha256(data), data]));
    } finally {
      closeSync(fd);
    }
    renameSync(temporary, file);
    made = false;
    const others: { path: string; mtimeMs: number }[] = [];
    for (const name of readdirSync(folder)) {
      const path = join(folder, name);
      if (/^\..*\.tmp$/.test(name)) rmSync(path, { force: true });
      else if (name !== basename(file) && /^code-.*\.bin$/.test(name)) {
        // Another crashtop may be pruning too: a file gone meanwhile is one less to remove.
        const stats = statSync(path, { throwIfNoEntry: false });
        if (stats) others.push({ path, mtimeMs: stats.mtimeMs });
      }
    }
    others.sort((a, b) => b.mtimeMs - a.mtimeMs);
    for (const { path } of others.slice(KEEP_CACHE_FILES - 1)) rmSync(path, { force: true });
  } catch {
    try {
      if (made) rmSync(temporary, { force: true });
    } catch {
      // The folder is gone: nothing to clean up.
    }
  }
}

interface CachedProgram {
  start(argv: readonly string[]): Promise<void>;
  /**
   * heap.ts's, from the script's own copy: the live view sets its heap flags through that copy, and only it knows
   * what to set them back to (a copy bundled into this launcher would set its own growth factor, 1).
   */
  withStartFlags<T>(work: () => T): T;
}

/** Runs `bundle` (dist/crashtop.cjs) with `argv`, compiled from the code cache when there is a usable one. */
export async function launchWithCodeCache(argv: readonly string[], bundle: string): Promise<void> {
  const fd = openSync(bundle, 'r');
  let source: Buffer;
  let stats: Stats;
  try {
    stats = fstatSync(fd);
    source = readFileSync(fd);
  } finally {
    closeSync(fd);
  }
  const dir = codeCacheDir(process.env);
  const file = dir === undefined ? undefined : codeCacheFile(dir, bundle, stats);
  const cachedData = file === undefined ? undefined : readCodeCache(file);
  // Node's own CommonJS wrapper, on the script's first line so that its line numbers stay as they are.
  const script = new Script(
    // The build keeps the script ASCII (scripts/bundle.js), which latin1 decodes as UTF-8 would, at copy speed.
    `(function (exports, require, module, __filename, __dirname) {${source.toString('latin1')}\n})`,
    { filename: bundle, cachedData },
  );
  const module = { exports: {} as CachedProgram };
  script.runInThisContext()(module.exports, createRequire(bundle), module, bundle, dirname(bundle));
  const live = drawsLiveView(process.stdout, process.stdin, process.env);
  if (live && file !== undefined && (cachedData === undefined || script.cachedDataRejected)) {
    // Only the live view writes it: what it compiles is what the cache is for. V8 refuses a cache made under
    // other flags and the live view has changed two heap flags by then, so it is made under the start's
    // defaults (heap.ts): heap flags given in NODE_OPTIONS cost a rewrite per run, never a wrong cache.
    const save = () =>
      writeCodeCache(
        file,
        module.exports.withStartFlags(() => script.createCachedData()),
      );
    setTimeout(save, SAVE_AFTER_MS).unref();
  }
  await module.exports.start(argv);
}
