import { columns } from '../model/columns.js';
import { truncate, truncateMiddle, truncatePodName } from './fit.js';

// The log view's title line. What an on-call engineer reads it for, in order: the countdown to the next restart
// (when is the next run whose log they are waiting for), which pod and container, previous or current run, then
// the counts and toggles. On a narrow terminal the title gives way in the reverse order: the counts and toggles
// go, the state is said in fewer words, then the pod name is cut (its workload and its random suffix stay, the
// pod-template hash goes first, as in the table), then the container's, the namespace's and the context's (with several contexts);
// the countdown is never cut.

export interface LogTitleParts {
  /** The cluster, named when the view shows several (contextLabel: already cut to its room). */
  context?: string;
  namespace: string;
  pod: string;
  /** The container shown, or undefined for all of them. */
  container?: string;
  /** `current run` or `previous run`. */
  reading: string;
  /** What the view is doing, in full: `following`, `waiting for the next run`, `paused · G to follow`. */
  state: string;
  /** The state in fewer words (`waiting`, `2 of 3 failed`), used on a narrow terminal (`next` after it). */
  brief?: string;
  /** The countdown to the next restart (`restart 7 in 2m13s`): kept whole at any width that can hold it. */
  next?: string;
  /** Counts and toggles (`40 lines`, `wrap`), each shown only whole and while it fits. */
  extras: readonly string[];
}

/** Narrowest the pod name is cut to (its start and its hash suffix stay readable), then other names. */
const MIN_POD = 16;
const MIN_NAME = 6;
/** Narrowest the context is cut to: `prod-eu-west` and `prod-us-east` must still read apart. */
const MIN_CONTEXT = 12;

/** The title in at most `width` columns. Names are sanitised by the caller. */
export function logTitle(
  parts: LogTitleParts,
  width: number,
  glyphs: { separator: string; ellipsis: string },
): string {
  const sep = ` ${glyphs.separator} `;
  const cut = (text: string, room: number) => truncateMiddle(text, Math.max(1, room), glyphs.ellipsis);
  const cutPod = (room: number) => truncatePodName(parts.pod, Math.max(1, room), glyphs.ellipsis);
  const head = (pod: number, other: number) =>
    `Logs ${parts.context === undefined ? '' : `${cut(parts.context, Math.max(other, MIN_CONTEXT))}: `}${cut(parts.namespace, other)}/${cutPod(pod)} ${
      parts.container === undefined ? 'all containers' : `[${cut(parts.container, other)}]`
    } ${parts.reading}`;
  const full = parts.next ? `${parts.state} (${parts.next})` : parts.state;
  const brief = parts.next ? `${parts.brief ?? parts.state}: ${parts.next}` : (parts.brief ?? parts.state);
  const wide = Number.POSITIVE_INFINITY;
  const withState = (state: string, pod: number, other: number) => `${head(pod, other)}${sep}${state}`;

  const fits = (text: string) => columns(text) <= width;
  let title = [withState(full, wide, wide), withState(brief, wide, wide)].find(fits);
  if (title === undefined) {
    // The pod name as wide as the room left, not narrower than MIN_POD; then the other names too.
    const podFor = (other: number) =>
      Math.max(MIN_POD, columns(parts.pod) - (columns(withState(brief, wide, other)) - width));
    title = [withState(brief, podFor(wide), wide), withState(brief, podFor(MIN_NAME), MIN_NAME)].find(fits);
  }
  if (title === undefined) {
    // Too narrow for everything: the countdown first, then as much of the rest as fits.
    if (!parts.next) return truncate(withState(full, wide, wide), width, glyphs.ellipsis);
    const rest = columns(brief + sep) < width ? `${sep}${head(MIN_POD, wide)}` : '';
    return truncate(brief + rest, width, glyphs.ellipsis);
  }
  for (const extra of parts.extras) {
    if (fits(title + sep + extra)) title += sep + extra;
    else break;
  }
  return title;
}
