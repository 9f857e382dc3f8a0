import { splitTimestamp } from '../kube/logs.js';
import { type ClusterSource, type LogEnd, type LogFollower, type PodRef, podKey } from '../kube/source.js';
import { type BackoffCurve, serverNow } from '../model/backoff.js';
import {
  type ContainerRef,
  containerStatus,
  localClockTime,
  newerRun,
  runEndText,
  servedRun,
} from '../model/log-runs.js';
import type { Pod } from '../model/pod.js';
import type { Clock } from './clock.js';
import type { LogEntry } from './log-buffer.js';

// `l`: one container's log followed across its restarts (stern's behaviour). The kubelet ends a follow
// stream when the container exits; the follower then writes a separator naming the exit and the next
// restart (from the watched pod status), waits for the status to name a newer instance, and follows that
// one from its first line. A stream cut while the same instance still runs is resumed from the last line's
// timestamp, without repeating lines. The phase (the title) says `reconnecting` at once; the log itself says
// nothing of a cut the stream comes back from within 3 s (a flaky link drops streams every few seconds: a pair
// of lines per drop would push the log off the screen). A longer one writes one line naming the time of the cut
// (`cut at … · reconnecting…`), and `resumed` before the first new line after it (retries can fail for minutes
// while the API server is unreachable, and a stream that opens and drops again before a line comes is still
// the same gap in the log): one pair however the link flaps meanwhile. An unreachable server is a cut too
// (reconnecting), not a refusal. A stream can also die without a sign (a proxy or NAT that stops forwarding: no
// FIN, no RST, the kernel still ACKs): one silent for `silentAfterMs` is replaced by a fresh one from the last
// line's timestamp, which brings what the dead one missed; for a quiet container it costs a request and shows
// nothing.

export type FollowPhase =
  | { kind: 'following' }
  /** The instance ended; the next one has not started (or the status has not said so yet). */
  | { kind: 'waiting' }
  | { kind: 'gone' }
  /** The stream was cut (or the server is unreachable) while the instance runs; asked for again until it opens. */
  | { kind: 'reconnecting'; reason: string }
  /** The kubelet refused (e.g. "waiting to start: CreateContainerConfigError"); a new instance retries. */
  | { kind: 'refused'; reason: string };

export interface RunFollowerOptions {
  source: ClusterSource;
  ref: PodRef;
  container: string;
  /** Tag each entry with the container (the "all containers" view). */
  tag?: boolean;
  /** Lines of the first instance read before following; later instances are read from their start. */
  tailLines: number;
  curve?: BackoffCurve;
  clockTime?: (ms: number) => string;
  onEntries(entries: LogEntry[]): void;
  onPhase(phase: FollowPhase): void;
  /** The app's clock: a cut that lasts is noted on its first tick `cutNoteAfterMs` after the cut. */
  clock: Clock;
  /** Wait before resuming a stream cut while its instance runs. */
  resumeAfterMs?: number;
  /** Wait before asking again when the resumed stream was cut (or not answered) too: the link or server is down. */
  retryCutAfterMs?: number;
  /** How long a cut must last before the log says so (the title says so at once). */
  cutNoteAfterMs?: number;
  /** Wait before asking again for a running instance's log that was refused (403, the kubelet unreachable). */
  retryRefusedAfterMs?: number;
  /** Silence after which a stream is replaced by a fresh one, in case its connection died without a sign. */
  silentAfterMs?: number;
}

// A dropped connection is asked for again soon, so that a drop on a flaky link is bridged before the cut is
// worth a line; when that fails too, the server is asked less often. (The kubelet ends a stream cleanly when
// the instance exits: a cut is the link's doing, so the status is seldom behind an exit when it is resumed.)
const RESUME_AFTER_MS = 1000;
const RETRY_CUT_AFTER_MS = 3000;
// Looked at on the clock's ticks (once a second): the note comes 3 to 4 s after the cut.
const CUT_NOTE_AFTER_MS = 3000;
const RETRY_REFUSED_AFTER_MS = 10_000;
// kubectl gives up on a dead read after 60 s; 45 s of silence is rare for a container that logs at all, and a
// fresh follow for one that does not costs the API server one request.
const SILENT_AFTER_MS = 45_000;

export function separatorText(text: string): string {
  return `── ${text} ──`;
}

/** Follows until `stop()`; see the file comment. */
export function followAcrossRestarts(options: RunFollowerOptions): { stop(): void } {
  const { source, ref, container } = options;
  const key = podKey(ref);
  let stopped = false;
  let stream: LogFollower | undefined;
  /** The instance read by the current (or last) stream. */
  let run: string | undefined;
  /** The current run's end has been written (or it has no end to write). */
  let ended = true;
  let lastMs = Number.NEGATIVE_INFINITY;
  let textsAtLast = new Set<string>();
  let resumeTimer: NodeJS.Timeout | undefined;
  let silenceTimer: NodeJS.Timeout | undefined;
  /** The kubelet's refusal of the last request, shown until an instance can be read. */
  let refusal: string | undefined;
  let lastEnd: LogEnd['kind'] | undefined;
  /** When the stream was cut, while none has answered since (retries that fail are the same outage). */
  let downSince: number | undefined;
  /** The cut's note was written and no line has come since: the next lines are written after `resumed`. */
  let noted = false;
  /** Why the last stream broke or could not be opened, said while reconnecting. */
  let cutReason = '';
  const { clock } = options;
  const cutNoteAfterMs = options.cutNoteAfterMs ?? CUT_NOTE_AFTER_MS;
  const clockTime = options.clockTime ?? localClockTime;
  let stopTicks: (() => void) | undefined;

  const current = (): { pod: Pod; container: ContainerRef } | undefined => {
    const watched = source.getSnapshot().pods.get(key);
    const found = watched && containerStatus(watched.pod, container);
    return watched && found ? { pod: watched.pod, container: found } : undefined;
  };
  const tag = options.tag ? { container } : {};
  const emit = (entries: LogEntry[]) => {
    if (!stopped && entries.length > 0) options.onEntries(entries);
  };
  // Looked at on the clock's ticks, only while the phase says reconnecting and the cut is not noted yet.
  const noteLastingCut = () => {
    if (noted || downSince === undefined || Date.now() - downSince < cutNoteAfterMs) return;
    noted = true;
    stopTicks?.();
    stopTicks = undefined;
    emit([
      {
        text: separatorText(`log stream cut at ${clockTime(downSince)} · reconnecting…`),
        note: true,
        ...tag,
      },
    ]);
  };
  let phase = '';
  const setPhase = (next: FollowPhase) => {
    if (stopped) return;
    // An outage ends when a stream answers, the instance ends or its log is refused.
    if (next.kind !== 'reconnecting') downSince = undefined;
    if (next.kind === 'reconnecting' && !noted) stopTicks ??= clock.subscribe(noteLastingCut);
    else {
      stopTicks?.();
      stopTicks = undefined;
    }
    const text = JSON.stringify(next);
    if (text === phase) return;
    phase = text;
    options.onPhase(next);
  };

  // No line (nor the opening) for a while: the connection may be dead without a sign. The replacement asks from
  // the last line's timestamp, so it brings what the old one missed and repeats nothing. A busy stream only
  // notes the time of each batch; the timer looks at it when it fires.
  const silentAfterMs = options.silentAfterMs ?? SILENT_AFTER_MS;
  let heardAt = 0;
  const watchSilence = (afterMs = silentAfterMs) => {
    clearTimeout(silenceTimer);
    silenceTimer = setTimeout(() => {
      if (stopped || !stream) return;
      const silentMs = Date.now() - heardAt;
      if (silentMs < silentAfterMs) return watchSilence(silentAfterMs - silentMs);
      stream.stop();
      stream = undefined;
      open(true);
    }, afterMs);
  };

  const onLines = (lines: string[]) => {
    if (stopped) return;
    heardAt = Date.now();
    // Any batch (an empty one says the stream opened) says the server answers again; a refused read is
    // taken back only by lines.
    if (lines.length > 0) refusal = undefined;
    if (refusal === undefined) setPhase({ kind: 'following' });
    const fresh: LogEntry[] = [];
    for (const line of lines) {
      const { time, text } = splitTimestamp(line);
      const ms = time === undefined ? Number.NaN : Date.parse(time);
      if (!Number.isNaN(ms)) {
        // A resumed stream starts at a whole second: skip what was already shown.
        if (ms < lastMs || (ms === lastMs && textsAtLast.has(text))) continue;
        if (ms > lastMs) textsAtLast = new Set();
        lastMs = ms;
        textsAtLast.add(text);
      }
      fresh.push({ text, time, ...tag });
    }
    if (noted && fresh.length > 0) {
      noted = false;
      fresh.unshift({ text: separatorText('resumed'), note: true, ...tag });
    }
    emit(fresh);
  };

  const open = (resume: boolean) => {
    ended = false;
    lastEnd = undefined;
    const sinceTime =
      resume && Number.isFinite(lastMs)
        ? new Date(Math.floor(lastMs / 1000) * 1000).toISOString()
        : undefined;
    // Asked again after a refusal or a cut, the view keeps saying why until the stream answers; a new instance
    // starts afresh.
    if (!resume) {
      refusal = undefined;
      lastMs = Number.NEGATIVE_INFINITY;
      textsAtLast = new Set();
      noted = false;
      setPhase({ kind: 'following' });
    }
    stream = source.followLogs(
      ref,
      {
        container,
        previous: false,
        timestamps: true,
        ...(sinceTime ? { sinceTime } : { tailLines: options.tailLines }),
      },
      onLines,
      (end) => {
        stream = undefined;
        clearTimeout(silenceTimer);
        if (stopped) return;
        lastEnd = end.kind;
        if (end.kind === 'failed') refusal = end.message;
        else if (end.kind === 'cut') {
          // Not the server saying no: an answer to the next request says following, not the old refusal.
          cutReason = end.message;
          refusal = undefined;
        }
        check();
      },
    );
    heardAt = Date.now();
    watchSilence();
  };

  const check = () => {
    if (stopped || stream) return;
    const now = current();
    if (!now) {
      setPhase({ kind: 'gone' });
      return;
    }
    const { status } = now.container;
    if (run !== undefined && !ended) {
      const text = runEndText(run, {
        pod: now.pod,
        container: now.container,
        serverNowMs: serverNow(Date.now(), source.getSnapshot().clockOffsetMs.get(ref.context) ?? 0),
        curve: options.curve,
        clockTime: options.clockTime ?? localClockTime,
      });
      if (text !== undefined) {
        ended = true;
        emit([{ text: separatorText(text), note: true, ...tag }]);
      }
    }
    const next = newerRun(status, run);
    if (next !== undefined) {
      if (run !== undefined && !ended) {
        emit([
          { text: separatorText('the run ended (its exit is no longer in the status)'), note: true, ...tag },
        ]);
      }
      run = next;
      clearTimeout(resumeTimer);
      resumeTimer = undefined;
      open(false);
      return;
    }
    // The kubelet closes the stream when the instance exits; a cut stream of an instance that still runs is
    // resumed after a moment, and asked for less often while no stream answers. A refused one (pods/log
    // forbidden, the kubelet unreachable) says why meanwhile, and is asked for again less often still.
    if (lastEnd !== 'ended' && !ended && status.state?.running && servedRun(status) === run) {
      const refused = lastEnd === 'failed' && refusal !== undefined;
      if (refused) setPhase({ kind: 'refused', reason: refusal! });
      const cut = lastEnd === 'cut';
      const stillDown = cut && downSince !== undefined;
      if (cut) {
        downSince ??= Date.now();
        setPhase({ kind: 'reconnecting', reason: cutReason });
      }
      resumeTimer ??= setTimeout(
        () => {
          resumeTimer = undefined;
          const again = current();
          if (!stopped && !stream && again && servedRun(again.container.status) === run && !ended) open(true);
          else check();
        },
        refused
          ? (options.retryRefusedAfterMs ?? RETRY_REFUSED_AFTER_MS)
          : stillDown
            ? (options.retryCutAfterMs ?? RETRY_CUT_AFTER_MS)
            : (options.resumeAfterMs ?? RESUME_AFTER_MS),
      );
      return;
    }
    setPhase(refusal === undefined ? { kind: 'waiting' } : { kind: 'refused', reason: refusal });
  };

  const unsubscribe = source.subscribe(check);
  run = (() => {
    const now = current();
    return now ? servedRun(now.container.status) : undefined;
  })();
  open(false);

  return {
    stop() {
      stopped = true;
      unsubscribe();
      clearTimeout(resumeTimer);
      clearTimeout(silenceTimer);
      stopTicks?.();
      stream?.stop();
    },
  };
}
