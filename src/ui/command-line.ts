// The `:` prompt (k9s's command mode): `:ns NAME`, `:ctx NAME`, `:q`. Parsing and Tab completion are pure, so
// every form is tested without a terminal.

export type Command =
  | { kind: 'quit' }
  /** No name, or `all`: every watched namespace. */
  | { kind: 'namespace'; name?: string }
  | { kind: 'context'; name: string }
  | { kind: 'error'; message: string };

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
  return name ? { kind: 'context', name } : { kind: 'error', message: ':ctx needs a context name' };
}

/** What may follow the typed text: command names, then namespace or context names. */
export function candidates(text: string, known: Candidates): string[] {
  const parts = text.trimStart().split(/\s+/);
  if (parts.length <= 1) return COMMANDS.filter((c) => c.startsWith(parts[0] ?? ''));
  const command = ALIASES[parts[0]!];
  const names = command === 'ns' ? ['all', ...known.namespaces] : command === 'ctx' ? known.contexts : [];
  const prefix = parts.length === 2 ? parts[1]! : undefined;
  return prefix === undefined ? [] : names.filter((n) => n.startsWith(prefix));
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
