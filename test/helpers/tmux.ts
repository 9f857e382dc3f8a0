import { execFile } from 'node:child_process';
import { rm } from 'node:fs/promises';
import { promisify } from 'node:util';

const run = promisify(execFile);

/**
 * A real terminal for end-to-end tests: a detached tmux server of its own (socket per session), the
 * program started by argv (tmux execs several arguments directly, no shell), keys sent with send-keys
 * and the screen read back with capture-pane.
 */
export class TmuxSession {
  private constructor(
    private readonly socket: string,
    readonly name: string,
  ) {}

  static async start(
    argv: readonly string[],
    options: { width?: number; height?: number; env?: Record<string, string> } = {},
  ): Promise<TmuxSession> {
    const socket = `crashtop-e2e-${process.pid}-${Math.random().toString(36).slice(2, 8)}`;
    const session = new TmuxSession(socket, 'e2e');
    const envArgs = Object.entries({ TERM: 'xterm-256color', ...options.env }).flatMap(([k, v]) => [
      '-e',
      `${k}=${v}`,
    ]);
    await run('tmux', [
      '-L',
      socket,
      '-f',
      '/dev/null',
      'new-session',
      '-d',
      '-s',
      session.name,
      '-x',
      String(options.width ?? 120),
      '-y',
      String(options.height ?? 40),
      ...envArgs,
      ...argv,
    ]);
    await session.tmux('set-option', '-t', session.name, 'remain-on-exit', 'on');
    return session;
  }

  async tmux(...args: string[]): Promise<string> {
    const { stdout } = await run('tmux', ['-L', this.socket, ...args]);
    return stdout;
  }

  /** The visible screen as plain text (no escape sequences), one string. */
  capture(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-t', this.name);
  }

  /** The screen with escape sequences kept (`-e`), to check what styling reached the terminal. */
  captureWithEscapes(): Promise<string> {
    return this.tmux('capture-pane', '-p', '-e', '-t', this.name);
  }

  async keys(...keys: string[]): Promise<void> {
    await this.tmux('send-keys', '-t', this.name, ...keys);
  }

  /**
   * Esc on its own, with a moment after it: a key sent at once would reach the program in the same read
   * (crashtop takes that as Esc and the key, key-input.ts, but `[` or `O` would start a terminal sequence).
   */
  async escape(): Promise<void> {
    await this.keys('Escape');
    await new Promise((resolve) => setTimeout(resolve, 150));
  }

  /** A tmux format of the pane, e.g. `#{alternate_on}`, `#{cursor_flag}`, `#{pane_dead_status}`. */
  async format(format: string): Promise<string> {
    return (await this.tmux('display-message', '-p', '-t', this.name, format)).trim();
  }

  async waitFor(
    test: (screen: string) => boolean,
    timeoutMs = 30_000,
    what = 'the expected screen',
  ): Promise<string> {
    const deadline = Date.now() + timeoutMs;
    let screen = '';
    while (Date.now() < deadline) {
      screen = await this.capture();
      if (test(screen)) return screen;
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`timed out waiting for ${what}; screen was:\n${screen}`);
  }

  async waitForText(text: string | RegExp, timeoutMs?: number): Promise<string> {
    return this.waitFor(
      (screen) => (typeof text === 'string' ? screen.includes(text) : text.test(screen)),
      timeoutMs,
      String(text),
    );
  }

  async waitForExit(timeoutMs = 10_000): Promise<number> {
    const deadline = Date.now() + timeoutMs;
    while (Date.now() < deadline) {
      if ((await this.format('#{pane_dead}')) === '1')
        return Number(await this.format('#{pane_dead_status}'));
      await new Promise((resolve) => setTimeout(resolve, 100));
    }
    throw new Error(`the program did not exit within ${timeoutMs} ms; screen was:\n${await this.capture()}`);
  }

  async kill(): Promise<void> {
    const path = await this.format('#{socket_path}').catch(() => undefined);
    await run('tmux', ['-L', this.socket, 'kill-server']).catch(() => undefined);
    // tmux leaves the socket file behind when its server is killed.
    if (path) await rm(path, { force: true });
  }
}

/** The screen's words joined across its wrapped lines (each line trimmed, runs of spaces made one). */
export function screenWords(screen: string): string {
  return screen
    .split('\n')
    .map((l) => l.trim())
    .join(' ')
    .replace(/ +/g, ' ');
}
