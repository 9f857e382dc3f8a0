import type { BackoffCurve } from '../model/backoff.js';
import { containerBackoff, countdown } from '../model/backoff.js';
import type { Cause } from '../model/classify/index.js';
import { columns } from '../model/columns.js';
import { restartsContainers } from '../model/crash-loop.js';
import { formatCountdown, humanAge } from '../model/duration.js';
import type { ContainerState, ContainerStatus, KubeEvent, Pod } from '../model/pod.js';
import { effectiveRestartPolicy, failingContainers, podCrashLoops, podSummary } from '../model/status.js';
import { terminationMessageLines } from '../model/termination-message.js';
import { commandRows } from './command-lines.js';
import type { ViewLine } from './components/ScrollView.js';
import { contextLabel } from './context-label.js';
import { wrapWords } from './fit.js';
import { sanitizeLine } from './sanitize.js';

// The detail pane of one pod, as lines: containers with their countdowns and exit messages, the cause with its
// evidence, the fix and its commands, the last lines of the previous container's log, and recent events (warnings
// first).

export interface DetailInput {
  pod: Pod;
  events: readonly KubeEvent[];
  /**
   * Previous log lines of the first failing container, when read; undefined while being read; `none` when
   * no container is failing, so there is nothing to read.
   */
  previousLog?:
    | { container: string; lines: readonly string[] }
    | { container: string; error: string }
    | 'none';
  causes: readonly Cause[];
  serverNowMs: number;
  curve?: BackoffCurve;
  /** The context the pod came from, named when the view shows several. */
  context?: string;
  /** Screen columns: commands wrap between shell words instead of being cut. */
  width?: number;
}

const LOG_LINES = 12;
const EVENT_LINES = 10;
const clean = (text: string | undefined) => sanitizeLine(text ?? '', { maxLength: 2000 });

export function detailLines(input: DetailInput): ViewLine[] {
  const { pod } = input;
  const summary = podSummary(pod);
  const lines: ViewLine[] = [
    {
      text: `${input.context ? `context ${contextLabel(input.context, input.width ?? 80)}: ` : ''}${clean(pod.metadata.namespace)}/${clean(pod.metadata.name)}`,
      bold: true,
    },
    { text: `STATUS ${clean(summary.status)}   READY ${summary.ready}   RESTARTS ${summary.restarts}` },
    { text: '' },
    { text: 'Containers', bold: true },
    ...containerLines(input),
    { text: '' },
    ...causeLines(input.causes, input.width ?? 80),
    ...logLines(input.previousLog, input.width ?? 80),
    { text: '' },
    { text: 'Recent events (warnings first)', bold: true },
    ...eventLines(input.events, input.serverNowMs, input.width ?? 80),
  ];
  return lines;
}

/** Columns of a countdown's longest label, `resets in 9m59s`. */
const NEXT_ROOM = 15;

function containerLines(input: DetailInput): ViewLine[] {
  const { pod, serverNowMs } = input;
  const width = input.width ?? 80;
  const failing = new Set(failingContainers(pod, serverNowMs).map((f) => `${f.init}/${f.name}`));
  const loops = podCrashLoops(pod, serverNowMs);
  const all: [ContainerStatus, boolean][] = [
    ...(pod.status?.initContainerStatuses ?? []).map((s): [ContainerStatus, boolean] => [s, true]),
    ...(pod.status?.containerStatuses ?? []).map((s): [ContainerStatus, boolean] => [s, false]),
  ];
  if (all.length === 0) return [{ text: '  (no container status yet)', tone: 'dim' }];
  return all.flatMap(([status, init]) => {
    const restartPolicy = effectiveRestartPolicy(pod, status.name, init);
    const loop = loops.find((l) => l.container === status.name && l.init === init);
    // A running container counts down to its back-off reset only while it is in a crash loop; a pod being
    // deleted restarts nothing.
    const counts = restartsContainers(pod) && (status.state?.running === undefined || loop !== undefined);
    const c = counts
      ? countdown(containerBackoff(status, { curve: input.curve, restartPolicy }), serverNowMs)
      : { label: '' };
    const bad = failing.has(`${init}/${status.name}`);
    const name = `  ${init ? 'init ' : ''}${clean(status.name)}: ${stateText(status.state)}`;
    const counters = `restarts ${status.restartCount}${c.label ? `  next: ${c.label}` : ''}`;
    const tone = bad ? 'bad' : 'good';
    // The countdown is what the line is read for: where it could be cut, the counters go on a line of their
    // own. Decided on the longest label, so the page does not change shape as the countdown ticks.
    const fits = !c.label || columns(`${name}  restarts ${status.restartCount}  next: `) + NEXT_ROOM <= width;
    const last = status.lastState?.terminated;
    const lines: ViewLine[] = fits
      ? [{ text: `${name}  ${counters}`, tone }]
      : [
          { text: name, tone },
          { text: `      ${counters}`, tone },
        ];
    if (status.state?.waiting?.message)
      lines.push(
        ...indented(clean(status.state.waiting.message), '      ', width).map(
          (text): ViewLine => ({ text, tone: 'dim' }),
        ),
      );
    if (last) {
      lines.push({
        text: `      last exit: code ${last.exitCode}${last.reason ? ` (${clean(last.reason)})` : ''}${last.finishedAt ? ` at ${clean(last.finishedAt)}` : ''}`,
      });
    }
    lines.push(...exitMessageLines(status));
    if (loop?.resetAt !== undefined) {
      const reset = formatCountdown(Math.max(0, loop.resetAt - serverNowMs));
      lines.push(
        ...indented(
          `crash loop: running between crashes; the kubelet's back-off resets in ${reset} if it keeps running`,
          '      ',
          width,
        ).map((text): ViewLine => ({ text, tone: 'warn' })),
      );
    }
    return lines;
  });
}

const EXIT_MESSAGE_LABEL = '      exit msg: ';

/**
 * The termination message of the exit shown (the current one, else the last), its last lines one per row under
 * its label: the page cuts each at its edge, as a terminal shows a log line, rather than wrap it out of shape.
 */
function exitMessageLines(status: ContainerStatus): ViewLine[] {
  const exit = status.state?.terminated ?? status.lastState?.terminated;
  return terminationMessageLines(exit?.message).map((line, i) => ({
    text: `${i === 0 ? EXIT_MESSAGE_LABEL : ' '.repeat(EXIT_MESSAGE_LABEL.length)}${clean(line)}`,
  }));
}

function stateText(state: ContainerState | undefined): string {
  if (state?.waiting) return `waiting (${clean(state.waiting.reason)})`;
  if (state?.running) return 'running';
  if (state?.terminated)
    return `terminated (${clean(state.terminated.reason) || `exit ${state.terminated.exitCode}`})`;
  return 'unknown';
}

function causeLines(causes: readonly Cause[], width: number): ViewLine[] {
  if (causes.length === 0) return [{ text: 'No failing container.', tone: 'good' }];
  return causes.flatMap((cause) => [
    ...wrapWords(
      `Cause (${clean(cause.container)}): ${cause.id}, ${cause.confidence} confidence`,
      width,
      '  ',
    ).map((text): ViewLine => ({ text, bold: true, tone: 'bad' })),
    // Whole, as `explain` prints it: its end often says what kind of cause it is.
    ...indented(clean(cause.title), '  ', width).map((text): ViewLine => ({ text })),
    ...cause.evidence.flatMap((e) =>
      indented(`- ${clean(e)}`, '  ', width, '  ').map((text): ViewLine => ({ text, tone: 'dim' })),
    ),
    ...wrapWords(`Fix: ${clean(cause.fix)}`, width, '  ').map((text): ViewLine => ({ text, tone: 'accent' })),
    ...cause.commands.flatMap((command) =>
      commandRows(clean(command), width - 4, width - 4, width).map(
        (row, i): ViewLine => ({ text: row.flush ? row.text : `${i === 0 ? '  $ ' : '    '}${row.text}` }),
      ),
    ),
    { text: '' },
  ]);
}

function logLines(log: DetailInput['previousLog'], width: number): ViewLine[] {
  if (log === 'none') return [{ text: 'Previous log: none read (no container is failing)', tone: 'dim' }];
  if (!log) return [{ text: 'Previous log: reading…', tone: 'dim' }];
  const title: ViewLine = { text: `Previous log of ${clean(log.container)} (last lines)`, bold: true };
  // Why it could not be read, whole: its end says what to do (the RBAC rule to ask for).
  if ('error' in log)
    return [
      title,
      ...indented(clean(log.error), '  ', width, '  ').map((text): ViewLine => ({ text, tone: 'dim' })),
    ];
  if (log.lines.length === 0) return [title, { text: '  (empty)', tone: 'dim' }];
  return [title, ...log.lines.slice(-LOG_LINES).map((line): ViewLine => ({ text: `  ${clean(line)}` }))];
}

/** Warnings before normal events, each group newest first. */
export function recentEvents(events: readonly KubeEvent[]): KubeEvent[] {
  const time = (e: KubeEvent) => Date.parse(e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp ?? '') || 0;
  return [...events].sort(
    (a, b) => Number(b.type === 'Warning') - Number(a.type === 'Warning') || time(b) - time(a),
  );
}

function eventLines(events: readonly KubeEvent[], serverNowMs: number, width: number): ViewLine[] {
  if (events.length === 0) return [{ text: '  (none)', tone: 'dim' }];
  return recentEvents(events)
    .slice(0, EVENT_LINES)
    .flatMap((e) => {
      const when = e.lastTimestamp ?? e.eventTime ?? e.firstTimestamp;
      const age = when ? humanAge(serverNowMs - Date.parse(when)) : '?';
      const count = e.count && e.count > 1 ? ` (x${e.count})` : '';
      // The age takes the indent of the first line: `  ` and five columns (humanAge's longest) and `  `.
      const [first, ...rest] = indented(
        `${clean(e.type)}  ${clean(e.reason)}${count}: ${clean(e.message)}`,
        ' '.repeat(9),
        width,
      );
      return [`  ${age.padStart(5)}  ${first!.slice(9)}`, ...rest].map(
        (text): ViewLine => ({ text, tone: e.type === 'Warning' ? 'warn' : undefined }),
      );
    });
}

/** A message wrapped under `indent` (its later lines under `hang` more), never cut: its end often says why. */
function indented(text: string, indent: string, width: number, hang = ''): string[] {
  return wrapWords(text, width - indent.length, hang).map((line) => indent + line);
}
