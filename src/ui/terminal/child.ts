import { spawn as nodeSpawn, type SpawnOptions } from 'node:child_process';
import { accessSync, constants as fs } from 'node:fs';
import { constants } from 'node:os';
import { delimiter, join } from 'node:path';
import {
  CLEAR_SCREEN,
  ENTER_ALT_SCREEN,
  HIDE_CURSOR,
  LEAVE_ALT_SCREEN,
  SHOW_CURSOR,
  type Tty,
  writeSafely,
} from './screen.js';

// Hand the terminal to an interactive child (kubectl exec / debug) and take it back, following the pattern
// that never hung in reference/ink-notes.md §4: the caller has already made every useInput inactive (so Ink
// left raw mode); stdin.pause() stops libuv reading fd 0, otherwise the parent steals or blocks on the
// child's keystrokes; the child's output stays on the normal screen; the UI then redraws on a fresh
// alternate screen. The spawn is async so the watches and the clock keep running meanwhile.

/**
 * The normal screen as the child gets it: cleared, with `title` (what runs, on which pod) on its first line. It
 * would otherwise show what the last child left there (another pod's shell session) for as long as this one says
 * nothing: kubectl debug is silent while the copy's container starts, for seconds to minutes.
 */
function handOverScreen(title: string): string {
  return `${SHOW_CURSOR}${LEAVE_ALT_SCREEN}${CLEAR_SCREEN}${title}\r\n`;
}

export type Spawn = (command: string, args: readonly string[], options: SpawnOptions) => ChildLike;

export interface ChildLike {
  once(event: 'exit', listener: (code: number | null, signal: NodeJS.Signals | null) => void): unknown;
  once(event: 'error', listener: (error: Error) => void): unknown;
  /** Piped (not inherited), so its last lines can be shown after the view comes back. */
  stderr?: NodeJS.ReadableStream | null;
}

export interface ChildResult {
  /** Exit code, or 128+n when the child died of signal n; undefined when it could not start. */
  code?: number;
  /** One line for the status bar when it could not start (e.g. kubectl not in PATH). */
  error?: string;
  /** The last lines the child wrote to stderr (they were also shown live, on the normal screen). */
  stderrTail?: string[];
}

const STDERR_TAIL_LINES = 5;
const STDERR_TAIL_BYTES = 8192;

/** Its last bytes may still be in the pipe at exit; a grandchild could hold it open, so not for long. */
function drained(stream: NodeJS.ReadableStream | null | undefined): Promise<void> {
  if (!stream || (stream as { closed?: boolean }).closed) return Promise.resolve();
  return new Promise((resolve) => {
    const timer = setTimeout(resolve, 200);
    stream.once('close', () => {
      clearTimeout(timer);
      resolve();
    });
  });
}

/** Passes the child's stderr through to the terminal and keeps its last bytes. */
function teeStderr(stream: NodeJS.ReadableStream | null | undefined, terminal: NodeJS.WriteStream) {
  let tail = '';
  stream?.on('data', (chunk: Buffer | string) => {
    writeSafely(terminal, chunk.toString());
    tail = (tail + chunk.toString()).slice(-STDERR_TAIL_BYTES);
  });
  return () =>
    tail
      .split(/\r?\n/)
      .map((line) => line.trimEnd())
      .filter((line) => line !== '')
      .slice(-STDERR_TAIL_LINES);
}

/** `title`: one line, already safe to print, said above the child's output (handOverScreen). */
export async function runInteractive(
  tty: Tty,
  argv: readonly string[],
  title: string,
  spawn: Spawn = nodeSpawn as Spawn,
): Promise<ChildResult> {
  const [command, ...args] = argv;
  if (!command) return { error: 'nothing to run' };
  tty.stdin.pause();
  writeSafely(tty.stdout, handOverScreen(title));
  try {
    return await new Promise<ChildResult>((resolve) => {
      // kubectl decides on raw mode and a TTY from stdin/stdout; its stderr (errors, warnings) is teed.
      const child = spawn(command, args, { stdio: ['inherit', 'inherit', 'pipe'] });
      const stderrTail = teeStderr(child.stderr, tty.stdout);
      child.once('error', (error: NodeJS.ErrnoException) =>
        resolve({
          error: error.code === 'ENOENT' ? `${command} not found in PATH` : `${command}: ${error.message}`,
        }),
      );
      child.once('exit', async (code, signal) => {
        await drained(child.stderr);
        const tail = stderrTail();
        resolve({
          code: code ?? (signal ? 128 + signalNumber(signal) : undefined),
          ...(tail.length > 0 ? { stderrTail: tail } : {}),
        });
      });
    });
  } finally {
    // No stdin.resume() here: flowing mode with no listener would drop keys; Ink starts reading again
    // when the caller makes its useInput hooks active.
    writeSafely(tty.stdout, ENTER_ALT_SCREEN + HIDE_CURSOR);
  }
}

/**
 * The same hand-over for a session run in this process (an exec over the API server's WebSocket, when
 * kubectl is missing): the session gets the terminal and must leave stdin paused and cooked when done.
 */
export async function runAttached(
  tty: Tty,
  session: (tty: Tty) => Promise<number>,
  title: string,
): Promise<ChildResult> {
  writeSafely(tty.stdout, handOverScreen(title));
  try {
    return { code: await session(tty) };
  } catch (error) {
    return { error: error instanceof Error ? error.message : String(error) };
  } finally {
    writeSafely(tty.stdout, ENTER_ALT_SCREEN + HIDE_CURSOR);
  }
}

/** Whether `command` is an executable file in one of PATH's directories (what spawn would find). */
export function onPath(command: string, path = process.env.PATH ?? ''): boolean {
  return path
    .split(delimiter)
    .filter((dir) => dir !== '')
    .some((dir) => {
      try {
        accessSync(join(dir, command), fs.X_OK);
        return true;
      } catch {
        return false;
      }
    });
}

function signalNumber(signal: NodeJS.Signals): number {
  return constants.signals[signal] ?? 0;
}
