import { type BackoffCurve, type ContainerBackoff, containerBackoff, noBackoff } from './backoff.js';
import { type CauseId, diagnoseCause, sameEventEvidence } from './classify/index.js';
import { restartsContainers } from './crash-loop.js';
import { LayeredMap } from './layered-map.js';
import { controllerOf, type Owner, ownerOf } from './owner.js';
import type { KubeEvent, Pod } from './pod.js';
import { failingRollout, type ReplicaSetLookup, stuckRolloutText } from './rollout.js';
import { labelMatcher, SelectorError } from './selector.js';
import {
  crashLoopEndsAt,
  effectiveRestartPolicy,
  type FailingContainer,
  failingContainers,
  isUnhealthy,
  type PodSummary,
  podSummary,
  statusSeverity,
} from './status.js';

// The rows of the live pod table: what each pod shows, how rows sort, filter and group, and which columns
// fit a terminal of a given width. Pure: time and terminal width come in as parameters, so the same rows
// serve every frame and only the countdown cells are recomputed each second.

/** The part of a cluster snapshot rows are built from (kube's ClusterSnapshot has this shape). */
export interface RowInput {
  readonly pods: ReadonlyMap<string, { readonly context: string; readonly pod: Pod }>;
  readonly events?: ReadonlyMap<string, readonly KubeEvent[]>;
}

export interface PodRow {
  /** The snapshot key (context/namespace/name). */
  key: string;
  context: string;
  namespace: string;
  name: string;
  /** metadata.uid: a pod recreated under the same name is another pod. */
  uid?: string;
  summary: PodSummary;
  /** At the time the row was built (RowClock); a row is built again when its crash loop ends. */
  unhealthy: boolean;
  /** A container of it is in a crash loop (crash-loop.ts): the kubelet holds its back-off. */
  crashLoop: boolean;
  /** API-server ms when that crash loop ends if nothing changes (Infinity while a container waits). */
  crashLoopEndsAt?: number;
  owner?: { kind: string; name: string };
  /** The container whose restart comes next (the one NEXT RESTART counts down for). */
  container?: string;
  backoff: ContainerBackoff;
  causeId?: CauseId;
  /** The cause is `unknown` without logs and the previous log is being read: show that, not `unknown`. */
  causePending?: boolean;
  createdAtMs?: number;
  /** The pod's labels (the `/-l app=web` filter). */
  labels: Readonly<Record<string, string>>;
}

export interface RowBuilderOptions {
  curve?: BackoffCurve;
}

/**
 * The time rows are built at: whether a pod is in a crash loop depends on it (a run passes the back-off reset
 * window). Without it, a container running again after a crash counts only while it is not ready.
 */
export interface RowClock {
  localNowMs: number;
  /** The API server's clock minus ours, per context. */
  offsetMs(context: string): number;
}

/** What one snapshot changed in the rows: a rebuilt row is in both lists (its old object, then its new one). */
export interface RowChanges {
  /** Rows no longer current (their pod went away or was rebuilt), the objects given before. */
  removed: PodRow[];
  /** Rows that are new (their pod came or was rebuilt). */
  added: PodRow[];
}

/** Builds rows from snapshots; also says which pods the last snapshot gave as siblings of a pod. */
export interface RowBuilder {
  /** Every row, in the input's order: the same array while no row changed. */
  (input: RowInput, clock?: RowClock): PodRow[];
  /** Brings the rows up to the input and says which changed: costs the changes, not the pods. */
  update(input: RowInput, clock?: RowClock): RowChanges;
  /** Every current row, in no particular order (the same array until a row changes). */
  rows(): readonly PodRow[];
  /**
   * The local time from which `update` builds a row again because its crash loop ended (or a little
   * earlier; infinite: none will): before it, a clock tick changes no row.
   */
  nextExpiryMs(): number;
  /** The pods that may share a rollout with this pod (same context, namespace and owner), itself included. */
  siblings(context: string, pod: Pod): readonly Pod[];
}

/**
 * Rows for every pod of the input. Classifying 10,000 pods on every watch event would cost more than the
 * rest of a frame, so a row is rebuilt only when its pod object or its event list changed, or when its crash
 * loop ended: the watcher replaces a pod object when the pod changes, and shares it otherwise. Which pods to
 * look at comes from the input's maps (LayeredMap.changedKeys) when they are versions of one map, so a
 * snapshot costs its changes; other maps are compared entry by entry. A sibling's change rebuilds no other
 * row: a row keeps only its cause's id, and a failing rollout never changes that (it adds evidence and leads
 * the fix, classify.ts causeOf), so rows are classified without siblings; the sibling groups are kept for
 * the detail view's diagnosis, which shows the rollout.
 */
export function createRowBuilder(options: RowBuilderOptions = {}): RowBuilder {
  const entries = new Map<string, RowEntry>();
  /** Sibling group → its pods by key. */
  const members = new Map<string, SiblingGroup>();
  /** Sibling group → its pods in key order (what the detail view's classifier is given). */
  const groups = new Map<string, readonly Pod[]>();
  /** Keys of rows in a crash loop → the local time it ends at: rows are built again from then on. */
  const expiring = new Map<string, number>();
  /** The earliest of `expiring` (or earlier: it is only lowered until a crash loop ends). */
  let nextExpiryMs = Number.POSITIVE_INFINITY;
  let lastInput: RowInput | undefined;
  let all: PodRow[] | undefined;
  /** `build`'s rows in the input's order, dropped with `all` when a row changes. */
  let ordered: PodRow[] | undefined;

  const join = (group: string, owner: Owner | undefined, key: string, pod: Pod, dirty: Set<string>) => {
    let siblings = members.get(group);
    if (!siblings) {
      siblings = { key: group, owner, pods: new Map() };
      members.set(group, siblings);
    }
    siblings.pods.set(key, pod);
    dirty.add(group);
    return siblings;
  };
  const leave = (group: string, key: string, dirty: Set<string>) => {
    members.get(group)?.pods.delete(key);
    dirty.add(group);
  };

  const update = (input: RowInput, clock?: RowClock): RowChanges => {
    const expired = clock !== undefined && clock.localNowMs >= nextExpiryMs;
    const changes: RowChanges = { removed: [], added: [] };
    // A clock tick with the same pods and events and no crash loop ended: nothing to look at.
    if (!expired && lastInput?.pods === input.pods && lastInput.events === input.events) return changes;
    const podKeys = LayeredMap.changedKeys(lastInput?.pods, input.pods);
    const eventKeys = podKeys && LayeredMap.changedKeys(lastInput?.events, input.events);
    // Remembered once built: a build that throws is tried again, in full.
    lastInput = undefined;
    const rebuild = new Set<string>();
    const dirty = new Set<string>();
    const take = (key: string, watched: { readonly context: string; readonly pod: Pod } | undefined) => {
      const entry = entries.get(key);
      if (watched === undefined) {
        if (entry === undefined) return;
        leave(entry.group, key, dirty);
        entries.delete(key);
        expiring.delete(key);
        rebuild.delete(key);
        if (entry.row) changes.removed.push(entry.row);
        return;
      }
      if (entry?.pod === watched.pod) return;
      const { context, pod } = watched;
      const owner = ownerOf(pod);
      const group = siblingKey(context, pod, owner);
      if (entry && entry.group !== group) leave(entry.group, key, dirty);
      const siblings = join(group, owner, key, pod, dirty);
      // The group's key and owner, equal to this pod's, held once for all its rows rather than once per row.
      entries.set(key, {
        pod,
        context,
        group: siblings.key,
        owner: sameOwner(siblings.owner, owner) ? siblings.owner : owner,
        row: entry?.row,
        events: entry?.events,
      });
      rebuild.add(key);
    };
    if (podKeys) for (const key of podKeys) take(key, input.pods.get(key));
    else {
      for (const [key, watched] of input.pods) take(key, watched);
      // Every key of the input is remembered by now, so more remembered pods means some went away.
      if (entries.size > input.pods.size) {
        for (const key of [...entries.keys()]) if (!input.pods.has(key)) take(key, undefined);
      }
    }
    for (const group of dirty) {
      const pods = members.get(group)?.pods;
      if (pods === undefined || pods.size === 0) {
        members.delete(group);
        groups.delete(group);
      } else groups.set(group, siblingOrder(pods));
    }
    for (const key of eventKeys ?? entries.keys()) {
      const entry = entries.get(key);
      if (entry === undefined || rebuild.has(key)) continue;
      const events = input.events?.get(key);
      if (entry.events === events) continue;
      // Events reach a row only through its cause: a healthy row has none, and a count bump (most of a crash
      // loop's events) is no new evidence. The row stays the same object, so nothing downstream redraws it.
      if (entry.row?.unhealthy === false || sameEventEvidence(entry.events, events)) entry.events = events;
      else rebuild.add(key);
    }
    if (expired) {
      nextExpiryMs = Number.POSITIVE_INFINITY;
      for (const [key, at] of expiring) {
        if (at <= clock.localNowMs) rebuild.add(key);
        else nextExpiryMs = Math.min(nextExpiryMs, at);
      }
    }

    const nowOf = clock ? (context: string) => clock.localNowMs + clock.offsetMs(context) : undefined;
    for (const key of rebuild) {
      const entry = entries.get(key)!;
      const events = input.events?.get(key);
      const row = podRow(key, entry.context, entry.pod, events, {
        ...options,
        nowMs: nowOf?.(entry.context),
        owner: entry.owner,
      });
      if (entry.row) changes.removed.push(entry.row);
      changes.added.push(row);
      entry.row = row;
      entry.events = events;
      expiring.delete(key);
      if (row.crashLoopEndsAt !== undefined && clock !== undefined) {
        const at = row.crashLoopEndsAt - clock.offsetMs(entry.context);
        expiring.set(key, at);
        nextExpiryMs = Math.min(nextExpiryMs, at);
      }
    }
    if (changes.removed.length > 0 || changes.added.length > 0) {
      all = undefined;
      ordered = undefined;
    }
    lastInput = input;
    return changes;
  };
  const build = (input: RowInput, clock?: RowClock): PodRow[] => {
    update(input, clock);
    // The same rows of the same keys: the input's order cannot have changed either.
    if (ordered?.length === input.pods.size) return ordered;
    ordered = [...input.pods.keys()].map((key) => entries.get(key)!.row!);
    return ordered;
  };
  const rows = (): readonly PodRow[] => {
    all ??= [...entries.values()].map((entry) => entry.row!);
    return all;
  };
  return Object.assign(build, {
    update,
    rows,
    nextExpiryMs: () => nextExpiryMs,
    siblings: (context: string, pod: Pod) => groups.get(siblingKey(context, pod, ownerOf(pod))) ?? [],
  });
}

/** By key: the same pods give the same order however they arrived (the classifier breaks ties by order). */
function siblingOrder(pods: ReadonlyMap<string, Pod>): Pod[] {
  return [...pods].sort(([a], [b]) => compare(a, b)).map(([, pod]) => pod);
}

interface SiblingGroup {
  /** siblingKey: the one copy of it that entries hold. */
  key: string;
  /** Its first pod's owner: the object every row of the group shows. */
  owner: Owner | undefined;
  pods: Map<string, Pod>;
}

function sameOwner(a: Owner | undefined, b: Owner | undefined): boolean {
  return a === b || (a !== undefined && b !== undefined && a.kind === b.kind && a.name === b.name);
}

interface RowEntry {
  pod: Pod;
  context: string;
  /** Its sibling group (siblingKey). */
  group: string;
  owner: Owner | undefined;
  /** The pod's events as last seen; the row was built with them or with the same evidence (undefined until built). */
  row: PodRow | undefined;
  events: readonly KubeEvent[] | undefined;
}

/**
 * A rollout is judged among the pods of one Deployment (model/rollout.ts), so grouping by owner gives the
 * classifier every sibling it can use, at a cost per pod of its own workload's size rather than the
 * namespace's.
 */
function siblingKey(context: string, pod: Pod, owner: Owner | undefined): string {
  const who = owner ? `${owner.kind}/${owner.name}` : `Pod/${pod.metadata.name}`;
  return `${context}/${pod.metadata.namespace ?? ''}/${who}`;
}

const noLabels: Readonly<Record<string, string>> = Object.freeze({});

/** One row; `nowMs` (the API server's time) dates crash loops, see RowClock. */
export function podRow(
  key: string,
  context: string,
  pod: Pod,
  events: readonly KubeEvent[] | undefined,
  options: RowBuilderOptions & {
    nowMs?: number;
    /** ownerOf(pod), when the caller has it: the row builder gives a sibling group's rows one object. */
    owner?: Owner;
  } = {},
): PodRow {
  const { nowMs } = options;
  // Each of these reads the failing containers: found once per row (the first list builds thousands).
  const failing = failingContainers(pod, nowMs);
  const summary = podSummary(pod);
  const unhealthy = isUnhealthy(pod, nowMs, failing, summary);
  const endsAt = crashLoopEndsAt(pod, nowMs, failing);
  const next = nextRestart(pod, failing, options.curve);
  const created = pod.metadata.creationTimestamp ? Date.parse(pod.metadata.creationTimestamp) : Number.NaN;
  return {
    key,
    context,
    namespace: pod.metadata.namespace ?? '',
    name: pod.metadata.name,
    ...(pod.metadata.uid ? { uid: pod.metadata.uid } : {}),
    summary,
    unhealthy,
    crashLoop: endsAt !== undefined,
    ...(endsAt !== undefined ? { crashLoopEndsAt: endsAt } : {}),
    owner: options.owner ?? ownerOf(pod),
    container: next?.container,
    backoff: next?.backoff ?? noBackoff,
    causeId: unhealthy ? diagnoseCause({ pod, events, context, nowMs }) : undefined,
    createdAtMs: Number.isNaN(created) ? undefined : created,
    labels: pod.metadata.labels ?? noLabels,
  };
}

/**
 * The failing container that restarts soonest, or whose backoff resets soonest if none is waiting. A pod
 * being deleted or finished restarts nothing.
 */
function nextRestart(
  pod: Pod,
  failingNow: readonly FailingContainer[],
  curve?: BackoffCurve,
): { container: string; backoff: ContainerBackoff } | undefined {
  if (!restartsContainers(pod)) return undefined;
  let best: { container: string; backoff: ContainerBackoff } | undefined;
  for (const failing of failingNow) {
    const restartPolicy = effectiveRestartPolicy(pod, failing.name, failing.init);
    const backoff = containerBackoff(failing.status, { curve, restartPolicy });
    const candidate = { container: failing.name, backoff };
    if (!best || dueAt(backoff) < dueAt(best.backoff)) best = candidate;
  }
  return best;
}

/** When a row's next thing happens, for sorting: restarts first (by time), then backoff resets, then nothing. */
function dueAt(backoff: ContainerBackoff): number {
  switch (backoff.kind) {
    case 'waiting':
    case 'pending-restart':
      return backoff.nextRestartAt ?? Number.MAX_SAFE_INTEGER / 4;
    case 'running-after-crash':
      return Number.MAX_SAFE_INTEGER / 2 + backoff.resetAt / 4;
    case 'none':
      return Number.MAX_SAFE_INTEGER;
  }
}

// ---- sort ----

export type SortDirection = 'ascending' | 'descending';

/** The table's order: a column (its `sort` says how its cells compare) and a direction. */
export interface TableSort {
  column: ColumnId;
  direction: SortDirection;
}

/** The three named sorts `S` cycles through: soonest restart, most restarts, name. */
export const NAMED_SORTS: readonly TableSort[] = [
  { column: 'next', direction: 'ascending' },
  { column: 'restarts', direction: 'descending' },
  { column: 'name', direction: 'ascending' },
];

/** The named sort after `sort` (the first one from a column sort that is not a named one). */
export function nextNamedSort(sort: TableSort): TableSort {
  const at = NAMED_SORTS.findIndex((s) => s.column === sort.column && s.direction === sort.direction);
  return NAMED_SORTS[(at + 1) % NAMED_SORTS.length]!;
}

/** Sort by `column`: in its first direction, or the other way when it is the sort already (as k9s does). */
export function sortByColumn(sort: TableSort, column: ColumnId): TableSort {
  if (sort.column !== column) return { column, direction: columnById(column).sort.first };
  return { column, direction: sort.direction === 'ascending' ? 'descending' : 'ascending' };
}

/**
 * Unhealthy pods always come first (the table exists for them); within each half, the column's value in the
 * sort's direction, a row without a value last either way, then context, namespace and name, so equal rows
 * keep their place from one watch event to the next.
 */
export function sortRows(rows: readonly PodRow[], sort: TableSort): PodRow[] {
  const { value } = columnById(sort.column).sort;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = rows.map((row) => ({ row, value: value(row), tie: tieKey(row) }));
  keyed.sort((a, b) => compareKeyed(a, b, sign));
  return keyed.map((k) => k.row);
}

/** sortRows's order as a comparison of two rows, for placing a few rows among rows already sorted. */
export function rowOrder(sort: TableSort): (a: PodRow, b: PodRow) => number {
  const { value } = columnById(sort.column).sort;
  const sign = sort.direction === 'ascending' ? 1 : -1;
  const keyed = (row: PodRow): KeyedRow => ({ row, value: value(row), tie: tieKey(row) });
  // A binary search compares many rows with one row: that one's keys are taken once.
  let last: KeyedRow | undefined;
  return (a, b) => {
    if (last?.row !== b) last = keyed(b);
    return compareKeyed(keyed(a), last, sign);
  };
}

interface KeyedRow {
  row: PodRow;
  value: SortValue | undefined;
  tie: string;
}

function compareKeyed(a: KeyedRow, b: KeyedRow, sign: number): number {
  return (
    Number(b.row.unhealthy) - Number(a.row.unhealthy) ||
    Number(a.value === undefined) - Number(b.value === undefined) ||
    sign * compareValues(a.value, b.value) ||
    compare(a.tie, b.tie) ||
    compare(a.row.key, b.row.key)
  );
}

function compareValues(a: SortValue | undefined, b: SortValue | undefined): number {
  if (a === undefined || b === undefined) return 0;
  if (typeof a === 'number' && typeof b === 'number') return a - b;
  return compare(String(a), String(b));
}

/**
 * Text that sorts as people count when compared code point by code point: lower case, every run of digits
 * without its leading zeros padded to 16 (`web-2` before `web-10`). An Intl.Collator gives the same order for Kubernetes names, but sorting
 * 10,000 rows with it took 3 to 5 times longer (about 130,000 comparisons a sort).
 */
export function naturalKey(text: string): string {
  // A scan, not a replace with a callback per run of digits: a full sort of 50,000 rows makes 150,000 of these
  // (three per row). Joined, not concatenated: a sort compares these strings a million times, and V8 compares
  // a concatenation (a rope) piece by piece each time.
  const lower = text.toLowerCase();
  const parts: string[] = [];
  let from = 0;
  for (let i = 0; i < lower.length; i++) {
    if (!isDigit(lower.charCodeAt(i))) continue;
    const start = i;
    let significant = -1;
    for (; i < lower.length && isDigit(lower.charCodeAt(i)); i++) {
      if (significant < 0 && lower.charCodeAt(i) !== ZERO) significant = i;
    }
    const digits = significant < 0 ? '0' : lower.slice(significant, i);
    parts.push(lower.slice(from, start), '0'.repeat(Math.max(0, 16 - digits.length)), digits);
    from = i;
  }
  if (from === 0) return lower;
  parts.push(lower.slice(from));
  return parts.join('');
}

const ZERO = 48;
const isDigit = (code: number) => code >= ZERO && code <= ZERO + 9;

/** Rows are rebuilt only when their pod changes (createRowBuilder), so their tie keys are worth keeping. */
const TIE_KEYS = new WeakMap<PodRow, string>();

/** Equal values keep context, namespace, name order, so rows do not trade places between watch events. */
function tieKey(row: PodRow): string {
  let key = TIE_KEYS.get(row);
  if (key === undefined) {
    key = [naturalKey(row.context), naturalKey(row.namespace), naturalKey(row.name)].join('\u0000');
    TIE_KEYS.set(row, key);
  }
  return key;
}

function compare(a: string, b: string): number {
  return a < b ? -1 : a > b ? 1 : 0;
}

/** READY `1/3` as a number: the share of containers ready, then (for equal shares) fewer containers first. */
function readiness(ready: string): number | undefined {
  const [up, total] = ready.split('/').map(Number);
  if (up === undefined || total === undefined || !Number.isFinite(up) || !Number.isFinite(total))
    return undefined;
  return total === 0 ? 1 : up / total + total / 1e6;
}

// ---- filter ----

export interface RowFilter {
  /** Case-insensitive substring of namespace, name, status, cause id, owner or context; or `-l SELECTOR`. */
  text?: string;
  /** Only this namespace (the `n` picker); undefined means every watched namespace. */
  namespace?: string;
  unhealthyOnly: boolean;
}

/** `-l app=web,tier!=db`: a label selector instead of text, as kubectl takes it. */
const LABEL_FILTER = /^-l\s*(.*)$/;

/**
 * The filter's label selector when its text is `-l SELECTOR`; a selector still being typed (or wrong) matches
 * nothing rather than everything, so a half-typed `-l app=` never shows pods it does not select.
 */
function filterMatcher(text: string): ((row: PodRow) => boolean) | undefined {
  const selector = LABEL_FILTER.exec(text)?.[1];
  if (selector === undefined) return undefined;
  try {
    const matches = labelMatcher(selector.trim());
    return (row) => matches(row.labels);
  } catch (error) {
    if (error instanceof SelectorError) return () => false;
    throw error;
  }
}

/**
 * Why the filter's label selector does not parse, or undefined (text, or a valid selector). A typo must not
 * read as "no pod matches": the view says the selector is wrong instead of showing zero matches.
 */
export function filterProblem(text: string | undefined): string | undefined {
  const selector = LABEL_FILTER.exec(text?.trim() ?? '')?.[1];
  if (selector === undefined) return undefined;
  try {
    labelMatcher(selector.trim());
    return undefined;
  } catch (error) {
    if (error instanceof SelectorError) return error.why;
    throw error;
  }
}

export function filterRows(rows: readonly PodRow[], filter: RowFilter): PodRow[] {
  return rows.filter(rowMatcher(filter));
}

/** Whether the filter keeps a row (what filterRows keeps). */
export function rowMatcher(filter: RowFilter): (row: PodRow) => boolean {
  const text = filter.text?.trim() ?? '';
  const byLabels = filterMatcher(text);
  const needle = text.toLowerCase();
  return (row) =>
    (!filter.unhealthyOnly || row.unhealthy) &&
    (filter.namespace === undefined || row.namespace === filter.namespace) &&
    (byLabels ? byLabels(row) : !needle || searchText(row).includes(needle));
}

/** Rows outlive many keystrokes (the row builder keeps them): each one's search text is built once. */
const searchTexts = new WeakMap<PodRow, string>();

function searchText(row: PodRow): string {
  let text = searchTexts.get(row);
  if (text === undefined) {
    text = [
      row.context,
      row.namespace,
      row.name,
      row.summary.status,
      row.causeId ?? '',
      row.owner?.name ?? '',
    ]
      .join('\u0000')
      .toLowerCase();
    searchTexts.set(row, text);
  }
  return text;
}

/**
 * Whether every row `next` keeps is also kept by `previous` (the user typed more of a text filter), so that
 * `next` can be applied to what `previous` showed, in the order it was sorted. A label selector is not
 * narrowed by typing more (`-l app=web` → `-l app=web,x` may be wrong until finished).
 */
export function narrows(previous: RowFilter, next: RowFilter): boolean {
  const before = previous.text?.trim().toLowerCase() ?? '';
  const after = next.text?.trim().toLowerCase() ?? '';
  return (
    previous.namespace === next.namespace &&
    previous.unhealthyOnly === next.unhealthyOnly &&
    !LABEL_FILTER.test(before) &&
    !LABEL_FILTER.test(after) &&
    after.includes(before)
  );
}

// ---- group by owner ----

export interface OwnerGroup {
  key: string;
  context: string;
  namespace: string;
  /** Deployment, StatefulSet, DaemonSet, Job…; `Pod` for a pod nobody owns. */
  kind: string;
  name: string;
  pods: PodRow[];
  unhealthy: number;
  /** Pods in a crash loop (crash-loop.ts), whatever their STATUS. */
  crashLooping: number;
  /** Pods per STATUS, most frequent first. */
  byStatus: [status: string, count: number][];
}

/** Groups in the order of their first pod in `rows`, so the current sort orders the groups too. */
export function groupByOwner(rows: readonly PodRow[]): OwnerGroup[] {
  const groups = new Map<string, OwnerGroup>();
  for (const row of rows) {
    const kind = row.owner?.kind ?? 'Pod';
    const name = row.owner?.name ?? row.name;
    const key = `${row.context}/${row.namespace}/${kind}/${name}`;
    let group = groups.get(key);
    if (!group) {
      group = {
        key,
        context: row.context,
        namespace: row.namespace,
        kind,
        name,
        pods: [],
        unhealthy: 0,
        crashLooping: 0,
        byStatus: [],
      };
      groups.set(key, group);
    }
    group.pods.push(row);
    if (row.unhealthy) group.unhealthy++;
    if (row.crashLoop) group.crashLooping++;
  }
  for (const group of groups.values()) group.byStatus = statusCounts(group.pods);
  return [...groups.values()];
}

/**
 * What an owner's group line says of a stuck rollout (rollout.ts), or undefined: looked for among all the
 * owner's pods (`siblings`, shown or not: with "unhealthy only" the old ReplicaSet's running pods are hidden),
 * from one unhealthy pod of each ReplicaSet in the group, since its other pods would give the same answer.
 * `replicaSets` gives what was read of the Deployment's ReplicaSets (undefined: not read, a guess).
 */
export function groupRollout(
  group: OwnerGroup,
  pods: RowInput['pods'],
  siblings: (context: string, pod: Pod) => readonly Pod[],
  replicaSets?: (context: string, pod: Pod, siblings: readonly Pod[]) => ReplicaSetLookup | undefined,
): string | undefined {
  if (group.kind !== 'Deployment' || group.unhealthy === 0) return undefined;
  const tried = new Set<string>();
  for (const row of group.pods) {
    const pod = row.unhealthy ? pods.get(row.key)?.pod : undefined;
    const replicaSet = pod && controllerOf(pod)?.name;
    if (!pod || replicaSet === undefined || tried.has(replicaSet)) continue;
    tried.add(replicaSet);
    const others = siblings(row.context, pod);
    const rollout = failingRollout(pod, others, replicaSets?.(row.context, pod, others));
    if (rollout) return stuckRolloutText(rollout, row.crashLoop ? 'crash-looping' : row.summary.status);
  }
  return undefined;
}

/** Pods per STATUS, most frequent first (the header's counts). */
export function statusCounts(rows: readonly PodRow[]): [status: string, count: number][] {
  const counts = new Map<string, number>();
  for (const row of rows) counts.set(row.summary.status, (counts.get(row.summary.status) ?? 0) + 1);
  return byFrequency(counts);
}

function byFrequency(counts: ReadonlyMap<string, number>): [status: string, count: number][] {
  return [...counts].sort((a, b) => b[1] - a[1] || compare(a[0], b[0]));
}

/** The header's counts: `looping` pods in a crash loop first (whatever their STATUS), then pods per STATUS. */
export function headerCounts(
  looping: number,
  perStatus: ReadonlyMap<string, number>,
): [label: string, count: number][] {
  const byStatus = byFrequency(perStatus);
  return looping > 0 ? [['crash-looping', looping], ...byStatus] : byStatus;
}

/**
 * One line of the table: a pod, or (grouped) an owner's header line with its pods under it. `branch` says where
 * a grouped pod is in its group (the last one closes it), so the table can draw them as the header's children.
 */
export type TableLine =
  | { kind: 'pod'; key: string; row: PodRow; branch?: 'middle' | 'last' }
  | { kind: 'group'; key: string; group: OwnerGroup };

export function tableLines(rows: readonly PodRow[], grouping: { byOwner: boolean }): TableLine[] {
  if (!grouping.byOwner) return rows.map((row) => ({ kind: 'pod', key: row.key, row }));
  const lines: TableLine[] = [];
  for (const group of groupByOwner(rows)) {
    lines.push({ kind: 'group', key: group.key, group });
    const last = group.pods.at(-1);
    for (const row of group.pods)
      lines.push({ kind: 'pod', key: row.key, row, branch: row === last ? 'last' : 'middle' });
  }
  return lines;
}

// ---- bell ----

/** Keys of pods in a crash loop now (crash-loop.ts: waiting, restarting or running between crashes). */
export function crashLoopKeys(rows: readonly PodRow[]): Set<string> {
  return new Set(rows.filter((row) => row.crashLoop).map((row) => row.key));
}

/** Pods that entered a crash loop since `before` (a pod first seen already crash-looping counts too). */
export function newCrashLoops(before: ReadonlySet<string>, now: ReadonlySet<string>): string[] {
  return [...now].filter((key) => !before.has(key));
}

// ---- columns ----

export type ColumnId =
  | 'context'
  | 'namespace'
  | 'name'
  | 'ready'
  | 'status'
  | 'restarts'
  | 'next'
  | 'cause'
  | 'age';

/**
 * A table column as data, like k9s's HeaderColumn: the drawing code only reads these. Widths are in
 * terminal columns. `drop` is the order in which columns go when the terminal is too narrow (1 goes
 * first); columns without it always stay. Room left over goes to columns in `share` order (lowest first),
 * each up to its content.
 */
export interface Column {
  id: ColumnId;
  title: string;
  align: 'left' | 'right';
  /** Where a too-long cell is cut: names keep their distinguishing suffix, pod names their workload too. */
  cut: 'end' | 'middle' | 'pod';
  /** Narrowest useful width. */
  min: number;
  /** Widest it gets even when the content is wider (the cell is cut with an ellipsis). */
  max: number;
  drop?: number;
  /** Shown whole or not at all: a RESTARTS cut to `75 (3m32s a…` helps nobody. */
  whole?: boolean;
  /** Room its cells use beside their widest content where there is room for it (NEXT RESTART's bar). */
  beside?: number;
  /**
   * Room counted for it while deciding whether the `minor` columns fit: STATUS's and CAUSE's longest values
   * go before AGE, READY, NAMESPACE or CONTEXT.
   */
  reserve?: number;
  /** Goes when the others would not get their reserve (the rest go only when even their minimum is short). */
  minor?: boolean;
  /**
   * Never narrower than its widest cell and its title while the others can give room (down to 20 columns): a
   * countdown cut to `restarti…`, its title to `NEXT RES▲`, reads as nothing, while a cut name or STATUS still
   * says which pod and what state.
   */
  cutLast?: boolean;
  /**
   * What it tells apart in the rows of several clusters (CONTEXT the cluster, NAMESPACE the namespace): with
   * several contexts it goes after the columns that tell nothing apart.
   */
  identifies?: 'cluster' | 'namespace';
  share: number;
  /** Its place in `share` order with several contexts: CONTEXT and NAMESPACE tell rows apart, right after CAUSE. */
  shareSeveral?: number;
  sort: ColumnSort;
}

export type SortValue = number | string;

/** How a column orders rows: the value compared (numbers as numbers, text naturally) and its first direction. */
export interface ColumnSort {
  /** Undefined when the row has none (no AGE, no CAUSE): such rows go last in either direction. */
  value(row: PodRow): SortValue | undefined;
  first: SortDirection;
}

export function columnById(id: ColumnId): Column {
  return POD_COLUMNS.find((c) => c.id === id)!;
}

const byText = (text: (row: PodRow) => string | undefined): ColumnSort => ({
  value: (row) => {
    const value = text(row);
    return value ? naturalKey(value) : undefined;
  },
  first: 'ascending',
});

// Drop order (1 goes first), the same at every width and for any data: AGE, READY, NAMESPACE, CONTEXT, then
// RESTARTS, then CAUSE; with several contexts AGE, READY, RESTARTS, CAUSE, NAMESPACE, then CONTEXT. NAME
// (cut so its workload and its random suffix stay), STATUS and NEXT RESTART stay, STATUS down to NAME and STATUS
// at CUT_FLOOR beside the countdown (layoutColumns); NEXT RESTART drops its bar before anything else goes
// (ui/cells.ts).
export const POD_COLUMNS: readonly Column[] = [
  {
    id: 'context',
    title: 'CONTEXT',
    align: 'left',
    cut: 'middle',
    min: 7,
    max: 20,
    drop: 4,
    minor: true,
    identifies: 'cluster',
    share: 6,
    shareSeveral: 2,
    sort: byText((row) => row.context),
  },
  {
    id: 'namespace',
    title: 'NAMESPACE',
    align: 'left',
    cut: 'middle',
    min: 9,
    max: 20,
    drop: 3,
    minor: true,
    identifies: 'namespace',
    share: 7,
    shareSeveral: 3,
    sort: byText((row) => row.namespace),
  },
  {
    id: 'name',
    title: 'NAME',
    align: 'left',
    cut: 'pod',
    min: 19,
    max: 63,
    share: 5,
    sort: byText((row) => row.name),
  },
  // The least ready first: 0/3 before 2/3 before 1/1.
  {
    id: 'ready',
    title: 'READY',
    align: 'left',
    cut: 'end',
    min: 5,
    max: 7,
    drop: 2,
    minor: true,
    share: 9,
    sort: { value: (row) => readiness(row.summary.ready), first: 'ascending' },
  },
  // The longest STATUS kubectl prints for these pods (`CreateContainerConfigError` is 26).
  // The worst first (statusSeverity), then alphabetically within a severity.
  {
    id: 'status',
    title: 'STATUS',
    align: 'left',
    cut: 'end',
    min: 16,
    max: 26,
    reserve: 26,
    share: 4,
    sort: {
      value: (row) => `${statusSeverity(row.summary.status)} ${row.summary.status}`,
      first: 'ascending',
    },
  },
  // kubectl's `75 (3m32s ago)`: the count, then HumanDuration (at most 5 characters) in ` (… ago)`.
  {
    id: 'restarts',
    title: 'RESTARTS',
    align: 'right',
    cut: 'end',
    min: 8,
    max: 17,
    drop: 5,
    whole: true,
    share: 0,
    // The count, most first (k9s sorts RESTARTS descending first too).
    sort: { value: (row) => row.summary.restarts, first: 'descending' },
  },
  // "resets in 9m59s" (15) whole; the bar (" █████", 6 more) only where there is room for it. Its content is the
  // widest label its rows can show (ui/measure.ts): the label changes every second.
  // Soonest restart first, then the soonest back-off reset; a pod with neither has no value.
  {
    id: 'next',
    title: 'NEXT RESTART',
    align: 'left',
    cut: 'end',
    min: 15,
    max: 21,
    beside: 6,
    cutLast: true,
    share: 8,
    sort: {
      value: (row) => (row.backoff.kind === 'none' ? undefined : dueAt(row.backoff)),
      first: 'ascending',
    },
  },
  {
    id: 'cause',
    title: 'CAUSE',
    align: 'left',
    cut: 'end',
    min: 9,
    max: 22,
    reserve: 22,
    drop: 6,
    share: 1,
    sort: byText((row) => row.causeId),
  },
  // HumanDuration is at most 5 characters below 10 years ("7m18s", "4h59m", "120m", "6d23h").
  // As a duration, the youngest first (k9s's first direction): a later creation is a smaller age.
  {
    id: 'age',
    title: 'AGE',
    align: 'right',
    cut: 'end',
    min: 5,
    max: 7,
    drop: 1,
    minor: true,
    share: 10,
    sort: {
      value: (row) => (row.createdAtMs === undefined ? undefined : -row.createdAtMs),
      first: 'ascending',
    },
  },
];

export const COLUMN_GAP = 2;

/** How far NAME and STATUS are cut before a `cutLast` column: `CrashLo…`, `pa…def34` still read. */
const CUT_FLOOR = 8;

/** How far NAME is cut for CONTEXT to be whole: `report-bu…-7fhxk` still says its workload. */
const NAME_FOR_CONTEXT = 16;

export interface PlacedColumn {
  column: Column;
  width: number;
  /** CONTEXT's text for each context in `width` (several contexts: told apart, not just cut). */
  contextCells?: ReadonlyMap<string, string>;
}

/**
 * Which columns fit `width` terminal columns and how wide each is. `content` gives the widest cell of a
 * column (measured by the caller over the rows); a column is as wide as that, never narrower than its title (the
 * sorted one's with its mark), and as wide as `min` where there is room. Columns are dropped by `drop` order until
 * the rest fits, the sorted column last: rows ordered by a column the user cannot see move for no visible reason,
 * so it takes the place of columns that would stay without it, and goes only when it cannot fit even then. The
 * total never exceeds `width`.
 */
export function layoutColumns(
  width: number,
  options: {
    multiContext: boolean;
    content?: Partial<Record<ColumnId, number>>;
    /** The sorted column asks for room for its direction mark after its title (spare room only). */
    sorted?: ColumnId;
    /** Columns the first column's cells give to something before their text (grouped: the owner's branch). */
    indent?: number;
  },
): PlacedColumn[] {
  const titleRoom = (c: Column) => c.title.length + (c.id === options.sorted ? 1 : 0);
  // Which columns show depends on the terminal's width and the sort only, never on the rows (columns that
  // come and go with the data read as a glitch): a whole column counts at its widest, the others at their
  // narrowest, or at their reserve while a `minor` column is in question. The sort's mark is not counted: its
  // column room would have dropped the sorted column itself where it just fits unsorted (the header then cuts
  // the title for the mark, headerLine).
  const unmarked = (c: Column) => Math.max(c.min, c.title.length);
  const fixed = (c: Column, reserved: boolean) =>
    c.whole ? c.max : Math.max(unmarked(c), reserved ? (c.reserve ?? 0) : 0);
  const needed = (cs: readonly Column[], reserved: boolean) =>
    cs.reduce((sum, c) => sum + fixed(c, reserved), 0) + COLUMN_GAP * (cs.length - 1);
  /** What `cs` need with the columns that may be cut below their minimum cut to CUT_FLOOR. */
  const squeezed = (cs: readonly Column[]) =>
    cs.reduce(
      (sum, c) => sum + (c.whole ? c.max : c.cutLast ? unmarked(c) : Math.min(unmarked(c), CUT_FLOOR)),
      0,
    ) +
    COLUMN_GAP * (cs.length - 1);
  let columns = POD_COLUMNS.filter((c) => c.id !== 'context' || options.multiContext);
  const sorted = (c: Column) => c.id === options.sorted;
  // With several clusters, two pods can have the same name in the same namespace: CONTEXT and NAMESPACE are
  // what tells their rows apart, so they outlast the columns that do not and do not give way to STATUS's and
  // CAUSE's reserve. The sorted column outlasts NAMESPACE (as it does with one cluster), never CONTEXT.
  const identifies = (c: Column) => (options.multiContext ? c.identifies : undefined);
  const rank = (c: Column) =>
    identifies(c) === 'cluster' ? 3 : sorted(c) ? 2 : identifies(c) === 'namespace' ? 1 : 0;
  const droppable = columns
    .filter((c) => c.drop !== undefined)
    .sort((a, b) => rank(a) - rank(b) || a.drop! - b.drop!);
  for (const victim of droppable) {
    // A sorted minor column does not give way to STATUS's and CAUSE's reserve: it goes only when it cannot fit.
    const reserved = victim.minor === true && !sorted(victim) && !identifies(victim);
    if (needed(columns, reserved) <= width) break;
    // Without CONTEXT the rows of two clusters' same pod read the same: NAME and STATUS are cut for it first.
    if (identifies(victim) === 'cluster' && squeezed(columns) <= width) break;
    columns = columns.filter((c) => c !== victim);
  }
  // Narrower than NAME and STATUS cut to CUT_FLOOR beside the whole countdown: STATUS goes (NAME says which pod,
  // the row's colour its state), and NAME is cut to the room left.
  while (squeezed(columns) > width) {
    const cuttable = columns.filter((c) => !c.whole && !c.cutLast);
    if (cuttable.length < 2) break;
    columns = columns.filter((c) => c !== cuttable.at(-1));
  }
  let { placed, spare } = placeColumns(width, columns, { ...options, titleRoom });
  // Below about 20 columns even the countdown is cut, the rest first, so that nothing wraps.
  spare = cutFromRight(placed, spare, 1, (c) => !c.cutLast);
  spare = cutFromRight(placed, spare, 1, () => true);
  // A column that must be whole goes instead of being cut.
  for (const p of placed.filter((p) => p.column.whole)) {
    if (spare >= 0) break;
    placed = placed.filter((q) => q !== p);
    spare += p.width + COLUMN_GAP;
  }
  return placed;
}

/**
 * The widths of `columns` in `width` (spare < 0: they do not fit even with NAME and STATUS cut to CUT_FLOOR).
 * Each starts as wide as its widest cell up to its `min` (its title at least), so that no column is blank while
 * another is cut. The room left goes first to the columns that are cut, up to their widest cell, in `share`
 * order: CAUSE; with several contexts CONTEXT (NAME cut for it down to NAME_FOR_CONTEXT: `cra…sim` beside a
 * whole `west` reads as a glitch) and NAMESPACE; a long STATUS (on 80 columns it cannot be whole beside a cause:
 * every row has a cause, few a 26-character STATUS); NAME (`CreateContainer…` is either of two states, a cut pod
 * name keeps its workload). What is left then widens columns to their `min` (what the rows commonly hold, so a
 * column does not move each time such a row comes) and gives NEXT RESTART its bar.
 */
function placeColumns(
  width: number,
  columns: readonly Column[],
  options: {
    multiContext: boolean;
    content?: Partial<Record<ColumnId, number>>;
    indent?: number;
    titleRoom: (c: Column) => number;
  },
): { placed: PlacedColumn[]; spare: number } {
  const { titleRoom } = options;
  const content = (c: Column) => {
    const measured = options.content?.[c.id];
    return measured === undefined ? undefined : measured + (c === columns[0] ? (options.indent ?? 0) : 0);
  };
  // A whole column is as wide as its widest cell (room for its widest possible was kept when choosing the
  // columns): RESTARTS at 17 for `4 (2m32s ago)` padded STATUS out with blanks while NAME was cut.
  const least = (c: Column) =>
    Math.max(
      titleRoom(c),
      c.whole ? Math.min(c.max, content(c) ?? c.max) : Math.min(c.min, content(c) ?? c.min),
    );
  const full = (c: Column) => Math.max(least(c), Math.min(c.max, content(c) ?? c.min));
  const roomy = (c: Column) => Math.max(full(c), Math.min(c.max, Math.max(c.min, full(c) + (c.beside ?? 0))));
  const placed = columns.map((column) => ({ column, width: least(column) }));
  let spare = width - placed.reduce((sum, p) => sum + p.width, 0) - COLUMN_GAP * (placed.length - 1);
  const grow = (p: PlacedColumn, to: number) => {
    const extra = Math.max(0, Math.min(spare, to - p.width));
    p.width += extra;
    spare -= extra;
  };
  const share = (c: Column) => (options.multiContext ? (c.shareSeveral ?? c.share) : c.share);
  const byShare = [...placed].sort((a, b) => share(a.column) - share(b.column));
  const name = placed.find((p) => p.column.id === 'name');
  for (const p of byShare) {
    grow(p, full(p.column));
    if (!options.multiContext || p.column.identifies !== 'cluster' || !name || spare < 0) continue;
    const taken = Math.max(0, Math.min(full(p.column) - p.width, name.width - NAME_FOR_CONTEXT));
    name.width -= taken;
    p.width += taken;
  }
  for (const p of byShare) grow(p, roomy(p.column));
  // Too narrow for every column's narrowest useful width: the ones that may be cut are, from the right, down to
  // CUT_FLOOR; a `cutLast` one keeps its widest cell and its title.
  return { placed, spare: cutFromRight(placed, spare, CUT_FLOOR, (c) => !c.cutLast) };
}

/**
 * Cuts the columns `cuts` allows (never a `whole` one), from the right, each down to `floor`, until the overflow
 * (`-spare`) is gone or none can give more; returns what is spare then.
 */
function cutFromRight(
  placed: PlacedColumn[],
  spare: number,
  floor: number,
  cuts: (c: Column) => boolean,
): number {
  let left = spare;
  for (let i = placed.length - 1; left < 0 && i >= 0; i--) {
    const p = placed[i]!;
    if (p.column.whole || !cuts(p.column)) continue;
    const cut = Math.max(0, Math.min(p.width - floor, -left));
    p.width -= cut;
    left += cut;
  }
  return left;
}
