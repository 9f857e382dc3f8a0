import type { Pod } from '../model/pod.js';
import type { PodRow, TableLine } from '../model/rows.js';

// The selection is an object, never a screen row (DESIGN.md §4): a pod (context, namespace, uid). Re-sorts,
// inserts, deletes and regrouping move rows under it; only a key moves it. When its pod is no longer listed,
// the pod that took its place is selected and the caller says why. An owner's header line (grouped view) is
// never selected: keys step over it.

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
  const found = lines.findIndex((line) => line.kind === 'pod' && lineId(line) === id);
  if (found >= 0) return { index: found, id };
  const index = podLineNear(lines, lastIndex, 1);
  return { index, id: lineId(lines[index]!), lost: true };
}
