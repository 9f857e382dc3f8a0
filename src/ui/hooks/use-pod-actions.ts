import { useState } from 'react';
import type { ClusterSource, WatchedPod } from '../../kube/source.js';
import { diagnose } from '../../model/classify/index.js';
import { debugArgv, execArgv } from '../../model/kubectl.js';
import type { KubeEvent, Pod } from '../../model/pod.js';
import { failingContainers } from '../../model/status.js';
import { type Multiplexer, osc52 } from '../osc52.js';
import { describeTarget, kubectlTarget, type PodTarget, refOf } from '../pod-target.js';
import { sanitizeLine } from '../sanitize.js';
import type { ChildResult } from '../terminal/child.js';
import type { Tty } from '../terminal/screen.js';
import type { Tone } from '../theme.js';
import { firstLine } from './use-async.js';

/** What the app asks of the terminal; injected so tests run without a TTY or kubectl. */
export interface AppActions {
  quit(code: number): void;
  /** Ctrl-Z: give the terminal back and stop the process (SIGTSTP); `fg` brings the view back. */
  suspendProcess(): void;
  /** Hand the terminal to `argv` (already suspended: every useInput inactive) and take it back. */
  runInteractive(argv: readonly string[]): Promise<ChildResult>;
  /** Hand the terminal to a session run in this process (exec without kubectl), the same way. */
  runAttached(session: (tty: Tty) => Promise<number>): Promise<ChildResult>;
  /** Whether a command can be started (kubectl on PATH). */
  canRun(command: string): boolean;
  /** Bytes straight to the terminal, outside Ink's frame (bell, OSC 52). */
  write(text: string): void;
}

export interface Message {
  text: string;
  tone?: Tone;
}

const PREVIOUS_LOG_FOR_FIX = 50;

export interface PodActionsInput {
  source: ClusterSource;
  actions: AppActions;
  demo: boolean;
  multiplexer: Multiplexer;
  /** Milliseconds between hiding the UI and handing the terminal over (Ink must flush its empty frame). */
  suspendDelayMs?: number;
  setMessage(message: Message | undefined): void;
  eventsOf(key: string): readonly KubeEvent[];
  siblingsOf(watched: WatchedPod): readonly Pod[];
}

/**
 * The keys that leave crashtop for a moment or write outside its frame: `s` shell, `x` debug copy (after
 * a confirmation), `y` copy the fix. While `suspended`, the UI renders nothing and reads no key.
 */
export function usePodActions(input: PodActionsInput) {
  const { source, actions, setMessage } = input;
  const [suspended, setSuspended] = useState(false);
  const [confirmDebug, setConfirmDebug] = useState<PodTarget>();

  const suspendFor = async (run: () => Promise<ChildResult>, what: string) => {
    setSuspended(true);
    await new Promise((resolve) => setTimeout(resolve, input.suspendDelayMs ?? 50));
    let result: ChildResult;
    try {
      result = await run();
    } catch (error) {
      result = { error: firstLine(error) };
    }
    setSuspended(false);
    setMessage(
      result.error
        ? { text: firstLine(result.error), tone: 'bad' }
        : { text: `${what}: exited with ${result.code ?? '?'}`, tone: result.code ? 'warn' : 'good' },
    );
  };

  /** kubectl exec when kubectl is there; else the API server's exec, through the same suspend. */
  const shell = (target: PodTarget) => {
    if (input.demo) return setMessage(demoRefusal('a shell (kubectl exec)'));
    const what = `shell in ${describeTarget(target)}`;
    const { container } = target;
    if (actions.canRun('kubectl') || !source.exec || !container) {
      return void suspendFor(() => actions.runInteractive(execArgv(kubectlTarget(target))), what);
    }
    const exec = source.exec.bind(source);
    void suspendFor(() => actions.runAttached((tty) => exec(target, container, tty)), what);
  };

  const askDebug = (target: PodTarget) => {
    if (input.demo) setMessage(demoRefusal('a debug copy (kubectl debug)'));
    else setConfirmDebug(target);
  };

  /** The answer to the `x` question: only `y` creates the pod. */
  const answerDebug = (yes: boolean) => {
    if (!confirmDebug) return;
    if (yes) {
      void suspendFor(
        () => actions.runInteractive(debugArgv(kubectlTarget(confirmDebug))),
        `debug copy of ${describeTarget(confirmDebug)}`,
      );
    } else setMessage({ text: 'debug copy cancelled', tone: 'dim' });
    setConfirmDebug(undefined);
  };

  const copyFix = async (watched: WatchedPod, key: string) => {
    const ref = refOf(watched);
    const container = failingContainers(watched.pod)[0]?.name;
    const lines = container
      ? await source
          .readLogs(ref, { container, previous: true, tailLines: PREVIOUS_LOG_FOR_FIX })
          .catch(() => undefined)
      : undefined;
    const logs = container && lines ? new Map([[container, lines]]) : undefined;
    const cause = diagnose({
      pod: watched.pod,
      events: input.eventsOf(key),
      logs,
      context: watched.context,
      siblings: input.siblingsOf(watched),
    }).cause;
    const command = cause?.commands[0];
    if (!command) {
      setMessage({ text: 'no fix command for this pod', tone: 'warn' });
      return;
    }
    actions.write(osc52(command, input.multiplexer));
    setMessage({ text: `copied: ${sanitizeLine(command)}`, tone: 'good' });
  };

  return {
    suspended,
    confirmDebug,
    shell,
    askDebug,
    answerDebug,
    copyFix: (watched: WatchedPod, key: string) =>
      void copyFix(watched, key).catch((error: unknown) =>
        setMessage({ text: firstLine(error), tone: 'bad' }),
      ),
  };
}

function demoRefusal(what: string): Message {
  return {
    text: `--demo: the simulated cluster runs no real containers, so ${what} is not available here; on a real cluster this key runs it.`,
    tone: 'warn',
  };
}
