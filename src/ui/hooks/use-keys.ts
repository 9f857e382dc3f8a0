import type { WatchedPod } from '../../kube/source.js';
import {
  type ColumnId,
  nextNamedSort,
  sortByColumn,
  type TableLine,
  type TableSort,
} from '../../model/rows.js';
import type { KeyEvent } from '../key-input.js';
import { SORT_COLUMN_KEYS } from '../keys.js';
import { containerOf, type PodTarget, refOf } from '../pod-target.js';
import { typedInto } from '../prompt-edit.js';
import type { View } from '../view.js';
import { useKeyQueue, type ViewKeys } from './use-key-queue.js';
import type { Message } from './use-pod-actions.js';

/** Everything the keys read and change; App owns the state, this hook only maps keys to changes. */
export interface KeyBindings {
  active: boolean;
  /**
   * The views on screen: they get the keys the app does not take, and every key while one of them reads for
   * itself (its search: text, a paste there is one key; its container picker: one key at a time).
   */
  views: ViewKeys;
  view: View | undefined;
  push(view: View): void;
  pop(): void;
  quit(code: number): void;
  suspendProcess(): void;
  /** Bytes straight to the terminal (the key queue's question when it takes the terminal back). */
  write(text: string): void;
  setMessage(message: Message | undefined): void;
  /** The message on screen stays through keys until Esc (which then does nothing else). */
  messageSticky: boolean;
  filter: string;
  setFilter(filter: string): void;
  /** The namespace the table is narrowed to (`n`, `:ns`): Esc clears it once the filter is clear. */
  namespace: string | undefined;
  setNamespace(namespace: string | undefined): void;
  typingFilter: string | undefined;
  setTypingFilter(text: string): void;
  /** `/`: the filter prompt opens on the kept filter; the table as it is now is what Esc comes back to. */
  openFilter(): void;
  /** Enter: the typed filter is kept. */
  keepFilter(): void;
  /** Esc: the filter as it was, the selected pod and the scroll as they were when `/` opened the prompt. */
  cancelFilter(): void;
  /** The `:` prompt's text while it is open. */
  typingCommand: string | undefined;
  setTypingCommand(text: string | undefined): void;
  runCommand(text: string): void;
  completeCommand(text: string): string;
  /** The pod the actions apply to: the open view's pod, else the selected row. */
  current: { key: string; watched: WatchedPod } | undefined;
  lines: readonly TableLine[];
  selected: number;
  /** Moves the selection; on the top row it is on watch again (App.tsx). */
  select(index: number): void;
  /** A key acted on the selected pod: the selection stays on that pod, off watch (App.tsx). */
  holdSelection(): void;
  pageSize: number;
  unmark(key: string): void;
  setUnhealthyOnly(update: (only: boolean) => boolean): void;
  setByOwner(update: (byOwner: boolean) => boolean): void;
  setSort(update: (sort: TableSort) => TableSort): void;
  /** The view shows several contexts: sorting by CONTEXT orders something. */
  multiContext: boolean;
  bell: boolean;
  toggleBell(): void;
  debugQuestion: boolean;
  answerDebug(yes: boolean): void;
  /** `s` asked which container: a number picks, Enter takes the default, other keys cancel. */
  shellQuestion: boolean;
  answerShell(input: string, enter: boolean): void;
  shell(target: PodTarget, pod: WatchedPod['pod']): void;
  /** Whether it asked (the demo refuses). */
  askDebug(target: PodTarget): boolean;
  copyFix(watched: WatchedPod, key: string): void;
}

/** Keys that act on the selected (or open) pod. */
const POD_KEYS: ReadonlySet<string> = new Set(['l', 'p', 'd', 'e', 's', 'x', 'y']);

const SORT_BY_KEY = new Map(SORT_COLUMN_KEYS);

/** The live view's keys (DESIGN.md §4), through the ordered key queue. */
export function useKeys(b: KeyBindings): void {
  // Set by the key that opened the `x` question: the keys behind it in its read were typed before the question
  // was on screen, so none of them may answer it (a paste of `xy` ran kubectl debug).
  let asked = false;
  const podAction = (input: string): boolean => {
    if (!POD_KEYS.has(input)) return false;
    if (!b.current) {
      b.setMessage({ text: 'no pod selected', tone: 'warn' });
      return true;
    }
    const { key, watched } = b.current;
    if (!b.view) b.holdSelection();
    const target = { ...refOf(watched), container: containerOf(watched.pod) };
    switch (input) {
      case 'l':
      case 'p':
        if (!target.container) b.setMessage({ text: 'this pod has no container', tone: 'warn' });
        else b.push({ kind: 'logs', key, container: target.container, previous: input === 'p' });
        return true;
      case 'd':
        b.push({ kind: 'describe', key });
        return true;
      case 'e':
        b.push({ kind: 'events', context: target.context, namespace: target.namespace });
        return true;
      case 's':
        b.shell(target, watched.pod);
        return true;
      case 'x':
        asked = b.askDebug(target);
        return true;
      case 'y':
        b.copyFix(watched, key);
        return true;
    }
    return false;
  };

  const sortBy = (input: string, column: ColumnId) => {
    // One context: every row has the same one, so the sort would only fall back to namespace and name, an order
    // the header would call `context` with nothing on screen to show it.
    if (column === 'context' && !b.multiContext)
      return b.setMessage({
        text: `${input} sorts by CONTEXT: this view shows one context, so the order stays as it is`,
      });
    b.setSort((s) => sortByColumn(s, column));
  };

  const tableKey = (input: string, key: KeyEvent) => {
    const line = b.lines[b.selected];
    if (key.upArrow || input === 'k') b.select(b.selected - 1);
    else if (key.downArrow || input === 'j') b.select(b.selected + 1);
    else if (key.pageUp) b.select(b.selected - b.pageSize);
    else if (key.pageDown) b.select(b.selected + b.pageSize);
    else if (input === 'g' || key.home) b.select(0);
    else if (input === 'G' || key.end) b.select(b.lines.length - 1);
    else if (key.return && line?.kind === 'pod') {
      b.holdSelection();
      b.unmark(line.key);
      b.push({ kind: 'detail', key: line.key });
    } else if (input === '/') b.openFilter();
    else if (input === 'n') b.push({ kind: 'namespace' });
    else if (input === 'a') b.setUnhealthyOnly((u) => !u);
    else if (input === 'o') b.setByOwner((o) => !o);
    else if (input === 'S') b.setSort(nextNamedSort);
    else if (SORT_BY_KEY.has(input)) sortBy(input, SORT_BY_KEY.get(input)!);
    else if (input === 'b') {
      b.toggleBell();
      b.setMessage({ text: b.bell ? 'bell off' : 'bell on: rings when a pod newly enters a crash loop' });
    }
  };

  const handleKey = (input: string, key: KeyEvent) => {
    if (key.ctrl && key.chord === 'c') return b.quit(0);
    if (key.ctrl && key.chord === 'z') return b.suspendProcess();
    if (!b.messageSticky) b.setMessage(undefined);
    else if (key.escape) return b.setMessage(undefined);
    if (b.debugQuestion) return b.answerDebug(input === 'y' || input === 'Y');
    if (b.shellQuestion) return b.answerShell(input, key.return);
    if (b.typingFilter !== undefined) {
      if (key.escape) b.cancelFilter();
      else if (key.return) b.keepFilter();
      else b.setTypingFilter(typedInto(b.typingFilter, input, key));
      return;
    }
    if (b.typingCommand !== undefined) {
      if (key.escape) b.setTypingCommand(undefined);
      else if (key.return) {
        b.setTypingCommand(undefined);
        b.runCommand(b.typingCommand);
      } else if (key.tab) b.setTypingCommand(b.completeCommand(b.typingCommand));
      else b.setTypingCommand(typedInto(b.typingCommand, input, key));
      return;
    }
    if (b.views.typing()) return b.views.handle(input, key);
    if (input === ':') return b.setTypingCommand('');
    if (key.escape) {
      if (b.view) b.pop();
      else if (b.filter) b.setFilter('');
      else if (b.namespace !== undefined) b.setNamespace(undefined);
      return;
    }
    // As in k9s: q leaves a sub-view and quits only from the table; ? opens and closes help.
    if (input === 'q') return b.view ? b.pop() : b.quit(0);
    if (input === '?') return b.view?.kind === 'help' ? b.pop() : b.push({ kind: 'help' });
    const { view } = b;
    // The pod keys act from the table and the views about one pod; the other views take them for themselves.
    const podKeys = view === undefined || view.kind === 'detail' || view.kind === 'describe';
    if (podKeys && podAction(input)) return;
    if (view) b.views.handle(input, key);
    else tableKey(input, key);
  };

  // The prompts (the filter, the `:` command, the log search) read text: a paste reaches them as one key.
  const prompt = b.typingFilter !== undefined || b.typingCommand !== undefined;
  useKeyQueue(handleKey, {
    isActive: b.active,
    takesText: () => (prompt || b.views.typing() === 'text') && !b.debugQuestion && !b.shellQuestion,
    // The process stops inside Ctrl-Z's handler: the keys behind it in its read were typed for the shell. A
    // question is dropped the same way, and its answer must come from a later read.
    handsOver: ({ key }) => (key.ctrl === true && key.chord === 'z') || asked,
    ask: b.write,
  });
}
