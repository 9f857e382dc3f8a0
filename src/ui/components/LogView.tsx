import { Box, Text } from 'ink';
import { useMemo, useState } from 'react';
import type { ClusterSource, WatchedPod } from '../../kube/source.js';
import { type BackoffCurve, serverNow } from '../../model/backoff.js';
import { containerStatus, pendingRestart } from '../../model/log-runs.js';
import { plural } from '../../model/plural.js';
import { contextLabel } from '../context-label.js';
import { truncate, wrapWords } from '../fit.js';
import { useNow } from '../hooks/use-clock.js';
import { useViewKeys } from '../hooks/use-key-queue.js';
import { ALL_CONTAINERS, RECONNECTING, useLogs } from '../hooks/use-logs.js';
import type { Message } from '../hooks/use-pod-actions.js';
import type { KeyEvent } from '../key-input.js';
import type { LogEntry } from '../log-buffer.js';
import type { LogLimits } from '../log-limits.js';
import { type LogRow, logRows } from '../log-rows.js';
import { logTitle } from '../log-title.js';
import { refOf } from '../pod-target.js';
import { typedInto } from '../prompt-edit.js';
import { sanitizeLine } from '../sanitize.js';
import { saveLog } from '../save-log.js';
import { useTheme } from '../theme.js';
import { ContainerPicker, containerChoices } from './ContainerPicker.js';
import { MoreHint } from './ScrollView.js';

export interface LogViewProps {
  source: ClusterSource;
  watched: WatchedPod;
  /** The container shown first (the failing one); `c` picks another, or all of them. */
  container: string;
  previous: boolean;
  height: number;
  width: number;
  isActive: boolean;
  limits: LogLimits;
  curve?: BackoffCurve;
  /** Server clock minus ours (the countdown to the next run). */
  clockOffsetMs: number;
  /** The app's message (an action's result, or this view's own), shown in this view's footer. */
  notice?: Message;
  /** Puts a message in the app's footer line (use-message.ts): this view's messages are the app's. */
  say(message: Message): void;
  /** Where Ctrl-S writes (tests); the system's temporary directory otherwise. */
  saveDir?: string;
  /** The view shows several contexts: the title names this pod's. */
  multiContext?: boolean;
}

/** Colours of the container prefixes in the "all containers" view, by container order. */
const PREFIX_COLOURS = ['cyan', 'magenta', 'green', 'yellow', 'blue'] as const;

interface Scroll {
  /** Keep the newest line in view (tail -f). */
  follow: boolean;
  /** The top row's entry, counted from the first line ever read (dropped ones included), and row within it. */
  anchor: number;
  sub: number;
}

/**
 * `l` / `p`: the container's log followed across restarts, or its previous run. Reading keys: w wrap,
 * t timestamps, ← → scroll sideways, / search with n N (wrapping, `i/N`), Ctrl-S save, c container,
 * p previous ⇄ current. Scrolling up pauses following ("paused · G to follow").
 */
export function LogView(props: LogViewProps) {
  const theme = useTheme();
  const localNow = useNow();
  const ref = refOf(props.watched);
  const { pod } = props.watched;
  const choices = useMemo(() => containerChoices(pod), [pod]);
  const names = useMemo(() => choices.filter((c) => c.name !== ALL_CONTAINERS).map((c) => c.name), [choices]);
  const [container, setContainer] = useState(props.container);
  const [previous, setPrevious] = useState(props.previous);
  const [picking, setPicking] = useState<number>();
  const [wrap, setWrap] = useState(false);
  const [timestamps, setTimestamps] = useState(false);
  const [offset, setOffset] = useState(0);
  const [typing, setTyping] = useState<string>();
  const [search, setSearch] = useState('');
  const [current, setCurrent] = useState<number>();
  const [scroll, setScroll] = useState<Scroll>({ follow: true, anchor: 0, sub: 0 });
  const logs = useLogs(
    props.source,
    ref,
    names,
    { container, previous },
    {
      limits: props.limits,
      curve: props.curve,
    },
  );
  const capture = (typingNow: string | undefined, pickingNow: number | undefined) => {
    setTyping(typingNow);
    setPicking(pickingNow);
  };

  const all = container === ALL_CONTAINERS;
  const { buffer } = logs;
  const sep = ` ${theme.glyphs.separator} `;
  const bodyHeight = Math.max(1, props.height - 2);
  const rows = useMemo(
    () =>
      logRows(buffer, {
        width: props.width,
        wrap,
        timestamps,
        containerPrefix: all,
        offset,
        droppedNote: (n) =>
          `── ${n.toLocaleString('en-US')} older ${plural(n, 'line')} dropped (the view keeps ${props.limits.lines.toLocaleString('en-US')} ${plural(props.limits.lines, 'line')}; --log-lines) ──`,
      }),
    [buffer, props.width, wrap, timestamps, all, offset, props.limits.lines],
  );
  const maxTop = Math.max(0, rows.length - bodyHeight);
  const firstRowOf = (entry: number) => {
    const index = rows.findIndex((r) => r.entry >= entry);
    return index === -1 ? rows.length : index;
  };
  const top = scroll.follow
    ? maxTop
    : Math.max(0, Math.min(maxTop, firstRowOf(scroll.anchor - buffer.dropped) + scroll.sub));
  const moveTo = (row: number) => {
    const next = Math.max(0, Math.min(maxTop, row));
    const entry = rows[next]?.entry ?? 0;
    setScroll({ follow: next >= maxTop, anchor: entry + buffer.dropped, sub: next - firstRowOf(entry) });
  };

  const needle = search.toLowerCase();
  const matches = useMemo(() => matchingEntries(buffer.entries, needle), [buffer, needle]);
  const currentIndex = current === undefined ? -1 : matches.indexOf(current - buffer.dropped);
  /** The search and the match shown, as the footer starts: what the search's messages start with too. */
  const searchCount = (text: string, index: number, count: number) =>
    text ? `"${sanitizeLine(text)}" ${index >= 0 ? index + 1 : '-'}/${count}${sep}` : '';
  const showMatch = (entry: number) => {
    setCurrent(entry + buffer.dropped);
    moveTo(firstRowOf(entry) - Math.floor(bodyHeight / 3));
  };
  /** The next match after the current one (or after the top of the screen), wrapping at the ends. */
  const jump = (direction: 1 | -1) => {
    if (matches.length === 0) return noMatch(search);
    const from =
      currentIndex >= 0 ? matches[currentIndex]! : (rows[top]?.entry ?? 0) - (direction === 1 ? 1 : 0);
    const ahead = direction === 1 ? matches.find((i) => i > from) : matches.findLast((i) => i < from);
    const next = ahead ?? (direction === 1 ? matches[0]! : matches.at(-1)!);
    showMatch(next);
    if (ahead === undefined) {
      const where = direction === 1 ? 'search wrapped to the top' : 'search wrapped to the bottom';
      props.say({ text: searchCount(search, matches.indexOf(next), matches.length) + where });
    }
  };
  /** Not before the first lines are read (a search typed or pasted with `l`): the count says when they match. */
  const noMatch = (text: string) => {
    if (buffer.entries.length > 0)
      props.say({ text: `${searchCount(text, -1, 0)}no match for "${sanitizeLine(text)}"`, tone: 'warn' });
  };
  /** A new search shows its first match at once (from the top of the screen down), without pressing n. */
  const startSearch = (text: string) => {
    setSearch(text);
    setCurrent(undefined);
    const found = matchingEntries(buffer.entries, text.toLowerCase());
    if (text && found.length === 0) noMatch(text);
    else if (text) showMatch(found.find((i) => i >= (rows[top]?.entry ?? 0)) ?? found[0]!);
  };

  const save = () => {
    saveLog(
      buffer.entries,
      { ref, container: all ? 'all' : container, containerPrefix: all },
      { dir: props.saveDir },
    ).then(
      // The path is what the user came for: it stays until the next key, wrapped whole.
      (path) =>
        props.say({
          text: `saved ${buffer.entries.length} ${plural(buffer.entries.length, 'line')} to ${path}`,
          tone: 'good',
          untilKey: true,
        }),
      (error: unknown) => props.say({ text: `could not save: ${(error as Error).message}`, tone: 'bad' }),
    );
  };

  const pick = (input: string, key: KeyEvent) => {
    const index = picking ?? 0;
    if (key.escape || input === 'c') capture(undefined, undefined);
    else if (key.upArrow || input === 'k') setPicking(Math.max(0, index - 1));
    else if (key.downArrow || input === 'j') setPicking(Math.min(choices.length - 1, index + 1));
    else if (key.return) {
      const chosen = choices[index]?.name;
      capture(undefined, undefined);
      if (chosen && chosen !== container) {
        setContainer(chosen);
        setScroll({ follow: true, anchor: 0, sub: 0 });
      }
    }
  };

  const handleKey = (input: string, key: KeyEvent) => {
    if (picking !== undefined) return pick(input, key);
    if (typing !== undefined) {
      if (key.escape) capture(undefined, undefined);
      else if (key.return) {
        startSearch(typing);
        capture(undefined, undefined);
      } else setTyping(typedInto(typing, input, key));
      return;
    }
    const page = Math.max(1, bodyHeight - 1);
    const step = Math.max(8, Math.floor(props.width / 2));
    if (key.ctrl && key.chord === 's') save();
    else if (key.ctrl) return;
    else if (key.upArrow || input === 'k') moveTo(top - 1);
    else if (key.downArrow || input === 'j') moveTo(top + 1);
    else if (key.pageUp) moveTo(top - page);
    else if (key.pageDown || input === ' ') moveTo(top + page);
    else if (input === 'g' || key.home) moveTo(0);
    else if (input === 'G' || key.end) setScroll({ follow: true, anchor: 0, sub: 0 });
    else if (key.leftArrow && !wrap) setOffset((o) => Math.max(0, o - step));
    else if (key.rightArrow && !wrap) setOffset((o) => o + step);
    else if (input === 'w') {
      setWrap((w) => !w);
      setOffset(0);
    } else if (input === 't') setTimestamps((t) => !t);
    else if (input === 'p') {
      setPrevious((p) => !p);
      setScroll({ follow: true, anchor: 0, sub: 0 });
    } else if (input === 'c')
      capture(
        undefined,
        Math.max(
          0,
          choices.findIndex((c) => c.name === container),
        ),
      );
    else if (input === '/') capture('', undefined);
    else if (input === 'n' && search) jump(1);
    else if (input === 'N' && search) jump(-1);
  };
  // While its search or container picker is open the app hands this view every key (Esc and q included).
  useViewKeys(handleKey, {
    isActive: props.isActive,
    typing: picking !== undefined ? 'pick' : typing !== undefined ? 'text' : false,
  });

  if (picking !== undefined) {
    return (
      <ContainerPicker
        choices={choices}
        index={picking}
        current={container}
        height={props.height}
        width={props.width}
      />
    );
  }

  const reading = previous ? 'previous run' : 'current run';
  const waiting = !previous && !all && logs.status === 'waiting for the next run';
  const shown = waiting ? containerStatus(pod, container) : undefined;
  const next = shown && pendingRestart(pod, shown, serverNow(localNow, props.clockOffsetMs), props.curve);
  const unread = logs.unread
    ? `${logs.unread} of ${names.length} ${plural(names.length, 'container')} failed`
    : undefined;
  // A read that failed says why in full in the body: the title only says so. After lines were read, "no log
  // read" would contradict them: the title says the read was refused, and in what words it starts.
  const readLines = buffer.entries.some((entry) => !entry.note);
  const refused = logs.failed === undefined ? undefined : `refused: ${sanitizeLine(headline(logs.failed))}`;
  const state =
    !previous && logs.status === 'following' && !scroll.follow
      ? 'paused · G to follow'
      : refused !== undefined
        ? readLines
          ? refused
          : 'no log read'
        : `${sanitizeLine(logs.status)}${unread ? `, ${unread}` : ''}`;
  const counts = `${buffer.entries.length} ${plural(buffer.entries.length, 'line')}${buffer.dropped ? `, ${buffer.dropped} older dropped` : ''}`;
  const title = logTitle(
    {
      context: props.multiContext ? contextLabel(ref.context, props.width, theme.glyphs.ellipsis) : undefined,
      namespace: sanitizeLine(ref.namespace),
      pod: sanitizeLine(ref.name),
      container: all ? undefined : sanitizeLine(container),
      reading,
      state,
      brief: next
        ? 'waiting'
        : logs.unread
          ? `${logs.unread} of ${names.length} failed`
          : refused && readLines
            ? 'refused'
            : logs.status.startsWith(RECONNECTING)
              ? RECONNECTING
              : undefined,
      next,
      extras: [counts, ...(wrap ? ['wrap'] : []), ...(offset ? [`→${offset}`] : [])],
    },
    props.width,
    theme.glyphs,
  );
  // A read refused after lines were read (the view follows a run, a later one is refused): the refusal and what
  // to ask for stay in view below the lines, when the row saying it has scrolled out of the window.
  const refusal = logs.failed === undefined ? undefined : lastFailure(rows, buffer.entries);
  const refusalShown =
    refusal !== undefined && refusal.first < top + bodyHeight && refusal.first + refusal.rows.length > top;
  const pinned = refusal && !refusalShown ? refusal.rows.slice(0, Math.max(0, bodyHeight - 1)) : [];
  const shownRows = scroll.follow
    ? rows.slice(top + pinned.length, top + bodyHeight)
    : rows.slice(top, top + bodyHeight - pinned.length);
  const below = rows.length - (top + bodyHeight - (scroll.follow ? 0 : pinned.length));
  const { notice } = props;
  const keys = search
    ? `n N next/previous (wraps)${sep}/ new search${sep}Esc back`
    : `/ search${sep}w wrap${sep}t time${sep}← → sideways${sep}p ${previous ? 'current' : 'previous'}${sep}c container${sep}^S save${sep}Esc back`;
  // A notice (the app's question, an action's result) stands alone: the search count would cut its end. The
  // search's own messages start with it.
  const footer =
    typing !== undefined
      ? `/${typing}_   (Enter searches, Esc cancels)`
      : notice
        ? sanitizeLine(notice.text)
        : searchCount(search, currentIndex, matches.length) + keys;
  return (
    <Box flexDirection="column" height={props.height}>
      <Text bold wrap="truncate-end" color={state.startsWith('paused') ? theme.tone('warn') : undefined}>
        {/* ASCII can widen a character (→ is ->): still never wider than the screen. */}
        {truncate(theme.text(title), props.width, theme.glyphs.ellipsis)}
      </Text>
      {rows.length === 0 ? (
        <Box height={bodyHeight}>
          {logs.failed !== undefined ? (
            // The reason in full: on 80 columns the title cuts it, and "no lines" would read as an empty log.
            // Wrapped as a failed read's note is in the log (log-rows.ts), its later lines under its first.
            <Text color={theme.tone('bad')}>
              {wrapWords(theme.text(`no log read: ${sanitizeLine(logs.failed)}`), props.width, '  ').join(
                '\n',
              )}
            </Text>
          ) : (
            <Text color={theme.tone('dim')}>
              {theme.text(logs.status === 'reading' ? 'reading…' : '(no log lines yet)')}
            </Text>
          )}
        </Box>
      ) : (
        <Box flexDirection="column" height={bodyHeight}>
          {[...shownRows, ...pinned].map((row, i) => (
            <LogLine
              // biome-ignore lint/suspicious/noArrayIndexKey: rows have no identity beyond their position.
              key={i}
              row={row}
              width={props.width}
              needle={needle}
              current={row.entry >= 0 && row.entry + buffer.dropped === current}
              colour={
                PREFIX_COLOURS[Math.max(0, names.indexOf(row.container ?? '')) % PREFIX_COLOURS.length] ??
                'cyan'
              }
            />
          ))}
        </Box>
      )}
      <MoreHint
        below={below}
        width={props.width}
        tone={notice?.tone}
        notice={typing === undefined && notice !== undefined}
      >
        {footer}
      </MoreHint>
    </Box>
  );
}

function LogLine(props: { row: LogRow; width: number; needle: string; current: boolean; colour: string }) {
  const theme = useTheme();
  const { row } = props;
  // An empty Text takes no row in Ink: a blank log line must still be one.
  const text = truncate(theme.text(row.text), props.width, theme.glyphs.ellipsis) || ' ';
  if (row.note) return <Text color={theme.tone(row.failed ? 'bad' : 'dim')}>{text}</Text>;
  const prefix = text.slice(0, row.prefixColumns);
  const rest = text.slice(row.prefixColumns);
  return (
    <Text>
      {prefix && <Text color={theme.color ? props.colour : undefined}>{prefix}</Text>}
      {highlight(rest, props.needle).map((piece, i) =>
        piece.match && theme.color ? (
          // biome-ignore lint/suspicious/noArrayIndexKey: pieces are positional.
          <Text key={i} inverse color={props.current ? 'yellow' : undefined} bold={props.current}>
            {piece.text}
          </Text>
        ) : (
          piece.text
        ),
      )}
    </Text>
  );
}

/** The rows of the newest failed read's note (log-buffer.ts `failed`) and where they start, if there is one. */
function lastFailure(
  rows: readonly LogRow[],
  entries: readonly LogEntry[],
): { first: number; rows: LogRow[] } | undefined {
  const entry = entries.findLastIndex((e) => e.failed);
  const first = entry === -1 ? -1 : rows.findIndex((row) => row.entry === entry);
  if (first === -1) return undefined;
  let end = first;
  while (rows[end]?.entry === entry) end++;
  return { first, rows: rows.slice(first, end) };
}

/** What a failure says first: `reading logs is forbidden` of `reading logs is forbidden: context … may not …`. */
function headline(failure: string): string {
  return failure.split(': ')[0] ?? failure;
}

/** Indexes of the entries containing `needle` (lower case), none for an empty needle. */
function matchingEntries(entries: readonly LogEntry[], needle: string): number[] {
  if (!needle) return [];
  return entries.flatMap((entry, i) => (entry.text.toLowerCase().includes(needle) ? [i] : []));
}

/** `text` in pieces, the case-insensitive occurrences of `needle` marked. */
export function highlight(text: string, needle: string): { text: string; match: boolean }[] {
  const lower = text.toLowerCase();
  // Lower-casing can change the length (İ): then offsets would not line up, so nothing is marked.
  if (!needle || lower.length !== text.length) return [{ text, match: false }];
  const pieces: { text: string; match: boolean }[] = [];
  let at = 0;
  for (let found = lower.indexOf(needle); found !== -1; found = lower.indexOf(needle, at)) {
    if (found > at) pieces.push({ text: text.slice(at, found), match: false });
    pieces.push({ text: text.slice(found, found + needle.length), match: true });
    at = found + needle.length;
  }
  if (at < text.length) pieces.push({ text: text.slice(at), match: false });
  return pieces;
}
