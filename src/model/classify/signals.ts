// Small pure matchers over one container's facts. Each returns the evidence it found (exact field values,
// event messages and log lines, quoted) or undefined, so the rule table can read as "signal → cause".
import type {
  Container,
  ContainerStateTerminated,
  ContainerStateWaiting,
  ContainerStatus,
  KubeEvent,
  Pod,
  Volume,
} from '../pod.js';
import { effectiveRestartPolicy } from '../status.js';
import { flattenUntrusted, stripEscapes } from '../untrusted-text.js';

/** Log matching only ever looks at this much of a container's previous log. */
export const LOG_MAX_LINES = 200;
export const LOG_MAX_BYTES = 64 * 1024;

export interface ContainerFacts {
  name: string;
  init: boolean;
  spec?: Container;
  status: ContainerStatus;
  /** The policy that decides whether this container is restarted after it exits. */
  restartPolicy: string;
  waiting?: ContainerStateWaiting;
  /** The most recent exit: the current terminated state, else the previous one. */
  lastExit?: ContainerStateTerminated;
  /** Where lastExit was read, for evidence (`state.terminated` or `lastState.terminated`). */
  lastExitField: string;
  events: readonly KubeEvent[];
  logs: readonly string[];
  /** The pod's volumes: every container waits until all of them are mounted. */
  volumes: readonly Volume[];
}

const encoder = new TextEncoder();

/**
 * The last LOG_MAX_LINES lines, then as many of those as fit in LOG_MAX_BYTES, newest kept; without their
 * escape sequences, so that every rule matches the words a terminal shows (`\e[1mredis:6379` is `redis:6379`).
 */
export function boundedLog(lines: readonly string[]): string[] {
  const tail = lines.slice(-LOG_MAX_LINES).map(stripEscapes);
  const kept: string[] = [];
  let bytes = 0;
  for (let i = tail.length - 1; i >= 0; i--) {
    const line = tail[i]!;
    const size = encoder.encode(line).length + 1;
    if (bytes + size > LOG_MAX_BYTES) {
      if (kept.length === 0) kept.push(line.slice(-LOG_MAX_BYTES / 4));
      break;
    }
    bytes += size;
    kept.push(line);
  }
  return kept.reverse();
}

/**
 * Evidence is quoted whole, on one line: a cut can drop the very error (the image reference at the end of a
 * pull error). A runaway line is bounded by LOG_MAX_BYTES already; the text report wraps what is long.
 */
/** A cluster string on one line, flattened before it joins our label so that it cannot erase or forge it. */
export function quote(text: string): string {
  return flattenUntrusted(text.replace(/\s*\n\s*/g, ' ')).trim();
}

function eventBelongsTo(event: KubeEvent, pod: Pod, container: string, init: boolean): boolean {
  const object = event.involvedObject;
  if (object.kind && object.kind !== 'Pod') return false;
  if (object.name && object.name !== pod.metadata.name) return false;
  if (object.namespace && pod.metadata.namespace && object.namespace !== pod.metadata.namespace) return false;
  if (object.uid && pod.metadata.uid && object.uid !== pod.metadata.uid) return false;
  if (!object.fieldPath) return true;
  return object.fieldPath === `spec.${init ? 'initContainers' : 'containers'}{${container}}`;
}

export function containerFacts(
  pod: Pod,
  container: { name: string; init: boolean; status: ContainerStatus },
  events: readonly KubeEvent[],
  logs: readonly string[],
): ContainerFacts {
  const specs = container.init ? pod.spec.initContainers : pod.spec.containers;
  const spec = specs?.find((c) => c.name === container.name);
  const current = container.status.state?.terminated;
  return {
    name: container.name,
    init: container.init,
    spec,
    status: container.status,
    restartPolicy: effectiveRestartPolicy(pod, container.name, container.init),
    waiting: container.status.state?.waiting,
    lastExit: current ?? container.status.lastState?.terminated,
    lastExitField: current ? 'state.terminated' : 'lastState.terminated',
    events: events.filter((e) => eventBelongsTo(e, pod, container.name, container.init)),
    logs: boundedLog(logs),
    volumes: pod.spec.volumes ?? [],
  };
}

export function describeEvent(event: KubeEvent): string {
  return `event ${quote(event.type ?? 'Normal')} ${quote(event.reason ?? '')}: ${quote(event.message ?? '')}`;
}

/** `lastState.terminated.reason: OOMKilled` when the last exit had one of these reasons. */
export function exitReason(f: ContainerFacts, ...reasons: string[]): string | undefined {
  const reason = f.lastExit?.reason;
  return reason !== undefined && reasons.includes(reason)
    ? `${f.lastExitField}.reason: ${reason}`
    : undefined;
}

export function exitCode(f: ContainerFacts, ...codes: number[]): string | undefined {
  const code = f.lastExit?.exitCode;
  return code !== undefined && codes.includes(code) ? `${f.lastExitField}.exitCode: ${code}` : undefined;
}

export function exitCodeEvidence(f: ContainerFacts): string | undefined {
  return f.lastExit ? `${f.lastExitField}.exitCode: ${f.lastExit.exitCode}` : undefined;
}

export function failedExit(f: ContainerFacts): boolean {
  return f.lastExit !== undefined && f.lastExit.exitCode !== 0;
}

export function waitingReason(f: ContainerFacts, ...reasons: string[]): string | undefined {
  const reason = f.waiting?.reason;
  return reason !== undefined && reasons.includes(reason) ? `state.waiting.reason: ${reason}` : undefined;
}

/** The waiting message or the last exit's message (the runtime's start error, or the termination log). */
export function statusMessage(f: ContainerFacts, pattern: RegExp): string | undefined {
  if (f.waiting?.message && pattern.test(f.waiting.message)) {
    return `state.waiting.message: ${quote(f.waiting.message)}`;
  }
  if (f.lastExit?.message && pattern.test(f.lastExit.message)) {
    return `${f.lastExitField}.message: ${quote(f.lastExit.message)}`;
  }
  return undefined;
}

export function event(f: ContainerFacts, reason: string, pattern: RegExp): KubeEvent | undefined {
  return f.events.find((e) => e.reason === reason && pattern.test(e.message ?? ''));
}

export function eventEvidence(f: ContainerFacts, reason: string, pattern: RegExp): string | undefined {
  const found = event(f, reason, pattern);
  return found ? describeEvent(found) : undefined;
}

/** The newest log line matching the pattern (the one closest to the crash). */
export function logLine(f: ContainerFacts, pattern: RegExp): string | undefined {
  for (let i = f.logs.length - 1; i >= 0; i--) {
    const line = f.logs[i]!;
    if (pattern.test(line)) return `log: ${quote(line)}`;
  }
  return undefined;
}

/**
 * A log line or, when we have no log, the termination message (the runtime's start error, or the log tail the
 * kubelet copies there for `terminationMessagePolicy: FallbackToLogsOnError`).
 */
export function output(f: ContainerFacts, pattern: RegExp): string | undefined {
  const line = logLine(f, pattern);
  if (line) return line;
  const message = f.lastExit?.message;
  if (!message) return undefined;
  const matching = message.split('\n').findLast((l) => pattern.test(l));
  return matching === undefined ? undefined : `${f.lastExitField}.message: ${quote(matching)}`;
}

/**
 * What a reader should see first when no rule explains the crash: the output's error lines and its last lines
 * before the exit, in log order, at most `max`, each quoted like `log: …` (or the termination message's).
 */
export function tellingLines(f: ContainerFacts, errorLine: RegExp, max = 6): string[] {
  const lines = f.logs.length > 0 ? f.logs : (f.lastExit?.message?.split('\n') ?? []);
  const field = f.logs.length > 0 ? 'log' : `${f.lastExitField}.message`;
  const nonEmpty = lines.map((line, index) => ({ line, index })).filter(({ line }) => line.trim() !== '');
  const last = nonEmpty.slice(-3);
  const errors = nonEmpty.filter(({ line }) => errorLine.test(line)).slice(-(max - last.length));
  const chosen = [...new Map([...errors, ...last].map((l) => [l.index, l])).values()];
  return chosen.sort((a, b) => a.index - b.index).map(({ line }) => `${field}: ${quote(line)}`);
}

/** Lifecycle events every start produces: they say nothing about why a container crashed. */
const ROUTINE_EVENTS = new Set([
  'Scheduled',
  'Pulling',
  'Pulled',
  'Created',
  'Started',
  'SuccessfulMountVolume',
]);

/** The events considered for this container, routine ones left out, oldest first as the list holds them. */
export function consideredEvents(f: ContainerFacts): string[] {
  return [...new Set(f.events.filter((e) => !ROUTINE_EVENTS.has(e.reason ?? '')).map(describeEvent))];
}

export function hasOutput(f: ContainerFacts): boolean {
  return f.logs.some((l) => l.trim() !== '') || Boolean(f.lastExit?.message?.trim());
}

/** The first group of the first pattern that matches, trying each pattern on every text before the next. */
export function capture(
  texts: readonly (string | undefined)[],
  patterns: readonly RegExp[],
): string | undefined {
  for (const pattern of patterns) {
    for (const text of texts) {
      const match = text?.match(pattern);
      if (match?.[1]) return match[1];
    }
  }
  return undefined;
}

export function all(...evidence: (string | undefined)[]): string[] | undefined {
  return evidence.every((e) => e !== undefined) ? (evidence as string[]) : undefined;
}

export function present(...evidence: (string | undefined)[]): string[] {
  return evidence.filter((e): e is string => e !== undefined);
}
