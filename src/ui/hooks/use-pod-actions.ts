import { useState } from 'react';
import { KubeError } from '../../kube/errors.js';
import { type ClusterSource, type PodRef, podKey, type WatchedPod } from '../../kube/source.js';
import { diagnose } from '../../model/classify/index.js';
import { commandLine, debugArgv, debugCopyName, deleteDebugCopyArgv, execArgv } from '../../model/kubectl.js';
import { ownerOf } from '../../model/owner.js';
import type { KubeEvent, Pod } from '../../model/pod.js';
import { deniedRequest, forbiddenText } from '../../model/rbac.js';
import { replicaSetsToRead } from '../../model/rollout.js';
import { failingContainers } from '../../model/status.js';
import { type Osc52Wrap, osc52 } from '../osc52.js';
import { describeTarget, kubectlTarget, type PodTarget, refOf } from '../pod-target.js';
import { type AfterNextFrame, createQuestionGuard } from '../question-guard.js';
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
  /**
   * Hand the terminal to `argv` (already suspended: every useInput inactive) and take it back; `title`, one line
   * safe to print, says above its output what runs.
   */
  runInteractive(argv: readonly string[], title: string): Promise<ChildResult>;
  /** Hand the terminal to a session run in this process (exec without kubectl), the same way. */
  runAttached(session: (tty: Tty) => Promise<number>, title: string): Promise<ChildResult>;
  /** Whether a command can be started (kubectl on PATH). */
  canRun(command: string): boolean;
  /** Bytes straight to the terminal, outside Ink's frame (bell, OSC 52). */
  write(text: string): void;
  /** When what is drawn now reached the terminal: a question takes keys only once it could be read. */
  afterNextFrame: AfterNextFrame;
}

export interface Message {
  text: string;
  tone?: Tone;
  /** Shown in full below the text, wrapped between shell words (never cut), so it can be selected by hand. */
  command?: string;
  /** More lines below the text (a failed kubectl's last stderr lines); sanitised and wrapped when drawn. */
  lines?: string[];
  /** Kept on screen through other keys until Esc dismisses it (what a failed action said). */
  sticky?: boolean;
  /** Kept on screen, however long, until the next key, which then does what it does (a saved log's path). */
  untilKey?: boolean;
}

const PREVIOUS_LOG_FOR_FIX = 50;

export interface PodActionsInput {
  source: ClusterSource;
  actions: AppActions;
  demo: boolean;
  osc52Wrap: Osc52Wrap;
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
  // One for both questions: only one is open at a time.
  const [question] = useState(createQuestionGuard);
  const [pickShell, setPickShell] = useState<{ target: PodTarget; choices: ShellChoice[] }>();

  const suspendFor = async (
    run: () => Promise<ChildResult>,
    what: string,
    context: string,
    after: (result: ChildResult) => Partial<Message> | Promise<Partial<Message>> = () => ({}),
  ) => {
    setSuspended(true);
    await new Promise((resolve) => setTimeout(resolve, input.suspendDelayMs ?? 50));
    let result: ChildResult;
    try {
      result = await run();
    } catch (error) {
      result = { error: firstLine(error) };
    }
    setSuspended(false);
    if (result.error) {
      return setMessage({
        text: `${what} failed:`,
        tone: 'bad',
        lines: [firstLine(result.error)],
        sticky: true,
      });
    }
    const failed = result.code !== 0;
    const stderr = failed ? (result.stderrTail ?? []) : [];
    // kubectl prints the API server's 403 as it came ("Error from server (Forbidden): … cannot create resource
    // "pods/exec" …"): what to ask for follows it, as crashtop's own refusals say it.
    const denied = stderr.map(deniedRequest).find((request) => request !== undefined);
    const lines = denied ? [...stderr, forbiddenText(context, denied)] : stderr;
    const more = await after(result);
    setMessage({
      text: `${what}: exited with ${result.code ?? '?'}${stderr.length > 0 ? '; its last error lines:' : ''}`,
      tone: failed ? 'warn' : 'good',
      ...(lines.length > 0 ? { lines, sticky: true } : {}),
      ...more,
    });
  };

  /** kubectl exec when kubectl is there; else the API server's exec, through the same suspend. */
  const openShell = (target: PodTarget) => {
    const what = `shell in ${describeTarget(target, source.inCluster)}`;
    const { container } = target;
    if (actions.canRun('kubectl') || !source.exec || !container) {
      return void suspendFor(
        () =>
          actions.runInteractive(
            execArgv(kubectlTarget(target, source)),
            `crashtop: kubectl exec: opening a ${what}`,
          ),
        what,
        target.context,
      );
    }
    const exec = source.exec.bind(source);
    void suspendFor(
      () =>
        actions.runAttached(
          (tty) => exec(target, container, tty),
          `crashtop: opening a ${what} through the API server`,
        ),
      what,
      target.context,
    );
  };

  /**
   * `s`: a pod with several containers asks which (the first running one by default, as k9s does); a container
   * that is not running cannot be exec'd into (the kubelet refuses), so that is said with what can be done.
   */
  const shell = (target: PodTarget, pod: Pod) => {
    const choices = shellChoices(pod);
    if (choices.length > 1) {
      question.open(actions.afterNextFrame);
      return setPickShell({ target, choices });
    }
    openChosen(target, choices[0]?.name ?? target.container);
  };

  const openChosen = (target: PodTarget, container: string | undefined) => {
    const choice = pickShell?.choices.find((c) => c.name === container);
    const pod = source.getSnapshot().pods.get(podKey(target))?.pod;
    const chosen = choice ?? (pod ? shellChoices(pod).find((c) => c.name === container) : undefined);
    if (chosen && !chosen.running) {
      const running = (pickShell?.choices ?? (pod ? shellChoices(pod) : [])).filter((c) => c.running);
      return setMessage({
        text: `container ${sanitizeLine(chosen.name)} of ${describeTarget({ ...target, container: undefined }, source.inCluster)} is not running (${sanitizeLine(chosen.state)}), so there is no shell to open: x makes a debug copy of the pod with a shell${running.length > 0 ? `; running: ${running.map((c) => sanitizeLine(c.name)).join(', ')} (s, then pick it)` : ''}`,
        tone: 'warn',
      });
    }
    openShell({ ...target, container });
  };

  /**
   * The answer to the `s` question: a number picks, Enter takes the default, anything else cancels; a key typed
   * before it could be read does neither (a pasted `s` and Enter opened a shell in a container nobody picked).
   */
  const answerShell = (input: string, enter: boolean) => {
    if (!pickShell || !question.readable(Date.now())) return;
    const { target, choices } = pickShell;
    setPickShell(undefined);
    const index = enter
      ? Math.max(
          0,
          choices.findIndex((c) => c.running),
        )
      : Number(input) - 1;
    const choice = choices[index];
    if (!choice) return setMessage({ text: 'shell cancelled', tone: 'dim' });
    openChosen(target, choice.name);
  };

  /** Whether it asked (`--demo` says it cannot). */
  const askDebug = (target: PodTarget): boolean => {
    if (input.demo) {
      setMessage(demoRefusal('a debug copy (kubectl debug)'));
      return false;
    }
    question.open(actions.afterNextFrame);
    setConfirmDebug(target);
    return true;
  };

  /** The answer to the `x` question: only `y` creates the pod, and only a key typed once it could be read. */
  const answerDebug = (yes: boolean) => {
    if (!confirmDebug || !question.readable(Date.now())) return;
    if (yes) {
      const target = kubectlTarget(confirmDebug, source);
      const copy: PodRef = {
        context: confirmDebug.context,
        namespace: confirmDebug.namespace,
        name: debugCopyName(target),
      };
      // The copy outlives the session (kubectl debug leaves it running): say how to remove it, once it is
      // there. kubectl debug can fail before creating it (refused, forbidden): a delete for a pod never
      // created would send the user after nothing. A failed exit may also be the shell's own: then the copy is
      // asked for.
      void suspendFor(
        () =>
          actions.runInteractive(
            debugArgv(target),
            `crashtop: kubectl debug: creating ${sanitizeLine(copy.name)}, a copy of ${describeTarget(confirmDebug, source.inCluster)} with a shell, and waiting for it to start (Ctrl-C stops waiting; the copy stays)`,
          ),
        `debug copy ${sanitizeLine(copy.name)} of ${describeTarget(confirmDebug, source.inCluster)}`,
        confirmDebug.context,
        async (result) =>
          result.code === 0 || (await exists(source, copy))
            ? { command: commandLine(deleteDebugCopyArgv(target)), sticky: true }
            : {},
      );
    } else setMessage({ text: 'debug copy cancelled', tone: 'dim' });
    setConfirmDebug(undefined);
  };

  const copyFix = async (watched: WatchedPod, key: string) => {
    const ref = refOf(watched);
    // As of the start of time: a container running again after a crash has a fix to copy whenever its crash
    // loop began (the row showed it as one).
    const since = Number.NEGATIVE_INFINITY;
    const container = failingContainers(watched.pod, since)[0]?.name;
    const lines = container
      ? await source
          .readLogs(ref, { container, previous: true, tailLines: PREVIOUS_LOG_FOR_FIX })
          .catch(() => undefined)
      : undefined;
    const logs = container && lines ? new Map([[container, lines]]) : undefined;
    const owner = ownerOf(watched.pod);
    const workload =
      owner && source.readWorkload
        ? await source.readWorkload(ref, owner).catch((error: unknown) => ({ unavailable: firstLine(error) }))
        : undefined;
    const siblings = input.siblingsOf(watched);
    const read = source.readReplicaSets && replicaSetsToRead(watched.pod, siblings);
    const replicaSets = read
      ? await source.readReplicaSets!(
          { context: watched.context, namespace: read.namespace },
          read.deployment,
          read.hashes,
        ).catch((error: unknown) => ({ unavailable: firstLine(error) }))
      : undefined;
    const cause = diagnose({
      pod: watched.pod,
      events: input.eventsOf(key),
      logs,
      context: watched.context,
      kubeconfig: source.kubeconfig,
      inCluster: source.inCluster,
      siblings,
      replicaSets,
      nowMs: since,
      workload,
    }).cause;
    const command = cause?.commands[0];
    if (!command) {
      setMessage({ text: 'no fix command for this pod', tone: 'warn' });
      return;
    }
    // OSC 52 has no answer: the terminal (or tmux without set-clipboard on) may drop it, so the command is
    // also shown in full to select by hand.
    actions.write(osc52(command, input.osc52Wrap));
    setMessage({
      text: "sent to the terminal's clipboard (OSC 52):",
      tone: 'good',
      command: sanitizeLine(command),
    });
  };

  return {
    suspended,
    confirmDebug,
    pickShell,
    shell,
    answerShell,
    askDebug,
    answerDebug,
    copyFix: (watched: WatchedPod, key: string) =>
      void copyFix(watched, key).catch((error: unknown) =>
        setMessage({ text: firstLine(error), tone: 'bad' }),
      ),
  };
}

export interface ShellChoice {
  name: string;
  running: boolean;
  /** `running`, or the waiting/terminated reason kubectl shows. */
  state: string;
}

/** The pod's containers a shell can be asked for (not init containers), in spec order. */
export function shellChoices(pod: Pod): ShellChoice[] {
  return pod.spec.containers.map((c) => {
    const state = pod.status?.containerStatuses?.find((s) => s.name === c.name)?.state;
    return {
      name: c.name,
      running: state?.running !== undefined,
      state: state?.running
        ? 'running'
        : (state?.waiting?.reason ??
          state?.terminated?.reason ??
          (state?.terminated ? 'terminated' : 'not started')),
    };
  });
}

function demoRefusal(what: string): Message {
  return {
    text: `--demo: the simulated cluster creates no pods, so ${what} is not available here; on a real cluster this key runs it.`,
    tone: 'warn',
  };
}

/**
 * Whether the pod is there now. A read that fails otherwise than with 404 counts as there: a cleanup offered for
 * nothing costs less than a copy left running unnoticed.
 */
async function exists(source: ClusterSource, ref: PodRef): Promise<boolean> {
  try {
    await source.getPod(ref);
    return true;
  } catch (error) {
    return !(error instanceof KubeError && error.status === 404);
  }
}
