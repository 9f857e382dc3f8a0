import type { Pod } from '../model/pod.js';
import type { PodRow, TableLine } from '../model/rows.js';

// The selection is an object, never a screen row (DESIGN.md §4): a pod (context, namespace, uid) or an
// owner group (its owner key). Re-sorts, inserts, deletes and regrouping move rows under it; only a key moves
// it. When its object is no longer listed, the line that took its place is selected and the caller says why.

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
  /** The identity now selected (undefined only when there are no lines). */
  id: string | undefined;
  /** Set when the selected object is no longer listed: its line, as last seen, was replaced by `id`'s. */
  lost?: boolean;
}

/**
 * Where the selection is in `lines`. `lastIndex` is where it was in the previous frame: if its object left,
 * the line now at that index (or the last line) is its neighbour. A pod hidden in a collapsed group selects
 * its group.
 */
export function resolveSelection(
  lines: readonly TableLine[],
  id: string | undefined,
  lastIndex: number,
): ResolvedSelection {
  if (lines.length === 0) return { index: 0, id };
  if (id === undefined) return { index: 0, id: lineId(lines[0]!) };
  const found = lines.findIndex((line) => lineId(line) === id);
  if (found >= 0) return { index: found, id };
  const group = lines.findIndex(
    (line) => line.kind === 'group' && line.group.pods.some((row) => podId(row) === id),
  );
  if (group >= 0) return { index: group, id: lineId(lines[group]!) };
  const index = Math.max(0, Math.min(lastIndex, lines.length - 1));
  return { index, id: lineId(lines[index]!), lost: true };
}
