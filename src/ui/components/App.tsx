import { Box, Text } from 'ink';
import { useEffect, useLayoutEffect, useMemo, useRef, useState } from 'react';
import type { ClusterSource, WatchedPod } from '../../kube/source.js';
import type { BackoffCurve } from '../../model/backoff.js';
import { columns } from '../../model/columns.js';
import { nodesOfPods } from '../../model/node-events.js';
import {
  type ColumnId,
  filterProblem,
  groupRollout,
  layoutColumns,
  NAMED_SORTS,
  newCrashLoops,
  type TableSort,
} from '../../model/rows.js';
import { BRANCH_INDENT, GUTTER } from '../cells.js';
import {
  type Command,
  candidates,
  complete,
  contextsText,
  parseCommand,
  sameContexts,
  switchedText,
} from '../command-line.js';
import { commandRows } from '../command-lines.js';
import { contextCells, contextCellsWidth, contextName } from '../context-label.js';
import { truncate, wrapWords } from '../fit.js';
import { useServerSecondTicks } from '../hooks/use-clock.js';
import { createViewKeys, ViewKeysContext } from '../hooks/use-key-queue.js';
import { useKeys } from '../hooks/use-keys.js';
import { useLogCauses } from '../hooks/use-log-causes.js';
import { useMessage } from '../hooks/use-message.js';
import { type AppActions, type Message, usePodActions } from '../hooks/use-pod-actions.js';
import { usePodTable } from '../hooks/use-pod-table.js';
import { useReplicaSetReads } from '../hooks/use-replica-set-reads.js';
import { type OnScreen, useSnapshot } from '../hooks/use-snapshot.js';
import { useSplitEscapePairs } from '../hooks/use-split-escape-pairs.js';
import { type TerminalSize, useTerminalSize } from '../hooks/use-terminal-size.js';
import { DEFAULT_LOG_LIMITS, type LogLimits } from '../log-limits.js';
import type { Osc52Wrap } from '../osc52.js';
import { describeTarget, refOf } from '../pod-target.js';
import { createPreviousLogCache, type PreviousLogCache } from '../previous-logs.js';
import { sanitizeLine } from '../sanitize.js';
import { lineId, podIdentity, podLineNear, resolveSelection, tableWindow } from '../selection.js';
import { BELL } from '../terminal/screen.js';
import { type Tone, useTheme } from '../theme.js';
import type { View } from '../view.js';
import { covers, podWatches, staleRows } from '../watch-line.js';
import { DescribeView } from './DescribeView.js';
import { DetailView } from './DetailView.js';
import { EventsView } from './EventsView.js';
import { Header, headerLines } from './Header.js';
import { HelpView } from './HelpView.js';
import { LogView } from './LogView.js';
import { NAMESPACE_PICKER_KEYS, NamespacePicker } from './NamespacePicker.js';
import { PodTable } from './PodTable.js';

export type { AppActions } from '../hooks/use-pod-actions.js';

export interface AppProps {
  source: ClusterSource;
  actions: AppActions;
  demo: boolean;
  multiContext: boolean;
  osc52Wrap: Osc52Wrap;
  curve?: BackoffCurve;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: TerminalSize;
  /** Milliseconds between hiding the UI and handing the terminal over (Ink must flush its empty frame). */
  suspendDelayMs?: number;
  /** The previous logs the CAUSE column reads; outlives the UI when given (tests give their own). */
  logCache?: PreviousLogCache;
  /** The log view's buffer bound (`--log-lines`, `--log-bytes`). */
  logLimits?: LogLimits;
  /** Where the log view saves (tests); the temporary directory otherwise. */
  logSaveDir?: string;
  /** The kubeconfig's contexts, for `:ctx` completion. */
  contexts?: readonly string[];
  /**
   * `:ctx a,b`: watch these contexts instead, in a new view whose first message is `said` (resolves with an error
   * line when it cannot).
   */
  switchContext?: (names: readonly string[], said: Message) => Promise<string | undefined>;
  /** The view's first message (what `:ctx` changed). */
  said?: Message;
}

const FOOTER_LINES = 1;
/** The table's title and one row: less and the view shows no pod. */
const MIN_BODY_LINES = 2;
const HELP_LINE =
  '? help  q quit  Enter detail  l/p logs  d describe  e events  s shell  x debug  y copy fix  / filter  : cmd  a all  o owner  S sort  N/T/A… by column';

export function App(props: AppProps) {
  const { source, actions } = props;
  useSplitEscapePairs();
  const theme = useTheme();
  const terminal = useTerminalSize();
  const size = props.size ?? terminal;
  // No clock here: a tick re-renders only what it changes (the rows' and the header's times, PodTable and
  // Header), and this view only on the tick that ends a message or a crash loop.
  /** The pods of the rows on screen: their changes are drawn at once, the others with the next tick. */
  const onScreen = useRef<OnScreen>({ keys: new Set(), room: true });
  const snapshot = useSnapshot(source, onScreen);
  useServerSecondTicks(snapshot.clockOffsetMs.values().next().value ?? 0);
  const logCache = useMemo(() => props.logCache ?? createPreviousLogCache(source), [props.logCache, source]);

  const [stack, setStack] = useState<View[]>([]);
  /** The selected pod, or undefined while the selection is on watch: the top row, whichever pod that is. */
  const [selectedId, setSelectedId] = useState<string>();
  const [sort, setSort] = useState<TableSort>(NAMED_SORTS[0]!);
  const [unhealthyOnly, setUnhealthyOnly] = useState(true);
  const [filter, setFilter] = useState('');
  const [typingFilter, setTypingFilter] = useState<string>();
  const [typingCommand, setTypingCommand] = useState<string>();
  const [namespace, setNamespace] = useState<string>();
  const [byOwner, setByOwner] = useState(false);
  const [bell, setBell] = useState(false);
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useMessage(props.said);
  const [views] = useState(createViewKeys);
  const topRef = useRef(0);
  /** The table when `/` opened the filter prompt: Esc there comes back to it. */
  const beforeFilter = useRef<{ id: string | undefined; name?: string; index: number; top: number }>(
    undefined,
  );

  const table = usePodTable({
    snapshot,
    curve: props.curve,
    filter: { text: typingFilter ?? filter, namespace, unhealthyOnly },
    sort,
    byOwner,
  });
  const { lines } = table;
  const problem = filterProblem(typingFilter ?? filter);
  const stale = useMemo(() => staleRows(snapshot.watches), [snapshot.watches]);

  const siblingsOf = (watched: WatchedPod) => table.siblings(watched.context, watched.pod);
  const replicaSetsOf = useReplicaSetReads(source);
  const replicaSetsOfPod = (watched: WatchedPod) =>
    replicaSetsOf(watched.context, watched.pod, siblingsOf(watched));

  const podActions = usePodActions({
    source,
    actions,
    demo: props.demo,
    osc52Wrap: props.osc52Wrap,
    suspendDelayMs: props.suspendDelayMs,
    setMessage,
    eventsOf: (key) => snapshot.events.get(key) ?? [],
    siblingsOf,
  });
  const { suspended, confirmDebug, pickShell } = podActions;

  // ---- selection (an identity, selection.ts) and the window of lines on screen ----
  // Until a key puts it on a pod, the selection is on watch (selectedId undefined): it is the top row, whichever
  // pod sorts there, so a pane left open during a deploy keeps showing what restarts next. The top pod restarts
  // and sorts down; the selection and the view stay on top. A key that moves the selection off the top row
  // (j k ↓ PgDn G End) or acts on the selected pod (Enter, l p d e s x y) puts it on that pod: from then on it
  // follows the pod wherever it sorts. A key that brings it back to the top row (g Home, or k ↑ PgUp there) puts
  // it on watch again. What changes the rows shown or their order (a filter, a sort, a o, a namespace) moves no
  // selection: on watch, it is the top row of the new table; on a pod, it stays on it (or, when the pod leaves,
  // on the pod nearest its row). Esc in the filter prompt brings back either as it was before `/`. `:ctx` mounts
  // a new table: on watch.
  const lastIndex = useRef(0);
  const lastName = useRef<string | undefined>(undefined);
  const selection = resolveSelection(lines, selectedId, lastIndex.current);
  const selected = selection.index;
  lastIndex.current = selected;
  // A layout effect, declared before useKeys: React runs it in the same commit before the key queue's, which
  // hands over the next key of a read. As a passive effect it ran after that key and put back the pod it had
  // resolved from the frame before (`a` then `g` pasted: the selection stayed on the last row, `agd` described it).
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs when the selected object changes or leaves.
  useLayoutEffect(() => {
    if (selectedId === undefined || selection.id === selectedId) return;
    if (selection.lost && lastName.current && typingFilter === undefined) {
      const gone = ![...snapshot.pods.values()].some((w) => podIdentity(w.context, w.pod) === selectedId);
      setMessage({
        text: `${sanitizeLine(lastName.current)} ${gone ? 'was deleted' : 'left this view'}`,
        tone: 'dim',
      });
    }
    setSelectedId(selection.id);
  }, [selection.id, selectedId]);
  const selectedLine = lines[selected];
  if (selectedLine && !selection.lost)
    lastName.current = selectedLine.kind === 'pod' ? selectedLine.row.name : selectedLine.group.name;
  // The root's height, a line short of the terminal: a frame as tall as it Ink writes whole, after clearing the
  // screen, every time.
  const room = size.rows - 1;
  // A question (x's confirmation, s's container pick) is never cut: what it would do and where are the point.
  const question = questionLines(size.columns);
  // Nor is a message: what to do instead (`s` on a container that is not running) comes at its end. Messages can
  // quote the API server (errors): sanitised like every cluster string.
  const messageWrapped =
    message &&
    wrapWords(
      `${sanitizeLine(message.text)}${message.sticky ? '  (Esc dismisses)' : ''}`,
      size.columns,
      '  ',
    );
  const footerExtra: FooterLine[] = question
    ? question.slice(1).map((text) => ({ text, command: false }))
    : messageFooter(
        [
          // The message's own words go on in its colour (a saved log's path), the lines below it do not.
          ...(messageWrapped?.slice(1) ?? []).map((text) => ({
            text,
            command: false,
            tone: message?.tone ?? 'dim',
          })),
          ...messageLines(message, size),
        ],
        // What the table's title and a row leave; the header gives up its lines first.
        Math.max(1, room - FOOTER_LINES - MIN_BODY_LINES),
        size,
        theme.glyphs.ellipsis,
      );
  const shownSummary = {
    counts: table.counts,
    shown: table.shownRows.length,
    inNamespace: table.inNamespace,
    sort,
    unhealthyOnly,
    filter: typingFilter ?? filter,
    filterProblem: problem,
    byOwner,
    bell,
  };
  // The lines are shared out so that they never add up to more than the root's height: past it Yoga shrinks
  // every line, and Ink draws lines shrunk to nothing over the ones before them (at 20×5 the watch state's
  // `live` over `crashtop`, until the next resize). The header gives up lines first (Header's `height`).
  const headerHeight = Math.max(
    0,
    Math.min(
      headerLines(
        snapshot.watches,
        snapshot.notes,
        { ...shownSummary, sortShown: true },
        size.columns,
        theme,
      ),
      room - FOOTER_LINES - footerExtra.length - MIN_BODY_LINES,
    ),
  );
  const bodyHeight = Math.max(MIN_BODY_LINES, room - headerHeight - FOOTER_LINES - footerExtra.length);
  // A full-screen view draws its own footer (its keys, or the app's message) in the app's footer line.
  const pageHeight = bodyHeight + FOOTER_LINES;
  const visibleRows = bodyHeight - 1;
  const { top, sticky } = tableWindow(lines, selected, topRef.current, visibleRows);
  topRef.current = top;
  onScreen.current = {
    keys: new Set(
      lines
        .slice(top, top + visibleRows)
        .flatMap((line) => (line.kind === 'pod' ? [line.key] : line.group.pods.map((row) => row.key))),
    ),
    room: lines.length - top < visibleRows,
  };
  const select = (index: number) => {
    const at = podLineNear(lines, index, index < selected ? -1 : 1);
    const line = lines[at];
    if (line) setSelectedId(at === podLineNear(lines, 0, 1) ? undefined : lineId(line));
  };
  const shownLines = useLogCauses({
    cache: logCache,
    lines,
    top,
    count: visibleRows,
    selected,
    snapshot,
  });
  // Causes read from logs are known only for the lines on screen; CAUSE must fit them too.
  const logCauseWidth = shownLines
    .slice(top, top + visibleRows)
    .reduce((w, l) => Math.max(w, l.kind === 'pod' ? (l.row.causeId?.length ?? 0) : 0), 0);
  // Columns are as wide as the widest content seen in this selection of rows, never narrower: rows with a
  // long cause, STATUS or countdown come and go with every restart, and a column that narrowed and widened
  // again moved every column right of it, each time (every row written again: most of the bytes at 10,000
  // pods). A new filter, namespace or `a` starts from what it shows: one long name seen once must not squeeze
  // the other columns for the rest of the day.
  const rowSet = JSON.stringify([typingFilter ?? filter, namespace, unhealthyOnly, props.multiContext]);
  const widest = useRef<{ rowSet: string; widths: ContentWidths }>({ rowSet, widths: {} });
  const seen = { ...table.measured, cause: Math.max(table.measured.cause ?? 0, logCauseWidth) };
  widest.current =
    widest.current.rowSet === rowSet
      ? { rowSet, widths: grown(widest.current.widths, seen) }
      : { rowSet, widths: seen };
  const content = widest.current.widths;
  const contextNames = useMemo(
    () => JSON.stringify([...new Set(snapshot.watches.map((w) => w.context))]),
    [snapshot.watches],
  );
  const placed = useMemo(() => {
    const names: string[] = JSON.parse(contextNames);
    // Grouped by owner, the first cell of a row starts with its owner's branch (`└ `).
    const indent = byOwner ? BRANCH_INDENT : 0;
    // CONTEXT needs only the part of the names that tells them apart (contextCells).
    const told = { ...content, context: Math.min(content.context ?? 0, contextCellsWidth(names)) };
    return layoutColumns(size.columns - GUTTER, {
      multiContext: props.multiContext,
      content: told,
      sorted: sort.column,
      indent,
    }).map((p, i) =>
      p.column.id === 'context'
        ? { ...p, contextCells: contextCells(names, p.width - (i === 0 ? indent : 0), theme.glyphs.ellipsis) }
        : p,
    );
  }, [size.columns, props.multiContext, content, sort.column, contextNames, theme, byOwner]);

  // ---- bell: a pod entering a crash loop (crash-loop.ts) rings once and is marked while it loops ----
  const crashLoopsBefore = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const now = table.crashLoops;
    if (bell) {
      const fresh = newCrashLoops(crashLoopsBefore.current, now);
      if (fresh.length > 0) actions.write(BELL);
      setMarked((m) => {
        const kept = [...m].filter((k) => now.has(k));
        return fresh.length > 0 || kept.length < m.size ? new Set([...kept, ...fresh]) : m;
      });
    }
    crashLoopsBefore.current = now;
  }, [table.crashLoops, bell, actions]);

  const view = stack.at(-1);
  const push = (v: View) => setStack((s) => [...s, v]);
  const pop = () => setStack((s) => s.slice(0, -1));
  const currentKey =
    view && 'key' in view ? view.key : selectedLine?.kind === 'pod' ? selectedLine.key : undefined;
  const currentPod = currentKey ? snapshot.pods.get(currentKey) : undefined;

  useKeys({
    active: !suspended,
    views,
    view,
    push,
    pop,
    quit: actions.quit,
    suspendProcess: actions.suspendProcess,
    write: actions.write,
    setMessage,
    messageSticky: message?.sticky === true,
    filter,
    setFilter,
    namespace,
    setNamespace,
    typingFilter,
    setTypingFilter,
    openFilter: () => {
      beforeFilter.current = { id: selectedId, name: lastName.current, index: selected, top };
      setTypingFilter(filter);
    },
    keepFilter: () => {
      setFilter(typingFilter ?? '');
      setTypingFilter(undefined);
    },
    cancelFilter: () => {
      const before = beforeFilter.current;
      setTypingFilter(undefined);
      if (!before) return;
      // Where the table was: on watch (the top row), or the same pod, else (it left meanwhile) the pod now
      // nearest its row, and the message then names that pod, not the one the filter had selected.
      setSelectedId(before.id);
      lastName.current = before.name;
      lastIndex.current = before.index;
      topRef.current = before.top;
    },
    typingCommand,
    setTypingCommand,
    completeCommand: (text) =>
      complete(text, { namespaces: table.namespaces, contexts: props.contexts ?? [] }),
    runCommand: (text) => runCommand(parseCommand(text)),
    current: currentKey && currentPod ? { key: currentKey, watched: currentPod } : undefined,
    lines,
    selected,
    select,
    holdSelection: () => {
      if (selectedId === undefined) setSelectedId(selection.id);
    },
    pageSize: visibleRows,
    unmark: (k) => setMarked((m) => (m.has(k) ? new Set([...m].filter((x) => x !== k)) : m)),
    setUnhealthyOnly,
    setByOwner,
    setSort,
    multiContext: props.multiContext,
    bell,
    toggleBell: () => {
      setBell((b) => !b);
      setMarked(new Set());
    },
    debugQuestion: confirmDebug !== undefined,
    shellQuestion: pickShell !== undefined,
    answerShell: podActions.answerShell,
    answerDebug: podActions.answerDebug,
    shell: podActions.shell,
    askDebug: podActions.askDebug,
    copyFix: podActions.copyFix,
  });

  if (suspended) return null;

  const offset = (context: string) => snapshot.clockOffsetMs.get(context) ?? 0;
  const active = !confirmDebug && !pickShell && typingFilter === undefined && typingCommand === undefined;
  // The `:` prompt takes the footer line, so a full-screen view gives it back while it is open.
  const fullScreen = view !== undefined && view.kind !== 'namespace' && typingCommand === undefined;

  return (
    <ViewKeysContext.Provider value={views}>
      <Box flexDirection="column" width={size.columns} height={room}>
        <Header
          width={size.columns}
          height={headerHeight}
          watches={snapshot.watches}
          notes={snapshot.notes}
          clockOffsets={snapshot.clockOffsetMs}
          {...shownSummary}
          sortShown={placed.some((p) => p.column.id === sort.column)}
          total={table.total}
          inCluster={source.inCluster}
          namespace={namespace}
          demo={props.demo}
        />
        {renderBody()}
        {!fullScreen && (
          <Text wrap="truncate-end" color={theme.tone(question ? 'warn' : (message?.tone ?? 'dim'))}>
            {truncate(theme.text(footerText()), size.columns, theme.glyphs.ellipsis)}
          </Text>
        )}
        {footerExtra.map((line, i) => (
          <Text
            // biome-ignore lint/suspicious/noArrayIndexKey: the lines of one message, by position.
            key={i}
            wrap="truncate-end"
            color={line.command ? theme.tone('accent') : line.tone && theme.tone(line.tone)}
          >
            {truncate(line.text, size.columns, theme.glyphs.ellipsis)}
          </Text>
        ))}
      </Box>
    </ViewKeysContext.Provider>
  );

  /**
   * Help covers the view it was opened from without unmounting it, so that view comes back as it was (the log
   * view's scroll, pause, search, wrap, container) and keeps reading meanwhile.
   */
  function renderBody() {
    const helpOnTop = view?.kind === 'help';
    const height = fullScreen ? pageHeight : bodyHeight;
    return (
      <>
        <Box key="view" display={helpOnTop ? 'none' : 'flex'} flexDirection="column">
          {renderView(helpOnTop ? stack.at(-2) : view, active && !helpOnTop)}
        </Box>
        {helpOnTop && <HelpView height={height} width={size.columns} isActive={active} />}
      </>
    );
  }

  function renderView(view: View | undefined, isActive: boolean) {
    const common = { height: fullScreen ? pageHeight : bodyHeight, width: size.columns, isActive };
    const notice = question
      ? { text: question[0]!, tone: 'warn' as const }
      : message && { ...message, text: messageWrapped![0]! };
    const watched = view && 'key' in view ? snapshot.pods.get(view.key) : undefined;
    if (view && 'key' in view && !watched) {
      return (
        <Box height={common.height}>
          <Text>{theme.text('This pod is gone (deleted or out of the watched scope). Esc goes back.')}</Text>
        </Box>
      );
    }
    switch (view?.kind) {
      case 'help':
        return null;
      case 'namespace':
        return (
          <NamespacePicker
            {...common}
            namespaces={table.namespaces}
            current={namespace}
            onPick={(ns) => {
              setNamespace(ns);
              pop();
            }}
          />
        );
      case 'detail':
        return (
          <DetailView
            {...common}
            notice={notice}
            source={source}
            watched={watched!}
            events={snapshot.events.get(view.key) ?? []}
            siblings={siblingsOf(watched!)}
            replicaSets={replicaSetsOfPod(watched!)}
            clockOffsetMs={offset(watched!.context)}
            curve={props.curve}
            multiContext={props.multiContext}
          />
        );
      case 'logs':
        return (
          <LogView
            {...common}
            notice={notice}
            source={source}
            watched={watched!}
            container={view.container}
            previous={view.previous}
            limits={props.logLimits ?? DEFAULT_LOG_LIMITS}
            curve={props.curve}
            clockOffsetMs={offset(watched!.context)}
            saveDir={props.logSaveDir}
            say={setMessage}
            multiContext={props.multiContext}
          />
        );
      case 'describe':
        return (
          <DescribeView
            {...common}
            notice={notice}
            source={source}
            target={refOf(watched!)}
            clockOffsetMs={offset(watched!.context)}
            multiContext={props.multiContext}
          />
        );
      case 'events':
        return (
          <EventsView
            {...common}
            notice={notice}
            source={source}
            context={view.context}
            namespace={view.namespace}
            nodes={nodesOfPods(snapshot.pods.values(), view.context, view.namespace)}
            clockOffsetMs={offset(view.context)}
            multiContext={props.multiContext}
          />
        );
      case undefined:
        if (lines.length === 0) {
          return (
            <Box height={bodyHeight}>
              {/* Wrapped between words as every message is: Ink's own wrap starts a line with the space it broke at. */}
              <Text color={theme.tone(problem ? 'warn' : 'good')}>
                {wrapWords(theme.text(emptyText()), size.columns).join('\n')}
              </Text>
            </Box>
          );
        }
        return (
          <PodTable
            lines={shownLines}
            placed={placed}
            top={top}
            sticky={sticky}
            selected={selected}
            height={bodyHeight}
            width={size.columns}
            clockOffsetMs={offset}
            marked={marked}
            sort={sort}
            stale={stale}
            rolloutOf={(group) => groupRollout(group, snapshot.pods, table.siblings, replicaSetsOf)}
            multiContext={props.multiContext}
          />
        );
    }
  }

  function emptyText(): string {
    // "(yet)" would promise pods that a note above says will not come (a namespace deleted, -A forbidden).
    if (table.total === 0)
      return snapshot.notes?.length
        ? 'No pods in the watched scope: see above.'
        : 'No pods in the watched scope (yet).';
    if (problem) return `Not a valid label selector: ${sanitizeLine(problem)} (Esc clears it).`;
    if (namespace !== undefined && tableSaysUnseen(namespace)) return unseenNamespace(namespace);
    if (filter || typingFilter || namespace)
      return 'No pod matches the filter (Esc clears it, n picks a namespace).';
    return 'No unhealthy pods. `a` shows all pods.';
  }

  function runCommand(command: Command) {
    switch (command.kind) {
      case 'quit':
        return actions.quit(0);
      case 'namespace':
        if (command.name !== undefined && !watchesNamespace(command.name)) {
          // The header would say `ns NAME` over an empty table: read as "nothing crashes there".
          return setMessage({
            text: `namespace ${sanitizeLine(command.name)} is not watched (only ${watchedNamespaces().join(', ')}): start crashtop with -n ${sanitizeLine(command.name)} or -A`,
            tone: 'warn',
          });
        }
        setNamespace(command.name);
        setStack([]);
        // A typo (`:ns paymnets`) would read as "nothing crashes there": say no pod of it was ever seen, once
        // (the empty table says it, else the footer). It stays set: a namespace being deployed to has no pods yet.
        if (
          command.name !== undefined &&
          !table.namespaces.includes(command.name) &&
          !tableSaysUnseen(command.name)
        )
          return setMessage({ text: unseenNamespace(command.name), tone: 'warn' });
        return setMessage({ text: `namespace: ${sanitizeLine(command.name ?? 'all watched namespaces')}` });
      case 'context':
        if (!props.switchContext)
          return setMessage({ text: ':ctx is not available in this view', tone: 'warn' });
        if (sameContexts(command.names, shownContexts()))
          return setMessage({ text: `already watching ${contextsText(command.names)}` });
        setMessage({ text: `switching to ${contextsText(command.names)}…` });
        // On success this view is gone: the new one says what changed.
        return void props
          .switchContext(command.names, switchedText(shownContexts(), command.names))
          .then((error) => error && setMessage({ text: error, tone: 'bad' }));
      case 'error':
        return setMessage({ text: command.message, tone: 'warn' });
    }
  }

  function shownContexts(): string[] {
    return [...new Set(snapshot.watches.map((w) => w.context))];
  }

  /** Whether the table, empty, says that no pod of this namespace was seen (no filter hides them all). */
  function tableSaysUnseen(name: string): boolean {
    return table.total > 0 && !problem && !filter && !typingFilter && !table.namespaces.includes(name);
  }

  function unseenNamespace(name: string): string {
    const seen = table.namespaces.length;
    return `namespace "${sanitizeLine(name)}" not seen in this view: no pod of it yet (n picks one of the ${seen} seen, Esc clears it)`;
  }

  function footerText(): string {
    if (typingCommand !== undefined) {
      const hint = candidates(typingCommand, {
        namespaces: table.namespaces,
        contexts: props.contexts ?? [],
      });
      // A context's name from the kubeconfig can hold an escape sequence: each shown as contextName shows it.
      const shown = hint.slice(0, 8).map((name) => contextName(name));
      return `:${sanitizeLine(typingCommand)}_   ${shown.length > 0 ? `${shown.join(' ')}  (Tab completes, ` : '('}Enter runs, Esc cancels)`;
    }
    if (question) return question[0]!;
    if (typingFilter !== undefined) return `/${typingFilter}_   (Enter keeps the filter, Esc cancels)`;
    if (messageWrapped) return messageWrapped[0]!;
    if (view?.kind === 'namespace') return NAMESPACE_PICKER_KEYS;
    return outOfView() + HELP_LINE;
  }

  /** Whether a pods watch reads this namespace (one of all namespaces counts). */
  function watchesNamespace(name: string): boolean {
    const pods = podWatches(snapshot.watches);
    return pods.length === 0 || pods.some((w) => covers(w, name));
  }

  function watchedNamespaces(): string[] {
    return [...new Set(podWatches(snapshot.watches).flatMap((w) => w.namespaces))].map((ns) =>
      sanitizeLine(ns),
    );
  }

  /**
   * `↑ 4 more · ↓ 12 more · ` when table lines are out of view, as full-screen views say: a selection put on a
   * pod follows it, so a pod that restarts and sorts to the bottom scrolls the soonest restarts off the top.
   */
  function outOfView(): string {
    const sep = ` ${theme.glyphs.separator} `;
    // `top` lines are above, with or without an owner line on top: that one, shown, covers lines[top], hidden.
    const below = Math.max(0, lines.length - (top + visibleRows));
    return (top > 0 ? `↑ ${top} more${sep}` : '') + (below > 0 ? `↓ ${below} more${sep}` : '');
  }

  /** The open question wrapped to the screen's width, or undefined when none is open. */
  function questionLines(width: number): string[] | undefined {
    if (pickShell) {
      const options = pickShell.choices.map(
        (c, i) => `${i + 1} ${sanitizeLine(c.name)} (${sanitizeLine(c.state)})`,
      );
      const fallback = pickShell.choices.find((c) => c.running) ?? pickShell.choices[0];
      return wrapWords(
        `shell in which container of ${describeTarget({ ...pickShell.target, container: undefined }, source.inCluster)}? ${options.join('  ')}  · Enter: ${sanitizeLine(fallback?.name ?? '')} · other keys cancel`,
        width,
        '  ',
      );
    }
    if (confirmDebug) {
      const name = sanitizeLine(confirmDebug.name);
      return wrapWords(
        `x creates a NEW POD ${name}-debug (a copy of ${name} with a shell) in context ${contextName(confirmDebug.context, source.inCluster)}, namespace ${sanitizeLine(confirmDebug.namespace)}; it runs until deleted. Create it? y/N`,
        width,
        '  ',
      );
    }
    return undefined;
  }
}

type ContentWidths = Partial<Record<ColumnId, number>>;

/** A line under the footer: a command (copied by hand, so it stands out), or text in a message's tone or none. */
interface FooterLine {
  text: string;
  command: boolean;
  tone?: Tone;
}

/** `widths` with every column at least as wide as in `seen`: `widths` itself when none grew. */
function grown(widths: ContentWidths, seen: ContentWidths): ContentWidths {
  let out = widths;
  for (const [id, width] of Object.entries(seen) as [ColumnId, number | undefined][]) {
    if (width !== undefined && width > (out[id] ?? 0)) {
      if (out === widths) out = { ...widths };
      out[id] = width;
    }
  }
  return out;
}

/** The lines a message shows below its first: a command in full, a failed kubectl's last error lines. */
function messageLines(
  message: Message | undefined,
  size: TerminalSize,
): { text: string; command: boolean }[] {
  if (!message) return [];
  const lines = [
    // Wrapped, not cut: an API server's refusal is longer than a line and says what to ask for at its end.
    ...(message.lines ?? []).flatMap((text) =>
      wrapWords(sanitizeLine(text), size.columns - 2, '  ').map((line) => ({
        text: `  ${line}`,
        command: false,
      })),
    ),
    ...(message.command
      ? commandRows(sanitizeLine(message.command), size.columns - 2, size.columns - 2, size.columns)
      : []
    ).map((row) => ({ text: row.flush ? row.text : `  ${row.text}`, command: true })),
  ];
  return lines;
}

/** At most `max` lines, the last of them ending with an ellipsis when some are left out. */
function cappedLines<T extends { text: string }>(
  lines: T[],
  max: number,
  width: number,
  ellipsis: string,
): T[] {
  if (lines.length <= max) return lines;
  if (max <= 0) return [];
  const kept = lines.slice(0, max);
  const last = kept[max - 1]!;
  kept[max - 1] = { ...last, text: truncate(last.text, width - columns(ellipsis), '') + ellipsis };
  return kept;
}

/**
 * A message's lines below the footer in at most `room` lines. The command (`y`'s, the debug copy's delete) takes
 * the room it needs, the table giving up its rows first: it is what the user selects by hand when the clipboard
 * did not get it. Words before it keep at most a third of the screen. A command that still cannot fit shows its
 * first lines and says how many are left out, never cut without a word.
 */
function messageFooter(
  lines: FooterLine[],
  room: number,
  size: TerminalSize,
  ellipsis: string,
): FooterLine[] {
  const command = lines.filter((line) => line.command);
  const words = cappedLines(
    lines.filter((line) => !line.command),
    Math.min(Math.floor(size.rows / 3), room - (command.length > 0 ? 1 : 0)),
    size.columns,
    ellipsis,
  );
  const commandRoom = room - words.length;
  if (command.length <= commandRoom) return [...words, ...command];
  const shown = command.slice(0, commandRoom - 1);
  const left = command.length - shown.length;
  return [
    ...words,
    ...shown,
    { text: `  ${ellipsis} ${left} more lines of the command${ellipsis}`, command: false, tone: 'warn' },
  ];
}
