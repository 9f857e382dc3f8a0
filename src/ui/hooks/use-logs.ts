import { useContext, useEffect, useState } from 'react';
import { isNoPreviousLog, splitTimestamp } from '../../kube/logs.js';
import { type ClusterSource, type PodRef, podKey } from '../../kube/source.js';
import { type BackoffCurve, serverNow } from '../../model/backoff.js';
import { containerStatus, localClockTime, runEndText } from '../../model/log-runs.js';
import { appendEntries, EMPTY_LOG, type LogBuffer, type LogEntry } from '../log-buffer.js';
import type { LogLimits } from '../log-limits.js';
import { type FollowPhase, followAcrossRestarts, separatorText } from '../run-follower.js';
import { firstLine } from './use-async.js';
import { ClockContext } from './use-clock.js';

/** How a log state that waits out a cut or an outage starts (the title's short form says only this). */
export const RECONNECTING = 'reconnecting…';

/** The "all containers" choice of the log view (container names are DNS labels: no clash). */
export const ALL_CONTAINERS = '*';

export interface LogSelection {
  /** A container name, or ALL_CONTAINERS. */
  container: string;
  previous: boolean;
}

export interface LogState {
  buffer: LogBuffer;
  /** One line: `following`, `waiting for the next run`, the kubelet's refusal … */
  status: string;
  /** Following (current logs) and not yet ended for good. */
  live: boolean;
  /** Why no line could be read (the kubelet unreachable, pods/log forbidden…), in full; undefined once read. */
  failed?: string;
  /** All containers' previous runs: how many could not be read (each says why in its place). */
  unread?: number;
}

export interface LogOptions {
  limits: LogLimits;
  curve?: BackoffCurve;
}

/**
 * The log view's lines: the previous run read once (`p`), or the current run followed across restarts
 * (`l`), of one container or of all of them (each line tagged with its container).
 */
export function useLogs(
  source: ClusterSource,
  ref: PodRef,
  containers: readonly string[],
  selection: LogSelection,
  options: LogOptions,
): LogState {
  const [state, setState] = useState<LogState>({ buffer: EMPTY_LOG, status: 'reading', live: false });
  const clock = useContext(ClockContext);
  const { context, namespace, name } = ref;
  const { container, previous } = selection;
  const { limits, curve } = options;
  const names = container === ALL_CONTAINERS ? containers : [container];
  const namesKey = names.join('\n');
  // biome-ignore lint/correctness/useExhaustiveDependencies: namesKey stands for names (a new array each render).
  useEffect(() => {
    const target = { context, namespace, name };
    const tag = container === ALL_CONTAINERS;
    let open = true;
    const append = (entries: LogEntry[]) =>
      open && setState((s) => ({ ...s, buffer: appendEntries(s.buffer, entries, limits) }));
    setState({ buffer: EMPTY_LOG, status: 'reading', live: !previous });
    if (previous) {
      Promise.allSettled(names.map((c) => readPrevious(source, target, c, tag, curve))).then((results) => {
        if (!open) return;
        const failed = results.flatMap((r) => (r.status === 'rejected' ? [firstLine(r.reason)] : []));
        // With all containers, each container's lines or why they could not be read, in container order: one
        // container's 403 or missing previous run must not hide behind the others' logs.
        append(
          results.flatMap((r, i) =>
            r.status === 'fulfilled'
              ? r.value.entries
              : tag
                ? [readFailure(names[i]!, firstLine(r.reason))]
                : [],
          ),
        );
        const none = failed.length === results.length;
        const noRun = results.every((r) => r.status === 'fulfilled' && r.value.noPreviousRun);
        setState((s) => ({
          ...s,
          status: none ? (failed[0] ?? '') : noRun ? NO_PREVIOUS_LOG : 'read once',
          live: false,
          ...(none ? { failed: failed[0] ?? '' } : failed.length > 0 ? { unread: failed.length } : {}),
        }));
      });
      return () => {
        open = false;
      };
    }
    const phases = new Map<string, FollowPhase>();
    const followers = names.map((c) =>
      followAcrossRestarts({
        source,
        ref: target,
        container: c,
        tag,
        tailLines: limits.lines,
        curve,
        clock,
        onEntries: append,
        onPhase: (phase) => {
          phases.set(c, phase);
          // Why, in the log itself: after the lines already read (a run's end), not only in the title.
          if (phase.kind === 'refused' && open) append([readFailure(c, firstLine(phase.reason))]);
          const refused =
            names.length === 1 && phase.kind === 'refused' ? firstLine(phase.reason) : undefined;
          if (open)
            setState(({ failed: _, ...s }) => ({
              ...s,
              status: phaseText(phases, names.length),
              ...(refused === undefined ? {} : { failed: refused }),
            }));
        },
      }),
    );
    return () => {
      open = false;
      for (const follower of followers) follower.stop();
    };
  }, [source, context, namespace, name, container, namesKey, previous, limits, curve, clock]);
  return state;
}

/** The README's words for a container that has not exited before (the kubelet's 400, not a failed read). */
const NO_PREVIOUS_LOG = 'no previous log';

/**
 * The previous run of one container, its timestamps split off, closed by a separator naming its exit; or, when
 * it has no previous run, one note saying so.
 */
async function readPrevious(
  source: ClusterSource,
  ref: PodRef,
  container: string,
  tag: boolean,
  curve: BackoffCurve | undefined,
): Promise<{ entries: LogEntry[]; noPreviousRun: boolean }> {
  const tagged = tag ? { container } : {};
  let lines: string[];
  try {
    lines = await source.readLogs(ref, { container, previous: true, timestamps: true });
  } catch (error) {
    if (!isNoPreviousLog(error)) throw error;
    const text = `${NO_PREVIOUS_LOG}: the container has no previous run to read`;
    return { entries: [{ text, note: true, ...tagged }], noPreviousRun: true };
  }
  const entries: LogEntry[] = lines.map((line) => ({ ...splitTimestamp(line), ...tagged }));
  const snapshot = source.getSnapshot();
  const pod = snapshot.pods.get(podKey(ref))?.pod;
  const found = pod && containerStatus(pod, container);
  const run = found?.status.lastState?.terminated?.containerID;
  const end =
    pod && found && run
      ? runEndText(run, {
          pod,
          container: found,
          serverNowMs: serverNow(Date.now(), snapshot.clockOffsetMs.get(ref.context) ?? 0),
          curve,
          clockTime: localClockTime,
        })
      : undefined;
  return {
    entries: end === undefined ? entries : [...entries, { text: separatorText(end), note: true, ...tagged }],
    noPreviousRun: false,
  };
}

/** The line saying why this container's log could not be read (prefixed with it in the "all containers" view). */
function readFailure(container: string, reason: string): LogEntry {
  return { text: `no log read: ${reason}`, container, note: true, failed: true };
}

function phaseText(phases: ReadonlyMap<string, FollowPhase>, count: number): string {
  if (count > 1) {
    const following = [...phases.values()].filter((p) => p.kind === 'following').length;
    return `following ${following} of ${count} containers`;
  }
  const [phase] = phases.values();
  switch (phase?.kind) {
    case undefined:
    case 'following':
      return 'following';
    case 'waiting':
      return 'waiting for the next run';
    case 'gone':
      return 'the pod is gone';
    case 'refused':
      return firstLine(phase.reason);
    case 'reconnecting':
      return phase.reason === '' ? RECONNECTING : `${RECONNECTING} (${firstLine(phase.reason)})`;
  }
}
