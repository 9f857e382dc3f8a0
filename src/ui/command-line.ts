// The `:` prompt (k9s's command mode): `:ns NAME`, `:ctx NAME[,NAME…]`, `:q`. Parsing and Tab completion are pure, so
// every form is tested without a terminal.

import { contextName } from './context-label.js';
import type { Message } from './hooks/use-pod-actions.js';

export type Command =
  | { kind: 'quit' }
  /** No name, or `all`: every watched namespace. */
  | { kind: 'namespace'; name?: string }
  /** `:ctx a,b`: the view watches these contexts, as `--context a --context b` does. */
  | { kind: 'context'; names: string[] }
  | { kind: 'error'; message: string };

/** `context west`, `contexts east, west`: names as the header says them. */
export function contextsText(names: readonly string[]): string {
  return `${names.length > 1 ? 'contexts' : 'context'} ${names.map((n) => contextName(n)).join(', ')}`;
}

/** Whether the two lists name the same contexts, in whatever order. */
export function sameContexts(a: readonly string[], b: readonly string[]): boolean {
  return a.length === b.length && a.every((name) => b.includes(name));
}

/**
 * What `:ctx` says in the view it opens. From a view of several contexts, the ones it no longer watches are named,
 * with the command that watches them all again, and it stays until Esc: otherwise `:ctx west` from `--context east
 * --context west` read as the same view with fewer rows, east's crashes gone without a word.
 */
export function switchedText(before: readonly string[], after: readonly string[]): Message {
  const dropped = before.filter((name) => !after.includes(name));
  if (before.length < 2 || dropped.length === 0) return { text: contextsText(after) };
  const names = (list: readonly string[], separator: string) =>
    list.map((n) => contextName(n)).join(separator);
  return {
    text: `now watching only ${contextsText(after)}; no longer watched: ${names(dropped, ', ')} (:ctx ${names(before, ',')} watches ${before.length === 2 ? 'both' : 'them'} again)`,
    tone: 'warn',
    sticky: true,
  };
}

export interface Candidates {
  namespaces: readonly string[];
  contexts: readonly string[];
}

const COMMANDS = ['ns', 'ctx', 'q'] as const;
const ALIASES: Record<string, (typeof COMMANDS)[number]> = {
  ns: 'ns',
  namespace: 'ns',
  ctx: 'ctx',
  context: 'ctx',
  q: 'q',
  quit: 'q',
};

export function parseCommand(text: string): Command {
  const [word = '', name, ...rest] = text.trim().split(/\s+/);
  const command = ALIASES[word];
  if (command === undefined)
    return { kind: 'error', message: `unknown command :${word} (try :ns NAME, :ctx NAME, :q)` };
  if (rest.length > 0) return { kind: 'error', message: `:${word} takes one name` };
  if (command === 'q') return name ? { kind: 'error', message: ':q takes no name' } : { kind: 'quit' };
  if (command === 'ns') return { kind: 'namespace', name: name === 'all' ? undefined : name };
  const names = [...new Set((name ?? '').split(',').filter((n) => n !== ''))];
  return names.length > 0
    ? { kind: 'context', names }
    : { kind: 'error', message: ':ctx needs a context name' };
}

/** What may follow the typed text: command names, then namespace or context names. */
export function candidates(text: string, known: Candidates): string[] {
  const parts = text.trimStart().split(/\s+/);
  if (parts.length <= 1) return COMMANDS.filter((c) => c.startsWith(parts[0] ?? ''));
  const command = ALIASES[parts[0]!];
  if (parts.length !== 2) return [];
  const typed = parts[1]!;
  if (command === 'ns') return ['all', ...known.namespaces].filter((n) => n.startsWith(typed));
  if (command !== 'ctx') return [];
  // `:ctx a,b`: the name after the last comma is completed, the ones before it kept.
  const head = typed.slice(0, typed.lastIndexOf(',') + 1);
  const before = new Set(head.split(','));
  return known.contexts
    .filter((n) => !before.has(n) && n.startsWith(typed.slice(head.length)))
    .map((n) => head + n);
}

/** Tab: the typed word extended as far as every candidate agrees (a whole word and a space when one). */
export function complete(text: string, known: Candidates): string {
  const options = candidates(text, known);
  if (options.length === 0) return text;
  const parts = text.trimStart().split(/\s+/);
  const typed = parts.at(-1) ?? '';
  let common = options[0]!;
  for (const option of options) while (!option.startsWith(common)) common = common.slice(0, -1);
  const head = text.slice(0, text.length - typed.length);
  const done = options.length === 1 && parts.length === 1;
  return head + (common.length >= typed.length ? common : typed) + (done ? ' ' : '');
}
