import { Box, type Key, Text, useInput } from 'ink';
import { useCallback, useEffect, useMemo, useRef, useState } from 'react';
import type { ClusterSource, PodRef, WatchedPod } from '../../kube/source.js';
import type { BackoffCurve } from '../../model/backoff.js';
import { diagnose } from '../../model/classify/index.js';
import { debugArgv, execArgv, type Target } from '../../model/kubectl.js';
import type { Pod } from '../../model/pod.js';
import {
  crashLoopKeys,
  createRowBuilder,
  filterRows,
  layoutColumns,
  newCrashLoops,
  SORT_KEYS,
  type SortKey,
  sortRows,
  statusCounts,
  tableLines,
} from '../../model/rows.js';
import { failingContainers } from '../../model/status.js';
import { GUTTER } from '../cells.js';
import { truncate } from '../fit.js';
import { firstLine } from '../hooks/use-async.js';
import { useNow } from '../hooks/use-clock.js';
import { useSnapshot } from '../hooks/use-snapshot.js';
import { type TerminalSize, useTerminalSize } from '../hooks/use-terminal-size.js';
import { contentWidths } from '../measure.js';
import { type Multiplexer, osc52 } from '../osc52.js';
import { sanitizeLine } from '../sanitize.js';
import type { ChildResult } from '../terminal/child.js';
import { BELL } from '../terminal/screen.js';
import { type Tone, useTheme } from '../theme.js';
import { DescribeView } from './DescribeView.js';
import { DetailView } from './DetailView.js';
import { Header } from './Header.js';
import { HelpView } from './HelpView.js';
import { LogView } from './LogView.js';
import { NamespacePicker } from './NamespacePicker.js';
import { PodTable } from './PodTable.js';

/** What the app asks of the terminal; injected so tests run without a TTY or kubectl. */
export interface AppActions {
  quit(code: number): void;
  /** Hand the terminal to `argv` (already suspended: every useInput inactive) and take it back. */
  runInteractive(argv: readonly string[]): Promise<ChildResult>;
  /** Bytes straight to the terminal, outside Ink's frame (bell, OSC 52). */
  write(text: string): void;
}

export interface AppProps {
  source: ClusterSource;
  actions: AppActions;
  demo: boolean;
  multiContext: boolean;
  multiplexer: Multiplexer;
  curve?: BackoffCurve;
  /** Fixed size (tests); otherwise the terminal's, following resizes. */
  size?: TerminalSize;
  /** Milliseconds between hiding the UI and handing the terminal over (Ink must flush its empty frame). */
  suspendDelayMs?: number;
}

type View =
  | { kind: 'detail'; key: string }
  | { kind: 'logs'; key: string; container: string; previous: boolean }
  | { kind: 'describe'; key: string }
  | { kind: 'help' }
  | { kind: 'namespace' };

const HEADER_LINES = 3;
const NO_KEY: Key = {
  upArrow: false,
  downArrow: false,
  leftArrow: false,
  rightArrow: false,
  pageDown: false,
  pageUp: false,
  home: false,
  end: false,
  return: false,
  escape: false,
  ctrl: false,
  shift: false,
  tab: false,
  backspace: false,
  delete: false,
  meta: false,
  super: false,
  hyper: false,
  capsLock: false,
  numLock: false,
};
/** Keys that act on the selected (or open) pod. */
const POD_KEYS: ReadonlySet<string> = new Set(['l', 'p', 'd', 's', 'x', 'y']);
const FOOTER_LINES = 1;
const PREVIOUS_LOG_FOR_FIX = 50;

interface Message {
  text: string;
  tone?: Tone;
}

export function App(props: AppProps) {
  const { source, actions } = props;
  const theme = useTheme();
  const terminal = useTerminalSize();
  const size = props.size ?? terminal;
  const localNow = useNow();
  const snapshot = useSnapshot(source);

  const [stack, setStack] = useState<View[]>([]);
  const [selectedKey, setSelectedKey] = useState<string>();
  const [selectedIndex, setSelectedIndex] = useState(0);
  const [sort, setSort] = useState<SortKey>('next-restart');
  const [unhealthyOnly, setUnhealthyOnly] = useState(true);
  const [filter, setFilter] = useState('');
  const [typingFilter, setTypingFilter] = useState<string>();
  const [namespace, setNamespace] = useState<string>();
  const [byOwner, setByOwner] = useState(false);
  const [expanded, setExpanded] = useState<ReadonlySet<string>>(new Set());
  const [bell, setBell] = useState(false);
  const [marked, setMarked] = useState<ReadonlySet<string>>(new Set());
  const [message, setMessage] = useState<Message>();
  const [confirmDebug, setConfirmDebug] = useState<PodRef & { container?: string }>();
  const [suspended, setSuspended] = useState(false);
  const [childTyping, setChildTyping] = useState(false);
  const topRef = useRef(0);

  // ---- rows ----
  const buildRows = useRef(createRowBuilder({ curve: props.curve })).current;
  // biome-ignore lint/correctness/useExhaustiveDependencies: the version changes whenever the snapshot does.
  const allRows = useMemo(() => buildRows(snapshot), [snapshot.version]);
  const shownRows = useMemo(
    () => sortRows(filterRows(allRows, { text: typingFilter ?? filter, namespace, unhealthyOnly }), sort),
    [allRows, typingFilter, filter, namespace, unhealthyOnly, sort],
  );
  const lines = useMemo(() => tableLines(shownRows, { byOwner, expanded }), [shownRows, byOwner, expanded]);
  const counts = useMemo(() => statusCounts(allRows), [allRows]);
  // Namespaces seen in the watches and pods: the picker never needs `list namespaces` (RBAC may forbid it).
  const namespaces = useMemo(
    () =>
      [...new Set([...snapshot.watches.flatMap((w) => w.namespaces), ...allRows.map((r) => r.namespace)])]
        .filter(Boolean)
        .sort(),
    [snapshot.watches, allRows],
  );
  const measured = useMemo(() => contentWidths(shownRows), [shownRows]);
  const placed = useMemo(
    () => layoutColumns(size.columns - GUTTER, { multiContext: props.multiContext, content: measured }),
    [size.columns, props.multiContext, measured],
  );

  const found = selectedKey === undefined ? -1 : lines.findIndex((l) => l.key === selectedKey);
  const selected = found >= 0 ? found : Math.min(selectedIndex, Math.max(0, lines.length - 1));
  const selectedLine = lines[selected];
  const bodyHeight = Math.max(2, size.rows - 1 - HEADER_LINES - FOOTER_LINES);
  const visibleRows = bodyHeight - 1;
  let top = topRef.current;
  if (selected < top) top = selected;
  if (selected >= top + visibleRows) top = selected - visibleRows + 1;
  top = Math.max(0, Math.min(top, lines.length - visibleRows));
  topRef.current = top;

  // ---- bell: a pod newly entering a crash loop rings once and stays marked ----
  const crashLoopsBefore = useRef<ReadonlySet<string>>(new Set());
  useEffect(() => {
    const now = crashLoopKeys(allRows);
    if (bell) {
      const fresh = newCrashLoops(crashLoopsBefore.current, now);
      if (fresh.length > 0) {
        actions.write(BELL);
        setMarked((m) => new Set([...m, ...fresh]));
      }
    }
    crashLoopsBefore.current = now;
  }, [allRows, bell, actions]);

  // ---- selection ----
  const select = (index: number) => {
    const clamped = Math.max(0, Math.min(lines.length - 1, index));
    setSelectedIndex(clamped);
    setSelectedKey(lines[clamped]?.key);
  };
  const view = stack.at(-1);
  const push = (v: View) => setStack((s) => [...s, v]);
  const pop = () => setStack((s) => s.slice(0, -1));

  /** The pod the actions apply to: the open view's pod, else the selected row. */
  const currentKey =
    view && 'key' in view ? view.key : selectedLine?.kind === 'pod' ? selectedLine.key : undefined;
  const current: WatchedPod | undefined = currentKey ? snapshot.pods.get(currentKey) : undefined;

  // ---- actions ----
  const suspendFor = async (argv: readonly string[], what: string) => {
    setSuspended(true);
    await new Promise((resolve) => setTimeout(resolve, props.suspendDelayMs ?? 50));
    let result: ChildResult;
    try {
      result = await actions.runInteractive(argv);
    } catch (error) {
      result = { error: firstLine(error) };
    }
    setSuspended(false);
    setMessage(
      result.error
        ? { text: result.error, tone: 'bad' }
        : {
            text: `${what}: exited with ${result.code ?? '?'}`,
            tone: result.code ? 'warn' : 'good',
          },
    );
  };

  const copyFix = async (watched: WatchedPod, key: string) => {
    const ref = refOf(watched);
    const container = failingContainers(watched.pod)[0]?.name;
    const lines = container
      ? await source
          .readLogs(ref, { container, previous: true, tailLines: PREVIOUS_LOG_FOR_FIX })
          .catch(() => undefined)
      : undefined;
    const logs = container && lines ? new Map([[container, lines]]) : undefined;
    const events = snapshot.events.get(key) ?? [];
    const cause = diagnose({ pod: watched.pod, events, logs, context: watched.context }).cause;
    const command = cause?.commands[0];
    if (!command) {
      setMessage({ text: 'no fix command for this pod', tone: 'warn' });
      return;
    }
    actions.write(osc52(command, props.multiplexer));
    setMessage({ text: `copied: ${sanitizeLine(command)}`, tone: 'good' });
  };

  const podAction = (input: string): boolean => {
    if (!POD_KEYS.has(input)) return false;
    if (!current || !currentKey) {
      setMessage({ text: 'select a pod first (Enter expands an owner group)', tone: 'warn' });
      return true;
    }
    const target = { ...refOf(current), container: containerOf(current.pod) };
    switch (input) {
      case 'l':
      case 'p':
        if (!target.container) setMessage({ text: 'this pod has no container', tone: 'warn' });
        else push({ kind: 'logs', key: currentKey, container: target.container, previous: input === 'p' });
        return true;
      case 'd':
        push({ kind: 'describe', key: currentKey });
        return true;
      case 's':
        if (props.demo) setMessage(demoRefusal('a shell (kubectl exec)'));
        else void suspendFor(execArgv(kubectlTarget(target)), `shell in ${describeTarget(target)}`);
        return true;
      case 'x':
        if (props.demo) setMessage(demoRefusal('a debug copy (kubectl debug)'));
        else setConfirmDebug(target);
        return true;
      case 'y':
        void copyFix(current, currentKey).catch((error: unknown) =>
          setMessage({ text: firstLine(error), tone: 'bad' }),
        );
        return true;
    }
    return false;
  };

  const onTextEntry = useCallback((typing: boolean) => setChildTyping(typing), []);

  const handleKey = (input: string, key: Key) => {
    if (key.ctrl && input === 'c') return actions.quit(0);
    setMessage(undefined);
    if (confirmDebug) {
      if (input === 'y' || input === 'Y') {
        void suspendFor(
          debugArgv(kubectlTarget(confirmDebug)),
          `debug copy of ${describeTarget(confirmDebug)}`,
        );
      } else setMessage({ text: 'debug copy cancelled', tone: 'dim' });
      setConfirmDebug(undefined);
      return;
    }
    if (typingFilter !== undefined) {
      if (key.escape) setTypingFilter(undefined);
      else if (key.return) {
        setFilter(typingFilter);
        setTypingFilter(undefined);
      } else if (key.backspace || key.delete) setTypingFilter(typingFilter.slice(0, -1));
      else if (!key.ctrl && !key.meta && input) setTypingFilter(typingFilter + sanitizeLine(input));
      return;
    }
    if (childTyping) return;
    if (key.escape) {
      if (view) pop();
      else if (filter) setFilter('');
      return;
    }
    if (input === 'q') return actions.quit(0);
    if (input === '?') {
      if (view?.kind !== 'help') push({ kind: 'help' });
      return;
    }
    if (view?.kind === 'help' || view?.kind === 'namespace' || view?.kind === 'logs') return;
    if (podAction(input)) return;
    if (view) return;
    // The table's own keys.
    if (key.upArrow || input === 'k') select(selected - 1);
    else if (key.downArrow || input === 'j') select(selected + 1);
    else if (key.pageUp) select(selected - visibleRows);
    else if (key.pageDown) select(selected + visibleRows);
    else if (input === 'g' || key.home) select(0);
    else if (input === 'G' || key.end) select(lines.length - 1);
    else if (key.return && selectedLine?.kind === 'group') {
      const k = selectedLine.key;
      setExpanded((e) => (e.has(k) ? new Set([...e].filter((x) => x !== k)) : new Set([...e, k])));
    } else if (key.return && selectedLine?.kind === 'pod') {
      setMarked((m) => (m.has(selectedLine.key) ? new Set([...m].filter((x) => x !== selectedLine.key)) : m));
      push({ kind: 'detail', key: selectedLine.key });
    } else if (input === '/') setTypingFilter(filter);
    else if (input === 'n') push({ kind: 'namespace' });
    else if (input === 'a') setUnhealthyOnly((u) => !u);
    else if (input === 'o') setByOwner((o) => !o);
    else if (input === 'S') setSort((s) => SORT_KEYS[(SORT_KEYS.indexOf(s) + 1) % SORT_KEYS.length]!);
    else if (input === 'b') {
      setBell((b) => !b);
      setMarked(new Set());
      setMessage({ text: bell ? 'bell off' : 'bell on: rings when a pod newly enters a crash loop' });
    }
  };

  // A paste, or keys typed faster than a frame (`tmux send-keys jj`), arrive as one chunk, and a key can
  // arrive while earlier ones still wait. Each key must see the state the previous one left, so a chunk is
  // queued and handled one key per render, and a key that arrives while the queue is not empty joins it.
  const queued = useRef<{ input: string; key: Key }[]>([]);
  const [queueTick, setQueueTick] = useState(0);
  useInput(
    (input, key) => {
      const chars = [...input];
      const chunk = chars.length > 1 && !key.ctrl && !key.meta && !childTyping;
      if (!chunk && queued.current.length === 0) return handleKey(input, key);
      if (chunk) {
        queued.current.push(
          ...chars.map((c) =>
            c === '\r' ? { input: '', key: { ...NO_KEY, return: true } } : { input: c, key: NO_KEY },
          ),
        );
      } else queued.current.push({ input, key });
      setQueueTick((t) => t + 1);
    },
    { isActive: !suspended },
  );
  // biome-ignore lint/correctness/useExhaustiveDependencies: runs once per queued key, with this render's state.
  useEffect(() => {
    const next = queued.current.shift();
    if (next === undefined || suspended) return;
    handleKey(next.input, next.key);
    if (queued.current.length > 0) setQueueTick((t) => t + 1);
  }, [queueTick]);

  if (suspended) return null;

  const offset = (context: string) => snapshot.clockOffsetMs.get(context) ?? 0;
  const active = !suspended && !confirmDebug && typingFilter === undefined;

  return (
    <Box flexDirection="column" width={size.columns} height={size.rows - 1}>
      <Header
        width={size.columns}
        localNowMs={localNow}
        watches={snapshot.watches}
        clockOffsets={snapshot.clockOffsetMs}
        counts={counts}
        shown={shownRows.length}
        total={allRows.length}
        sort={sort}
        unhealthyOnly={unhealthyOnly}
        namespace={namespace}
        filter={typingFilter ?? filter}
        byOwner={byOwner}
        bell={bell}
        demo={props.demo}
      />
      {renderBody()}
      <Text wrap="truncate-end" color={message?.tone ? theme.tone(message.tone) : theme.tone('dim')}>
        {truncate(theme.text(footerText()), size.columns, theme.glyphs.ellipsis)}
      </Text>
    </Box>
  );

  function renderBody() {
    const common = { height: bodyHeight, width: size.columns, isActive: active };
    const watched = view && 'key' in view ? snapshot.pods.get(view.key) : undefined;
    if (view && 'key' in view && !watched) {
      return (
        <Box height={bodyHeight}>
          <Text>{theme.text('This pod is gone (deleted or out of the watched scope). Esc goes back.')}</Text>
        </Box>
      );
    }
    switch (view?.kind) {
      case 'help':
        return <HelpView {...common} />;
      case 'namespace':
        return (
          <NamespacePicker
            {...common}
            namespaces={namespaces}
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
            source={source}
            watched={watched!}
            events={snapshot.events.get(view.key) ?? []}
            clockOffsetMs={offset(watched!.context)}
            curve={props.curve}
          />
        );
      case 'logs':
        return (
          <LogView
            {...common}
            source={source}
            target={refOf(watched!)}
            container={view.container}
            previous={view.previous}
            onTextEntry={onTextEntry}
          />
        );
      case 'describe':
        return (
          <DescribeView
            {...common}
            source={source}
            target={refOf(watched!)}
            clockOffsetMs={offset(watched!.context)}
          />
        );
      case undefined:
        if (lines.length === 0) {
          return (
            <Box height={bodyHeight}>
              <Text color={theme.tone('good')}>{theme.text(emptyText())}</Text>
            </Box>
          );
        }
        return (
          <PodTable
            lines={lines}
            placed={placed}
            top={top}
            selected={selected}
            height={bodyHeight}
            width={size.columns}
            localNowMs={localNow}
            clockOffsetMs={offset}
            marked={marked}
          />
        );
    }
  }

  function emptyText(): string {
    if (allRows.length === 0) return 'No pods in the watched scope (yet).';
    if (filter || typingFilter || namespace)
      return 'No pod matches the filter (Esc clears it, n picks a namespace).';
    return 'No unhealthy pods. `a` shows all pods.';
  }

  function footerText(): string {
    if (confirmDebug) {
      const name = sanitizeLine(confirmDebug.name);
      return `x creates a NEW POD ${name}-debug (a copy of ${name} with a shell) in ${sanitizeLine(confirmDebug.namespace)}; delete it when done. Create it? y/N`;
    }
    if (typingFilter !== undefined) return `/${typingFilter}_   (Enter keeps the filter, Esc cancels)`;
    // Messages can quote the API server (errors): sanitised like every cluster string.
    if (message) return sanitizeLine(message.text);
    return '? help  q quit  Enter detail  l/p logs  d describe  s shell  x debug  y copy fix  / filter  a all  o owner  S sort';
  }
}

function kubectlTarget(t: PodRef & { container?: string }): Target {
  return { context: t.context, namespace: t.namespace, pod: t.name, container: t.container };
}

function describeTarget(t: PodRef & { container?: string }): string {
  return sanitizeLine(`${t.namespace}/${t.name}${t.container ? ` [${t.container}]` : ''}`);
}

function refOf(watched: WatchedPod): PodRef {
  return {
    context: watched.context,
    namespace: watched.pod.metadata.namespace ?? '',
    name: watched.pod.metadata.name,
  };
}

/** The container actions apply to: the first failing one, else the one kubectl would pick by default. */
function containerOf(pod: Pod): string | undefined {
  return (
    failingContainers(pod)[0]?.name ??
    pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ??
    pod.spec.containers[0]?.name
  );
}

function demoRefusal(what: string): Message {
  return {
    text: `--demo: the simulated cluster runs no real containers, so ${what} is not available here; on a real cluster this key runs it.`,
    tone: 'warn',
  };
}
