import { EventEmitter } from 'node:events';
import { PassThrough, Writable } from 'node:stream';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { execArgv } from '../../src/model/kubectl.js';
import type { Pod } from '../../src/model/pod.js';
import { STATUS_REQUEST } from '../../src/ui/hooks/use-key-queue.js';
import { MESSAGE_MS } from '../../src/ui/hooks/use-message.js';
import { runTui } from '../../src/ui/run-tui.js';
import type { ChildLike, Spawn } from '../../src/ui/terminal/child.js';
import {
  CLEAR_SCREEN,
  ENTER_ALT_SCREEN,
  LEAVE_ALT_SCREEN,
  SHOW_CURSOR,
} from '../../src/ui/terminal/screen.js';
import { FakeSource, fixturePods, NOW } from './fake-source.js';
import { STATUS_READY } from './render-app.js';
import { ScreenEmulator } from './screen-emulator.js';

const wait = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

/** A terminal in memory: what runTui writes, and a keyboard the test types on. */
function fakeTty(columns = 100, rows = 30) {
  const written: string[] = [];
  /** For each status request: whether raw mode was on (no echo) when it was written. */
  const askedRaw: boolean[] = [];
  const stdout = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        written.push(chunk.toString());
        // As a terminal does: the status report's answer comes behind what was typed before it, echoed in
        // cooked mode.
        if (chunk.toString() === STATUS_REQUEST) {
          askedRaw.push(stdin.setRawMode.mock.lastCall?.[0] === true);
          stdin.write(STATUS_READY);
        }
        done();
      },
    }),
    { isTTY: true, columns, rows },
  ) as unknown as NodeJS.WriteStream;
  const stdin = Object.assign(new PassThrough(), {
    isTTY: true,
    setRawMode: vi.fn(),
    ref: () => {},
    unref: () => {},
  });
  stdin.setRawMode.mockReturnValue(stdin);
  const pause = vi.spyOn(stdin, 'pause');
  const stderr = Object.assign(new PassThrough(), { isTTY: false }) as unknown as NodeJS.WriteStream;
  return {
    stdout,
    stdin: stdin as unknown as NodeJS.ReadStream,
    stderr,
    setRawMode: stdin.setRawMode,
    pause,
    output: () => written.join(''),
    written,
    askedRaw,
    /**
     * Until crashtop, reading the terminal again after a child, asked for what was typed meanwhile: a key typed
     * before that (in the moment after the frame is drawn) counts as typed for the child.
     */
    backToUs: () => vi.waitFor(() => expect(askedRaw.length).toBeGreaterThan(0), settled),
    type: async (text: string) => {
      stdin.write(text);
      await wait(80);
    },
  };
}

const options = { ascii: false, color: false, demo: false, multiContext: false };
/** Waits on what the screen shows, generous enough for a loaded CI machine. */
const settled = { timeout: 5000, interval: 50 };

afterEach(() => {
  vi.restoreAllMocks();
});

describe('runTui', () => {
  it(':ctx NAME watches that context instead, closing the one it replaced; a refusal is one line', async () => {
    const tty = fakeTty(140, 30);
    const prod = new FakeSource([fixturePods()[3]!], { context: 'prod-eu' });
    const close = vi.spyOn(prod, 'close');
    const opened: string[] = [];
    const exit = runTui(
      new FakeSource(fixturePods()),
      {
        ...options,
        ...tty,
        contexts: ['kind-dev', 'prod-eu'],
        openContext: async ([name]) => {
          opened.push(name!);
          if (name !== 'prod-eu') throw new Error(`context "${name}" not found in the kubeconfig`);
          return prod;
        },
      },
      { patchConsole: false, stderr: tty.stderr, handleProcessEvents: false },
    );
    await wait(150);
    await tty.type(':');
    await tty.type('ctx nope');
    await tty.type('\r');
    await wait(100);
    const screen = () => {
      const emulator = new ScreenEmulator();
      emulator.apply(tty.output().replaceAll('\u001b[?2026h', '').replaceAll('\u001b[?2026l', ''));
      return emulator.text();
    };
    await vi.waitFor(() => expect(screen()).toContain('context "nope" not found in the kubeconfig'), settled);
    await tty.type(':');
    await tty.type('ctx pr');
    await tty.type('\t');
    await vi.waitFor(() => expect(screen()).toContain(':ctx prod-eu_'), settled);
    // The frame is written before the input handler of that render is subscribed (a passive effect).
    await wait(150);
    await tty.type('\r');
    await wait(200);
    expect(opened).toEqual(['nope', 'prod-eu']);
    await vi.waitFor(() => expect(screen()).toContain('context prod-eu'), settled);
    await vi.waitFor(() => expect(screen()).toContain('checkout-web'), settled);
    expect(screen()).not.toContain('payments-api');
    await tty.type('q');
    await expect(exit).resolves.toBe(0);
    expect(close).toHaveBeenCalledTimes(1);
  });

  it(':ctx NAME from two contexts says which it no longer watches, until Esc; :ctx A,B shows both again', async () => {
    const tty = fakeTty(140, 30);
    const pod = fixturePods()[0]!;
    const both = new FakeSource([], {
      watches: ['east', 'west'].map((context) => ({
        context,
        namespaces: [],
        state: 'live',
        since: NOW.getTime(),
      })),
    });
    both.setPods([
      { context: 'east', pod },
      { context: 'west', pod },
    ]);
    const west = new FakeSource([pod], { context: 'west' });
    const opened: (readonly string[])[] = [];
    const exit = runTui(
      both,
      {
        ...options,
        ...tty,
        multiContext: true,
        contexts: ['east', 'west'],
        openContext: async (names) => {
          opened.push(names);
          return west;
        },
      },
      { patchConsole: false, stderr: tty.stderr, handleProcessEvents: false },
    );
    const screen = () => {
      const emulator = new ScreenEmulator();
      emulator.apply(tty.output().replaceAll('\u001b[?2026h', '').replaceAll('\u001b[?2026l', ''));
      return emulator.text();
    };
    await vi.waitFor(() => expect(screen()).toContain('contexts east, west'), settled);
    await wait(150);
    await tty.type(':');
    await tty.type('ctx west');
    await tty.type('\r');
    const dropped =
      'now watching only context west; no longer watched: east (:ctx east,west watches both again)  (Esc dismisses)';
    await vi.waitFor(() => expect(screen()).toContain(dropped), settled);
    expect(opened).toEqual([['west']]);
    expect(screen()).toMatch(/^crashtop {2}· {2}context west {2}·/m);
    // Longer than a message lasts on its own: still said.
    await wait(MESSAGE_MS + 200);
    expect(screen()).toContain(dropped);
    await tty.type('\u001b');
    await vi.waitFor(() => expect(screen()).not.toContain('no longer watched'), settled);
    await wait(150);
    await tty.type(':');
    await tty.type('ctx east,west');
    await tty.type('\r');
    // The source crashtop started with, shown again: nothing opened.
    await vi.waitFor(() => expect(screen()).toContain('contexts east, west'), settled);
    expect(opened).toEqual([['west']]);
    expect(screen()).toContain('CONTEXT');
    await wait(150);
    await tty.type('q');
    await expect(exit).resolves.toBe(0);
  }, 20_000);

  it('draws on the alternate screen and gives the terminal back on q', async () => {
    const tty = fakeTty();
    const exit = runTui(
      new FakeSource(fixturePods()),
      { ...options, ...tty },
      { patchConsole: false, stderr: tty.stderr, handleProcessEvents: false },
    );
    await wait(150);
    expect(tty.output().startsWith(ENTER_ALT_SCREEN)).toBe(true);
    expect(tty.output()).toContain('CrashLoopBackOff');
    await tty.type('q');
    await expect(exit).resolves.toBe(0);
    expect(tty.output().endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
    expect(tty.setRawMode).toHaveBeenLastCalledWith(false);
    // The frame stays under the terminal height: Ink never took its clear-screen-and-scrollback path.
    expect(tty.output()).not.toContain('\u001b[3J');
  });

  it('turns echo off (raw mode) before it draws anything: keys typed while it starts never reach the screen', async () => {
    // In cooked mode the terminal echoes typed keys at the cursor, which sits at the end of the last line drawn:
    // a typed Enter there scrolled the alternate screen by a line, under a writer that sends only changed cells.
    const tty = fakeTty();
    const writtenWhenRaw: number[] = [];
    tty.setRawMode.mockImplementation((on: boolean) => {
      if (on) writtenWhenRaw.push(tty.written.length);
      return tty.stdin;
    });
    const exit = runTui(
      new FakeSource(fixturePods()),
      { ...options, ...tty },
      { patchConsole: false, stderr: tty.stderr, handleProcessEvents: false },
    );
    await wait(150);
    expect(tty.output()).toContain('CrashLoopBackOff');
    expect(writtenWhenRaw[0]).toBe(0);
    await tty.type('q');
    await expect(exit).resolves.toBe(0);
    expect(tty.setRawMode).toHaveBeenLastCalledWith(false);
  });

  it('ends with the error and exit code 1 when the first lists, still arriving at start, fail', async () => {
    const tty = fakeTty();
    let fail: (error: Error) => void = () => {};
    const listed = new Promise<void>((_, reject) => {
      fail = reject;
    });
    const exit = runTui(
      new FakeSource(fixturePods()),
      { ...options, ...tty, listed },
      { patchConsole: false, stderr: tty.stderr, handleProcessEvents: false },
    );
    await wait(100);
    expect(tty.output()).toContain('CrashLoopBackOff');
    let errorText = '';
    tty.stderr.on('data', (chunk: Buffer) => {
      errorText += chunk.toString();
    });
    fail(new Error('cannot reach https://10.0.0.1:6443 (context prod): connect ECONNREFUSED'));
    await expect(exit).resolves.toBe(1);
    expect(tty.output().endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
    expect(errorText).toBe(
      'crashtop: cannot reach https://10.0.0.1:6443 (context prod): connect ECONNREFUSED\n',
    );
  });

  it('restores the terminal and exits 143 on SIGTERM, 129 on SIGHUP', async () => {
    for (const [signal, code] of [
      ['SIGTERM', 143],
      ['SIGHUP', 129],
    ] as const) {
      const tty = fakeTty();
      const listenersBefore = process.listenerCount(signal);
      const forceExit = vi.fn();
      const exit = runTui(
        new FakeSource(fixturePods()),
        { ...options, ...tty },
        { patchConsole: false, stderr: tty.stderr, forceExit },
      );
      await wait(100);
      process.emit(signal, signal);
      await expect(exit).resolves.toBe(code);
      expect(tty.output().endsWith(SHOW_CURSOR + LEAVE_ALT_SCREEN)).toBe(true);
      expect(process.listenerCount(signal)).toBe(listenersBefore);
    }
  });

  it('restores the terminal, prints the error after it and exits 1 when rendering throws', async () => {
    const tty = fakeTty();
    const source = new FakeSource(fixturePods());
    const exit = runTui(
      source,
      { ...options, ...tty },
      { patchConsole: false, stderr: tty.stderr, handleProcessEvents: false },
    );
    await wait(100);
    let errorText = '';
    tty.stderr.on('data', (chunk: Buffer) => {
      errorText += chunk.toString();
    });
    const exploding = new Proxy({} as Pod, {
      get() {
        throw new Error('snapshot exploded');
      },
    });
    source.update({ pods: new Map([['kind-dev/shop/exploding', { context: 'kind-dev', pod: exploding }]]) });
    await expect(exit).resolves.toBe(1);
    expect(tty.output()).toContain(SHOW_CURSOR + LEAVE_ALT_SCREEN);
    expect(errorText).toContain('crashtop: snapshot exploded');
  });

  it('`s` pauses stdin, leaves the alternate screen, runs kubectl exec, and comes back to the same view', async () => {
    const tty = fakeTty();
    const events: string[] = [];
    let child = new EventEmitter();
    const spawn = vi.fn((command: string, args: readonly string[], spawnOptions: object) => {
      events.push(`spawn ${tty.pause.mock.calls.length > 0 ? 'after' : 'before'} pause`);
      // The normal screen cleared, what runs said on it: not what an earlier session left there.
      events.push(
        `alt screen left: ${tty.output().endsWith(`${SHOW_CURSOR}${LEAVE_ALT_SCREEN}${CLEAR_SCREEN}crashtop: kubectl exec: opening a shell in kind-dev: shop/orders-db-0 [postgres]\r\n`)}`,
      );
      expect(spawnOptions).toEqual({ stdio: ['inherit', 'inherit', 'pipe'] });
      child = new EventEmitter();
      void command;
      void args;
      return child as unknown as ChildLike;
    });
    const exit = runTui(
      new FakeSource(fixturePods()),
      { ...options, ...tty },
      {
        patchConsole: false,
        stderr: tty.stderr,
        handleProcessEvents: false,
        spawn: spawn as unknown as Spawn,
      },
    );
    await wait(150);
    // All pods, the last row: orders-db-0, whose container runs (exec needs a running container).
    await tty.type('a');
    await tty.type('G');
    await tty.type('s');
    const argv = execArgv({
      context: 'kind-dev',
      namespace: 'shop',
      pod: 'orders-db-0',
      container: 'postgres',
    });
    await vi.waitFor(() => expect(spawn).toHaveBeenCalled(), { timeout: 2000 });
    expect(spawn).toHaveBeenCalledWith(argv[0], argv.slice(1), { stdio: ['inherit', 'inherit', 'pipe'] });
    expect(events).toEqual(['spawn after pause', 'alt screen left: true']);
    const before = tty.written.length;
    child.emit('exit', 0, null);
    await wait(150);
    const after = tty.written.slice(before).join('');
    expect(after.startsWith(ENTER_ALT_SCREEN)).toBe(true);
    expect(after).toContain('payments-');
    expect(after).toMatch(/› .*orders-db-0/);
    expect(after).toContain('exited with 0');
    // The terminal was asked whether keys typed meanwhile wait in it, in raw mode: its answer is not echoed.
    await tty.backToUs();
    expect(tty.askedRaw).toEqual([true]);
    await tty.type('q');
    await expect(exit).resolves.toBe(0);
  });

  it('says so when kubectl is not installed', async () => {
    const tty = fakeTty();
    const spawn = vi.fn(() => {
      const child = new EventEmitter();
      setImmediate(() =>
        child.emit('error', Object.assign(new Error('spawn kubectl ENOENT'), { code: 'ENOENT' })),
      );
      return child as unknown as ChildLike;
    });
    const exit = runTui(
      new FakeSource(fixturePods()),
      { ...options, ...tty },
      {
        patchConsole: false,
        stderr: tty.stderr,
        handleProcessEvents: false,
        spawn: spawn as unknown as Spawn,
      },
    );
    await vi.waitFor(() => expect(tty.output()).toContain('payments-'), settled);
    await tty.type('a');
    await tty.type('G');
    await tty.type('s');
    await vi.waitFor(() => expect(tty.output()).toContain('kubectl not found in PATH'), settled);
    await tty.backToUs();
    await tty.type('q');
    await expect(exit).resolves.toBe(0);
  });

  it("without kubectl on PATH, hands the terminal to the source's exec the same way", async () => {
    const tty = fakeTty();
    const source = new FakeSource(fixturePods());
    const seen: string[] = [];
    source.exec = vi.fn(async (_ref, _container, terminal?: { stdout: NodeJS.WriteStream }) => {
      seen.push(
        `alt screen left: ${tty.output().endsWith(`${SHOW_CURSOR}${LEAVE_ALT_SCREEN}${CLEAR_SCREEN}crashtop: opening a shell in kind-dev: shop/orders-db-0 [postgres] through the API server\r\n`)}`,
      );
      seen.push(`own terminal: ${terminal?.stdout === tty.stdout}`);
      return 3;
    });
    const spawn = vi.fn();
    const exit = runTui(
      source,
      { ...options, ...tty },
      {
        patchConsole: false,
        stderr: tty.stderr,
        handleProcessEvents: false,
        spawn: spawn as unknown as Spawn,
        canRun: () => false,
      },
    );
    await vi.waitFor(() => expect(tty.output()).toContain('payments-'), settled);
    await tty.type('a');
    await tty.type('G');
    await tty.type('s');
    await vi.waitFor(() => expect(tty.output()).toContain('exited with 3'), settled);
    expect(spawn).not.toHaveBeenCalled();
    expect(seen).toEqual(['alt screen left: true', 'own terminal: true']);
    await tty.backToUs();
    await tty.type('q');
    await expect(exit).resolves.toBe(0);
  });
});
