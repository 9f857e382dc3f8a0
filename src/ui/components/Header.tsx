import { Box, Text } from 'ink';
import { Fragment, type ReactNode } from 'react';
import type { WatchStatus } from '../../kube/source.js';
import { columns } from '../../model/columns.js';
import { formatCountdown } from '../../model/duration.js';
import { columnById, type TableSort } from '../../model/rows.js';
import { sortMark } from '../cells.js';
import { contextName } from '../context-label.js';
import { truncate, wrapWords } from '../fit.js';
import { useNow } from '../hooks/use-clock.js';
import { sanitizeLine } from '../sanitize.js';
import { type Theme, useTheme } from '../theme.js';
import { waitingTexts, watchLine } from '../watch-line.js';

/** What the header says of the pods shown: how many, how they are chosen and ordered, and the counts. */
export interface ShownSummary {
  counts: readonly [string, number][];
  shown: number;
  /** The pods of the namespace picked, shown or not (`total` when none is): what `shown` is out of. */
  inNamespace: number;
  sort: TableSort;
  /** The sorted column is on screen; the terminal can be too narrow for it (rows.ts layoutColumns). */
  sortShown: boolean;
  unhealthyOnly: boolean;
  filter: string;
  /** Why the filter's label selector does not parse (rows.ts filterProblem): then no count is a match count. */
  filterProblem?: string;
  byOwner: boolean;
  bell: boolean;
}

export interface HeaderProps extends ShownSummary {
  width: number;
  /** The lines it may take, fewer than headerLines on a short terminal (the best ranked are kept). */
  height: number;
  watches: readonly WatchStatus[];
  /** What the view covers, said once in plain words (ClusterSnapshot.notes). */
  notes?: readonly string[];
  clockOffsets: ReadonlyMap<string, number>;
  /** Every pod of the view, shown or not (counted while the first list loads). */
  total: number;
  namespace?: string;
  demo: boolean;
  /** The view reads the pod's service account (no kubeconfig): its one context is named as commands reach it. */
  inCluster?: boolean;
}

const SKEW_SHOWN_MS = 2000;

/** At most this many lines of notes: the table keeps the screen. */
const NOTE_LINES = 3;

/**
 * At most this many lines of reasons a watch is not live: one context's (`cannot reach URL (context C): connect
 * ECONNREFUSED — is the cluster up? …`) takes two at 80 columns, and two contexts down may each say theirs.
 */
const REASON_LINES = 4;

/** `lines`, at most `max` of them, the last ending with an ellipsis when more was left out. */
function capped(lines: string[], max: number, width: number, theme: Theme): string[] {
  if (lines.length <= max) return lines;
  const last = truncate(lines[max - 1]!, width - columns(theme.glyphs.ellipsis), '');
  return [...lines.slice(0, max - 1), last + theme.glyphs.ellipsis];
}

/**
 * The notes as drawn: wrapped between words (a note says what to do at its end, which a cut would lose), at most
 * NOTE_LINES lines.
 */
export function noteLines(notes: readonly string[] | undefined, width: number, theme: Theme): string[] {
  if (!notes || notes.length === 0) return [];
  const text = notes.map((note) => sanitizeLine(note)).join(`  ${theme.glyphs.separator}  `);
  return capped(wrapWords(theme.text(text), width, '  '), NOTE_LINES, width, theme);
}

/**
 * Why watches are not live, under the watch state: each reason from its own line on, wrapped between words, so
 * that the cause and what to do (at its end) are read whole on 80 columns rather than cut after the server's URL.
 * Apart from the ticking state, so that how many lines they take does not change with the age. The pods and
 * events watches of a context that went down say the same words: once.
 */
export function reasonLines(watches: readonly WatchStatus[], width: number, theme: Theme): string[] {
  const reasons = new Set(
    watches.filter((w) => w.message && w.state !== 'live').map((w) => sanitizeLine(w.message ?? '')),
  );
  const lines = [...reasons].flatMap((reason) => wrapWords(theme.text(reason), width, '  '));
  return capped(lines, REASON_LINES, width, theme);
}

/** At most this many lines of counts under the line of what is shown. */
const COUNT_LINES = 2;

/**
 * What is shown (`28/48 pods  ·  sort: …  ·  unhealthy only`), then the counts: on the same line where all of it
 * fits, else on lines of their own, broken between counts so that each reads whole (`11 crash-looping, 10…` said
 * nothing of the states). Whether the counts move does not depend on `sortShown` (the header's lines are counted
 * before the columns are laid out).
 */
export function summaryLines(summary: ShownSummary, width: number, theme: Theme): string[] {
  const sep = `  ${theme.glyphs.separator}  `;
  const shownText = (sortShown: boolean) => {
    const flags = [
      ...(summary.filter
        ? [`filter: ${sanitizeLine(summary.filter)}${summary.filterProblem ? ' (not a valid selector)' : ''}`]
        : []),
      `sort: ${columnById(summary.sort.column).title.toLowerCase()} ${sortMark(summary.sort, theme)}${sortShown ? '' : ' (column hidden: too narrow)'}`,
      summary.unhealthyOnly ? 'unhealthy only' : 'all pods',
      ...(summary.byOwner ? ['by owner'] : []),
      ...(summary.bell ? ['bell on'] : []),
    ].join(sep);
    const pods = summary.filterProblem
      ? `${summary.inNamespace} pods`
      : `${summary.shown}/${summary.inNamespace} pods`;
    return `${pods}${sep}${flags}`;
  };
  const counts = summary.counts.map(([status, n]) => `${n} ${sanitizeLine(status)}`);
  const fitted = (text: string) => truncate(theme.text(text), width, theme.glyphs.ellipsis);
  const line = shownText(summary.sortShown);
  if (counts.length === 0) return [fitted(line)];
  if (columns(theme.text(`${shownText(true)}${sep}${counts.join(', ')}`)) <= width)
    return [fitted(`${line}${sep}${counts.join(', ')}`)];
  const packed: string[] = [];
  for (const [i, count] of counts.entries()) {
    const item = theme.text(i < counts.length - 1 ? `${count},` : count);
    const last = packed.at(-1);
    if (last !== undefined && columns(`${last} ${item}`) <= width)
      packed[packed.length - 1] = `${last} ${item}`;
    else packed.push(item);
  }
  return [fitted(line), ...capped(packed, COUNT_LINES, width, theme).map((l) => fitted(l))];
}

/** Lines the header takes: the reasons, the notes and counts too long to share a line get lines of their own. */
export function headerLines(
  watches: readonly WatchStatus[],
  notes: readonly string[] | undefined,
  summary: ShownSummary,
  width: number,
  theme: Theme,
): number {
  return (
    2 +
    reasonLines(watches, width, theme).length +
    noteLines(notes, width, theme).length +
    summaryLines(summary, width, theme).length
  );
}

/**
 * The header's `context … · ns …`. Contexts watching different namespaces are named each with its own
 * (`contexts east/shop, west/payments`): `contexts east, west · ns shop, payments` reads as both namespaces in
 * both clusters. The `n` picker's namespace applies to every context.
 */
function scopeText(
  podWatches: readonly WatchStatus[],
  contexts: readonly string[],
  picked: string | undefined,
  inCluster: boolean | undefined,
): string[] {
  const namespacesOf = (watches: readonly WatchStatus[]) =>
    [...new Set(watches.flatMap((w) => (w.namespaces.length ? w.namespaces : ['all namespaces'])))].map((n) =>
      sanitizeLine(n),
    );
  const perContext = [...new Set(podWatches.map((w) => w.context))].map(
    (context) =>
      [
        contextName(context, inCluster),
        namespacesOf(podWatches.filter((w) => w.context === context)),
      ] as const,
  );
  const differ = new Set(perContext.map(([, namespaces]) => namespaces.join('\u0000'))).size > 1;
  if (picked === undefined && differ) {
    const each = perContext.map(([context, namespaces]) =>
      namespaces.length === 1
        ? namespaces[0] === 'all namespaces'
          ? `${context} (all namespaces)`
          : `${context}/${namespaces[0]}`
        : `${context} (ns ${namespaces.join(', ')})`,
    );
    return [`contexts ${each.join(', ')}`];
  }
  const namespaces = picked !== undefined ? [sanitizeLine(picked)] : namespacesOf(podWatches);
  return [
    `${contexts.length > 1 ? 'contexts' : 'context'} ${contexts.join(', ') || '-'}`,
    `ns ${namespaces.join(', ') || '-'}`,
  ];
}

export function Header(props: HeaderProps) {
  const theme = useTheme();
  const sep = `  ${theme.glyphs.separator}  `;
  const contexts = [...new Set(props.watches.map((w) => w.context))].map((c) =>
    contextName(c, props.inCluster),
  );
  const podWatches = props.watches.filter((w) => w.resource !== 'events');
  const worst = props.watches.some((w) => w.state !== 'live')
    ? props.watches.some((w) => w.state === 'stale' || w.state === 'forbidden')
      ? 'bad'
      : 'warn'
    : 'good';
  const skews = [...props.clockOffsets]
    .filter(([, offset]) => Math.abs(offset) > SKEW_SHOWN_MS)
    .map(
      ([context, offset]) =>
        `clock skew ${contexts.length > 1 ? `${contextName(context)} ` : ''}${offset > 0 ? '+' : '-'}${formatCountdown(Math.abs(offset))}`,
    );
  // A long first list arrives page by page, and the table already shows what has come.
  const loading = podWatches.some((w) => w.state === 'connecting')
    ? [`loading pods${theme.glyphs.ellipsis} ${props.total} so far`]
    : [];
  const reasons = reasonLines(props.watches, props.width, theme);
  // Not a watch state: the scope as it really is, in the normal colour (nothing is failing).
  const notes = noteLines(props.notes, props.width, theme);

  const first = [
    `crashtop${props.demo ? ' (demo)' : ''}`,
    ...scopeText(podWatches, contexts, props.namespace, props.inCluster),
  ].join(sep);
  // What is shown first: the counts can be long, and what is being shown must stay readable.
  const [second, ...countLines] = summaryLines(props, props.width, theme);
  const fitLine = (text: string) => truncate(theme.text(text), props.width, theme.glyphs.ellipsis);

  // In the order drawn, each with its rank: on a terminal too short for all, the best ranked are kept. A watch
  // that is not live ranks first, and why before the counts: rows that stopped changing must not pass for a
  // quiet cluster.
  const down = worst !== 'good';
  const lines: { key: string; rank: number; node: ReactNode }[] = [
    {
      key: 'first',
      rank: down ? 1 : 0,
      node: (
        <Text wrap="truncate-end">
          <Text bold>{fitLine(first)}</Text>
        </Text>
      ),
    },
    {
      key: 'watch',
      rank: down ? 0 : 1,
      node: (
        <WatchStateLine
          watches={props.watches}
          after={[...loading, ...skews]}
          color={theme.tone(worst)}
          width={props.width}
        />
      ),
    },
    ...reasons.map((line, i) => ({
      key: `reason${i}`,
      rank: 2 + i,
      node: (
        <Text wrap="truncate-end" color={theme.tone(worst)}>
          {truncate(line, props.width, theme.glyphs.ellipsis)}
        </Text>
      ),
    })),
    ...notes.map((line, i) => ({
      key: `note${i}`,
      rank: 3 + reasons.length + i,
      node: <Text wrap="truncate-end">{truncate(line, props.width, theme.glyphs.ellipsis)}</Text>,
    })),
    {
      key: 'second',
      rank: 2 + reasons.length,
      node: (
        <Text wrap="truncate-end" color={theme.tone('dim')}>
          {second}
        </Text>
      ),
    },
    // The counts on lines of their own go before anything else on a short terminal.
    ...countLines.map((line, i) => ({
      key: `counts${i}`,
      rank: 3 + reasons.length + notes.length + i,
      node: (
        <Text wrap="truncate-end" color={theme.tone('dim')}>
          {line}
        </Text>
      ),
    })),
  ];
  const kept = lines.filter((line) => line.rank < props.height);

  return (
    <Box flexDirection="column">
      {kept.map((line) => (
        <Fragment key={line.key}>{line.node}</Fragment>
      ))}
    </Box>
  );
}

interface WatchStateProps {
  watches: readonly WatchStatus[];
  /** What follows the watch state on its line. */
  after: readonly string[];
  color?: string;
  width: number;
}

/**
 * The watch line. Only a watch behind (reconnecting, stale, forbidden) or waiting for a silent server shows an
 * age: then, and only then, the line reads the clock, so a tick while all is live renders nothing of the header.
 */
function WatchStateLine(props: WatchStateProps) {
  const ticking = props.watches.some(
    (w) => (w.state !== 'live' && w.state !== 'connecting') || w.waiting !== undefined,
  );
  return ticking ? <TickingWatchState {...props} /> : <WatchState {...props} localNowMs={0} />;
}

function TickingWatchState(props: WatchStateProps) {
  return <WatchState {...props} localNowMs={useNow()} />;
}

function WatchState(props: WatchStateProps & { localNowMs: number }) {
  const theme = useTheme();
  const sep = `  ${theme.glyphs.separator}  `;
  const state = watchLine(props.watches, props.localNowMs, theme.glyphs.separator);
  // Before the loading count: a line too long is cut at its end, and how long the server has been silent says more.
  const waiting = waitingTexts(props.watches, props.localNowMs);
  return (
    <Text wrap="truncate-end" color={props.color}>
      {truncate(
        theme.text([state, ...waiting, ...props.after].join(sep)),
        props.width,
        theme.glyphs.ellipsis,
      )}
    </Text>
  );
}
