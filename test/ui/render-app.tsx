import { setImmediate as realSetImmediate } from 'node:timers';
import { render } from 'ink-testing-library';
import { vi } from 'vitest';
import type { Clock } from '../../src/ui/clock.js';
import { App, type AppActions } from '../../src/ui/components/App.js';
import { ClockContext } from '../../src/ui/hooks/use-clock.js';
import { STATUS_REQUEST } from '../../src/ui/hooks/use-key-queue.js';
import type { LogLimits } from '../../src/ui/log-limits.js';
import type { Tty } from '../../src/ui/terminal/screen.js';
import { createTheme, ThemeContext } from '../../src/ui/theme.js';
import type { FakeSource } from './fake-source.js';

// React's scheduler keeps the real setImmediate, so with fake timers a frame needs a real macrotask
// (reference/ink-notes.md §5).
export const flush = () => new Promise<void>((resolve) => realSetImmediate(resolve));

/** Ink throttles frames to 30 per second: wait out its trailing frame (real timers; only Date is faked). */
export async function settle(): Promise<void> {
  await flush();
  await new Promise((resolve) => setTimeout(resolve, 40));
  await flush();
}

/** A terminal's answer to STATUS_REQUEST: ready. */
export const STATUS_READY = '\u001b[0n';

/** A clock the test moves by hand: the app's one-second tick, without waiting a second. */
export function manualClock(): Clock & { advance(ms: number): void } {
  const listeners = new Set<() => void>();
  let now = Date.now();
  return {
    subscribe(listener) {
      listeners.add(listener);
      return () => listeners.delete(listener);
    },
    now: () => now,
    advance(ms) {
      now += ms;
      vi.setSystemTime(now);
      for (const listener of listeners) listener();
    },
  };
}

export interface Rendered extends ReturnType<typeof render> {
  actions: { [K in keyof AppActions]: ReturnType<typeof vi.fn> } & AppActions;
  press(...keys: string[]): Promise<void>;
  /** Move the shared clock (and Date) forward and let the frame follow. */
  tick(ms: number): Promise<void>;
  frame(): string;
  /**
   * While held, frames are drawn (frame() shows them) but have not reached the terminal, as under a busy event
   * loop or a slow link; released, the frames drawn meanwhile reach it now.
   */
  holdFrames(held: boolean): void;
}

export async function renderApp(
  source: FakeSource,
  options: {
    columns?: number;
    rows?: number;
    color?: boolean;
    ascii?: boolean;
    demo?: boolean;
    multiContext?: boolean;
    /** kubectl is on PATH (default true). */
    kubectl?: boolean;
    logLimits?: LogLimits;
    logSaveDir?: string;
  } = {},
): Promise<Rendered> {
  const actions = {
    quit: vi.fn(),
    suspendProcess: vi.fn(),
    // The terminal answers the key queue's status request, behind what was typed before it.
    write: vi.fn((text: string) => {
      if (text === STATUS_REQUEST) realSetImmediate(() => rendered.stdin.write(STATUS_READY));
    }),
    runInteractive: vi.fn(async () => ({ code: 0 })),
    // The session gets a terminal that is never read: exec's own terminal handling is tested in test/kube.
    runAttached: vi.fn(async (session: (tty: Tty) => Promise<number>) => {
      try {
        return { code: await session({} as Tty) };
      } catch (error) {
        return { error: (error as Error).message };
      }
    }),
    canRun: vi.fn(() => options.kubectl ?? true),
    afterNextFrame: vi.fn((written: (at: number) => void) => {
      waiting.push(written);
    }),
  };
  // ink-testing-library's stdout is the terminal: a frame written to it is on screen, unless the test holds it.
  let waiting: ((at: number) => void)[] = [];
  let framesHeld = false;
  const reached = () => {
    if (framesHeld) return;
    const told = waiting;
    waiting = [];
    for (const written of told) written(Date.now());
  };
  const clock = manualClock();
  const theme = createTheme({ color: options.color ?? true, ascii: options.ascii ?? false });
  const rendered = render(
    <ThemeContext.Provider value={theme}>
      <ClockContext.Provider value={clock}>
        <App
          source={source}
          actions={actions}
          demo={options.demo ?? false}
          multiContext={options.multiContext ?? false}
          osc52Wrap="none"
          size={{ columns: options.columns ?? 120, rows: options.rows ?? 30 }}
          suspendDelayMs={0}
          logLimits={options.logLimits}
          logSaveDir={options.logSaveDir}
        />
      </ClockContext.Provider>
    </ThemeContext.Provider>,
  );
  const write = rendered.stdout.write;
  rendered.stdout.write = (frame: string) => {
    write(frame);
    reached();
  };
  await settle();
  return {
    ...rendered,
    actions: actions as Rendered['actions'],
    async press(...keys: string[]) {
      for (const key of keys) {
        rendered.stdin.write(key);
        // A chunk of several keys is handled one key per render: give each its frame.
        for (let i = 0; i < Math.max(1, [...key].length); i++) await settle();
      }
    },
    async tick(ms: number) {
      clock.advance(ms);
      await settle();
    },
    frame: () => rendered.lastFrame() ?? '',
    holdFrames(held) {
      framesHeld = held;
      reached();
    },
  };
}
