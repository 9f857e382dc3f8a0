import { render } from 'ink';
import type { ClusterSource } from '../kube/source.js';
import type { BackoffCurve } from '../model/backoff.js';
import { createClock } from './clock.js';
import { sameContexts } from './command-line.js';
import { App } from './components/App.js';
import { firstLine } from './hooks/use-async.js';
import { ClockContext } from './hooks/use-clock.js';
import type { Message } from './hooks/use-pod-actions.js';
import type { LogLimits } from './log-limits.js';
import { osc52WrapFor } from './osc52.js';
import { createCellDiffWriter } from './terminal/cell-diff.js';
import { type ChildResult, onPath, runAttached, runInteractive, type Spawn } from './terminal/child.js';
import { layoutReady } from './terminal/layout-ready.js';
import {
  CLEAR_SCREEN,
  ENTER_ALT_SCREEN,
  HIDE_CURSOR,
  restoreTerminal,
  type Tty,
  writeSafely,
} from './terminal/screen.js';
import { createTheme, ThemeContext } from './theme.js';

export interface TuiOptions {
  ascii: boolean;
  color: boolean;
  demo: boolean;
  multiContext: boolean;
  curve?: BackoffCurve;
  logLimits?: LogLimits;
  /** The kubeconfig's contexts (`:ctx` completion). */
  contexts?: readonly string[];
  /** `:ctx a,b`: a source watching these contexts instead, its first lists in (rejects with a one-line Error). */
  openContext?: (names: readonly string[]) => Promise<ClusterSource>;
  /**
   * The source's first lists, when the view starts before they are in (startClusterSource): a rejection
   * (the cluster is unreachable or refuses) ends the view with exit code 1 and the error's one line.
   */
  listed?: Promise<unknown>;
  stdin?: NodeJS.ReadStream;
  stdout?: NodeJS.WriteStream;
}

/** For tests and benchmarks: the child process runner and where errors are printed. */
export interface TuiInternals {
  spawn?: Spawn;
  /** Whether a command is on PATH (default: look in PATH). */
  canRun?: (command: string) => boolean;
  stderr?: NodeJS.WriteStream;
  /** Install process-wide signal and error handlers. Default true. */
  handleProcessEvents?: boolean;
  /** Draw console.* output above the frame instead of through it. Default true (off under vitest). */
  patchConsole?: boolean;
  /** Called when a signal arrived but something still keeps the process alive. Default process.exit. */
  forceExit?: (code: number) => void;
}

const SIGNAL_EXIT_CODES = { SIGINT: 130, SIGTERM: 143, SIGHUP: 129 } as const;
/** A Ctrl-C typed into the child's shell reaches us too (same foreground group): ignore it this long after. */
const SIGINT_GRACE_MS = 1000;
/** If something else (a watch socket) keeps the process alive after a signal, exit anyway. */
const FORCED_EXIT_MS = 2000;

/**
 * The live view. Resolves with the exit code once the user quits (q, Ctrl-C: 0), a signal arrives
 * (128+n) or something throws (1, the error printed after the terminal is restored). The terminal is
 * restored on every one of these paths (DESIGN.md §7); `kill -9` is the one case nothing can restore.
 */
export async function runTui(
  source: ClusterSource,
  options: TuiOptions,
  internals: TuiInternals = {},
): Promise<number> {
  await layoutReady;
  const stdout = options.stdout ?? process.stdout;
  const stdin = options.stdin ?? process.stdin;
  const stderr = internals.stderr ?? process.stderr;
  const tty = { stdin, stdout };
  const handleProcessEvents = internals.handleProcessEvents ?? true;

  let finished = false;
  let childRunning = false;
  let childEndedAt = 0;
  let resolveExit: (code: number) => void = () => {};
  const exited = new Promise<number>((resolve) => {
    resolveExit = resolve;
  });

  const finish = (code: number, error?: unknown) => {
    if (finished) return;
    finished = true;
    try {
      instance.unmount();
    } catch {
      // Unmounting a tree that failed to render can throw again; the terminal is restored below regardless.
    }
    restoreTerminal(tty);
    if (error !== undefined) writeSafely(stderr, `crashtop: ${firstLine(error)}\n`);
    resolveExit(code);
  };

  const onSignal = (signal: keyof typeof SIGNAL_EXIT_CODES) => () => {
    if (signal === 'SIGINT' && (childRunning || Date.now() - childEndedAt < SIGINT_GRACE_MS)) return;
    finish(SIGNAL_EXIT_CODES[signal]);
    const forceExit = internals.forceExit ?? process.exit;
    setTimeout(() => forceExit(SIGNAL_EXIT_CODES[signal]), FORCED_EXIT_MS).unref();
  };
  const onError = (error: unknown) => finish(1, error);
  const handlers = (Object.keys(SIGNAL_EXIT_CODES) as (keyof typeof SIGNAL_EXIT_CODES)[]).map(
    (signal) => [signal, onSignal(signal)] as const,
  );
  if (handleProcessEvents) {
    for (const [signal, handler] of handlers) process.on(signal, handler);
    process.on('uncaughtException', onError);
    process.on('unhandledRejection', onError);
  }

  const clock = createClock();
  const theme = createTheme({ color: options.color, ascii: options.ascii });
  const screen = createCellDiffWriter(stdout);
  const onResize = () => {
    // A resize may reflow or keep stale cells: start from a blank screen and a full frame.
    writeSafely(stdout, CLEAR_SCREEN);
    screen.invalidate();
  };
  stdout.on('resize', onResize);
  const handOver = async (run: () => Promise<ChildResult>) => {
    childRunning = true;
    try {
      return await run();
    } finally {
      screen.invalidate();
      childRunning = false;
      childEndedAt = Date.now();
    }
  };
  const actions = {
    // Keys are handled during a React commit (hooks/use-key-queue.ts): unmounting from inside it would let
    // Ink write its last frame after the terminal is given back, so quitting waits for the commit to end.
    quit: (code: number) => void setImmediate(() => finish(code)),
    write: (text: string) => writeSafely(stdout, text),
    suspendProcess: () => {
      // Cooked mode and the normal screen for the shell, and no frame written there (timers fire before the
      // SIGCONT handler runs). On `fg`: raw mode and the alternate screen again, and a whole frame at the
      // window's size now (a 'resize' makes Ink render and our handler clear). Ink still believes raw mode
      // is on, as it will be.
      screen.hold(true);
      restoreTerminal(tty);
      process.once('SIGCONT', () => {
        if (stdin.isTTY) stdin.setRawMode(true);
        screen.hold(false);
        writeSafely(stdout, ENTER_ALT_SCREEN + HIDE_CURSOR);
        // SIGWINCH goes to the terminal's foreground group only: a resize while stopped was never seen, and
        // stdout.columns/rows (getWindowSize() returns them too) hold the old size. Raised here, Node's own
        // handler reads the window's size again and emits 'resize' if it changed; otherwise we do.
        const stale = `${stdout.columns}x${stdout.rows}`;
        process.once('SIGWINCH', () => {
          if (`${stdout.columns}x${stdout.rows}` === stale) stdout.emit('resize');
        });
        process.kill(process.pid, 'SIGWINCH');
      });
      process.kill(process.pid, 'SIGTSTP');
    },
    runInteractive: (argv: readonly string[], title: string) =>
      handOver(() => runInteractive(tty, argv, title, internals.spawn)),
    runAttached: (session: (tty: Tty) => Promise<number>, title: string) =>
      handOver(() => runAttached(tty, session, title)),
    canRun: (command: string) => internals.canRun?.(command) ?? onPath(command),
    afterNextFrame: screen.afterNextFrame,
  };

  // `:ctx` swaps the source: the app is mounted afresh on the new one (views and selection belong to the old),
  // and a source this function opened is closed when it is replaced or the view ends. The one crashtop started
  // with runs until the end: `:ctx` back to its contexts shows it again at once, with nothing to list again.
  let current = source;
  let generation = 0;
  const switchContext = async (names: readonly string[], said: Message): Promise<string | undefined> => {
    if (!options.openContext) return ':ctx is not available';
    const started = [...new Set(source.getSnapshot().watches.map((w) => w.context))];
    try {
      const next = sameContexts(names, started) ? source : await options.openContext(names);
      const old = current;
      current = next;
      generation++;
      instance.rerender(tree(next, next === source ? options.multiContext : names.length > 1, said));
      if (old !== source) await old.close();
      return undefined;
    } catch (error) {
      return firstLine(error);
    }
  };
  const tree = (shown: ClusterSource, multiContext: boolean, said?: Message) => (
    <ThemeContext.Provider value={theme}>
      <ClockContext.Provider value={clock}>
        <App
          key={generation}
          source={shown}
          said={said}
          actions={actions}
          demo={options.demo}
          multiContext={multiContext}
          osc52Wrap={osc52WrapFor(process.env)}
          curve={options.curve}
          logLimits={options.logLimits}
          contexts={options.contexts}
          switchContext={options.openContext ? switchContext : undefined}
        />
      </ClockContext.Provider>
    </ThemeContext.Provider>
  );

  // No echo from before the first frame: Ink turns raw mode on only in an effect after drawing, and a key typed
  // in between (typed ahead over a slow link, or right at the first frame) would be echoed by the terminal at the
  // end of the last line drawn; an Enter there scrolls the screen under the cell-diff writer, which then keeps
  // sending cells to rows one line off. Ink sets raw mode again and turns it off at the end.
  if (stdin.isTTY) stdin.setRawMode(true);
  writeSafely(stdout, ENTER_ALT_SCREEN);
  const instance = render(tree(source, options.multiContext), {
    stdout: screen.stream,
    stdin,
    stderr,
    exitOnCtrlC: false,
    // console.* from a dependency would be drawn above the frame and break the fixed layout.
    patchConsole: internals.patchConsole ?? true,
    // Whole frames go to the cell-diff writer, which sends only the changed cells; Ink's own incremental
    // mode (whole changed lines, relative cursor moves) would leave it nothing to diff.
    incrementalRendering: false,
  });
  options.listed?.catch((error: unknown) => finish(1, error));
  // Ink exits 0 after a throw during render unless someone awaits this (ink-notes.md §6).
  instance.waitUntilExit().then(
    () => finish(0),
    (error: unknown) => finish(1, error),
  );

  try {
    return await exited;
  } finally {
    if (current !== source) await current.close();
    stdout.off('resize', onResize);
    if (handleProcessEvents) {
      for (const [signal, handler] of handlers) process.off(signal, handler);
      process.off('uncaughtException', onError);
      process.off('unhandledRejection', onError);
    }
  }
}
