import type { Pod } from '../model/pod.js';
import type { PodRow, TableLine } from '../model/rows.js';

// The selection is an object, never a screen row (DESIGN.md §4): a pod (context, namespace, uid). Re-sorts,
// inserts, deletes and regrouping move rows under it; only a key moves it. When its pod is no longer listed,
// the pod that took its place is selected and the caller says why. No pod (undefined) is the top row: App
// keeps it so until a key puts it on a pod (on watch, App.tsx). An owner's header line (grouped view) is never
// selected: keys step over it.

/** A pod's identity: a pod recreated under the same name (a new uid) is another pod. */
export function podIdentity(context: string, pod: Pod): string {
  return `pod:${context}/${pod.metadata.namespace ?? ''}/${pod.metadata.uid ?? pod.metadata.name}`;
}

export function podId(row: PodRow): string {
  return `pod:${row.context}/${row.namespace}/${row.uid ?? row.name}`;
}

/** The identity of a table line. */
export function lineId(line: TableLine): string {
  return line.kind === 'group' ? `group:${line.key}` : podId(line.row);
}

export interface ResolvedSelection {
  index: number;
  /** The identity now selected (undefined only when there are no pods). */
  id: string | undefined;
  /** Set when the selected pod is no longer listed: its line, as last seen, was replaced by `id`'s. */
  lost?: boolean;
}

/**
 * The pod line nearest `index`, looking first in `direction` (1 down, -1 up): a key that lands on an owner's
 * header goes on to the pod beyond it, or back when there is none.
 */
export function podLineNear(lines: readonly TableLine[], index: number, direction: 1 | -1): number {
  const start = Math.max(0, Math.min(lines.length - 1, index));
  for (const step of [direction, -direction]) {
    for (let i = start; i >= 0 && i < lines.length; i += step) if (lines[i]!.kind === 'pod') return i;
  }
  return start;
}

/**
 * Where the selection is in `lines`. `lastIndex` is where it was in the previous frame: if its pod left, the
 * pod now nearest that index is its neighbour.
 */
export function resolveSelection(
  lines: readonly TableLine[],
  id: string | undefined,
  lastIndex: number,
): ResolvedSelection {
  if (lines.length === 0) return { index: 0, id };
  const first = podLineNear(lines, 0, 1);
  if (id === undefined) return { index: first, id: lineId(lines[first]!) };
  // Where it was, most often (every clock tick): no search through 50,000 lines.
  const last = lines[lastIndex];
  if (last?.kind === 'pod' && lineId(last) === id) return { index: lastIndex, id };
  // Its last part first: building every line's id made a string per line (a re-sort moves the selected row).
  const found = lines.findIndex(
    (line) => line.kind === 'pod' && id.endsWith(line.row.uid ?? line.row.name) && podId(line.row) === id,
  );
  if (found >= 0) return { index: found, id };
  const index = podLineNear(lines, lastIndex, 1);
  return { index, id: lineId(lines[index]!), lost: true };
}

/**
 * The window of `rows` lines the table shows: `top`, its first line, keeps the selected line in view and moves
 * only as far as it must from `previousTop`; the first pod of a group brings its owner's line along. When the
 * first line shown is a pod whose owner's line has scrolled off, `sticky` is that owner line's index: it is drawn
 * in the first line's place, so every pod on screen shows whose it is (the selection is never the line covered).
 */
export function tableWindow(
  lines: readonly TableLine[],
  selected: number,
  previousTop: number,
  rows: number,
): { top: number; sticky?: number } {
  let top = previousTop;
  if (selected < top) top = selected;
  if (selected >= top + rows) top = selected - rows + 1;
  if (selected === top && lines[top - 1]?.kind === 'group') top--;
  top = Math.max(0, Math.min(top, lines.length - rows));
  const owner = ownerLine(lines, top);
  if (owner === undefined || rows < 3) return { top };
  if (selected !== top) return { top, sticky: owner };
  top--;
  return lines[top]?.kind === 'group' ? { top } : { top, sticky: owner };
}

/** The index of the owner line of the grouped pod at `index`. */
function ownerLine(lines: readonly TableLine[], index: number): number | undefined {
  const line = lines[index];
  if (line?.kind !== 'pod' || line.branch === undefined) return undefined;
  for (let i = index - 1; i >= 0; i--) if (lines[i]!.kind === 'group') return i;
  return undefined;
}
