// The one place that builds kubectl command lines. Commands are argv arrays (exec'd directly, never through a
// shell); commandLine() renders one for display and copy, quoted so that pasting it into a POSIX shell runs
// exactly that argv (into bash or zsh when a word holds a control character: shellQuote).

/**
 * The cluster a command must reach: the row's context, and the kubeconfig files when kubectl would not find
 * them by itself (not its default), so that the command also works pasted into another shell.
 */
export interface KubectlCluster {
  context?: string;
  /**
   * One file: `--kubeconfig FILE`. Several (a KUBECONFIG list): `env KUBECONFIG=A:B kubectl …`, since the flag
   * takes one file and only the whole list merges as crashtop merged it (`env` rather than a `VAR=` prefix, so the
   * argv runs as is and pastes into any shell). POSIX list separator: crashtop runs on POSIX terminals.
   */
  kubeconfig?: readonly string[];
  /**
   * crashtop reads the pod's service account (no kubeconfig): kubectl in that pod does the same by itself, and
   * the context's name is client-node's invention (`inClusterContext`) that no kubectl knows, so the commands
   * name neither a context nor a file.
   */
  inCluster?: boolean;
}

export interface Target extends KubectlCluster {
  namespace: string;
  pod: string;
  container?: string;
}

function toolArgv(tool: string, contextFlag: string, cluster: KubectlCluster | undefined): string[] {
  if (cluster?.inCluster) return [tool];
  const files = cluster?.kubeconfig ?? [];
  const context = cluster?.context ? [contextFlag, cluster.context] : [];
  if (files.length > 1) return ['env', `KUBECONFIG=${files.join(':')}`, tool, ...context];
  return [tool, ...(files.length === 1 ? ['--kubeconfig', files[0]!] : []), ...context];
}

/** `kubectl [--kubeconfig F] [--context C] ARGS…` (or through `env KUBECONFIG=…`, see KubectlCluster). */
export function kubectlArgv(cluster: KubectlCluster | undefined, args: readonly string[]): string[] {
  return [...toolArgv('kubectl', '--context', cluster), ...args];
}

/** `helm [--kubeconfig F] [--kube-context C] ARGS…`: Helm reads kubeconfigs as kubectl does. */
export function helmArgv(cluster: KubectlCluster | undefined, args: readonly string[]): string[] {
  return [...toolArgv('helm', '--kube-context', cluster), ...args];
}

/** `flux [--kubeconfig F] [--context C] ARGS…`: the flux CLI reads kubeconfigs as kubectl does. */
export function fluxArgv(cluster: KubectlCluster | undefined, args: readonly string[]): string[] {
  return [...toolArgv('flux', '--context', cluster), ...args];
}

/**
 * `argocd ARGS…` with no cluster flags: the argocd CLI talks to the Argo CD server it is logged in to
 * (`argocd login`), which often runs in another cluster than the workload; the pod's context means nothing
 * to it (its `--kube-context` is for `--core` mode only).
 */
export function argocdArgv(args: readonly string[]): string[] {
  return ['argocd', ...args];
}

function containerArgs(t: Target): string[] {
  return t.container ? ['-c', t.container] : [];
}

/** Prefer bash, fall back to sh: most images have only one of them. */
export function execArgv(t: Target): string[] {
  return kubectlArgv(t, [
    'exec',
    '-it',
    '-n',
    t.namespace,
    t.pod,
    ...containerArgs(t),
    '--',
    'sh',
    '-c',
    'command -v bash >/dev/null && exec bash || exec sh',
  ]);
}

export function debugCopyName(t: Target): string {
  return `${t.pod}-debug`;
}

/**
 * A copy of the pod whose container runs `sh` instead of its crashing command. `--profile=general`: kubectl
 * 1.32 warns that the default (legacy) profile is deprecated.
 */
export function debugArgv(t: Target): string[] {
  return kubectlArgv(t, [
    'debug',
    t.pod,
    '-it',
    `--copy-to=${debugCopyName(t)}`,
    ...(t.container ? [`--container=${t.container}`] : []),
    '--profile=general',
    '-n',
    t.namespace,
    '--',
    'sh',
  ]);
}

/** The debug copy is a pod of its own: it runs until deleted. */
export function deleteDebugCopyArgv(t: Target): string[] {
  return kubectlArgv(t, ['delete', 'pod', debugCopyName(t), '-n', t.namespace]);
}

export function describeArgv(t: Target): string[] {
  return kubectlArgv(t, ['describe', 'pod', t.pod, '-n', t.namespace]);
}

export function logsArgv(t: Target, opts: { previous?: boolean; follow?: boolean; tail?: number }): string[] {
  return kubectlArgv(t, [
    'logs',
    t.pod,
    '-n',
    t.namespace,
    ...containerArgs(t),
    ...(opts.previous ? ['--previous'] : []),
    ...(opts.follow ? ['-f'] : []),
    ...(opts.tail !== undefined ? [`--tail=${opts.tail}`] : []),
  ]);
}

// Characters no POSIX shell (nor bash, zsh) gives a meaning to inside a word. `=` and `~` expand at the start
// of a word in zsh/bash, so a word starting with them is quoted.
const SAFE_WORD = /^[A-Za-z0-9_@%+,./:-][A-Za-z0-9_@%+=,./:-]*$/;

// What must not reach a terminal raw, or cannot be seen there: controls (C0, DEL, C1: escape sequences),
// format characters (bidi overrides, zero widths), line and paragraph separators, and a lone surrogate.
const UNPRINTABLE = /[\p{Cc}\p{Cf}\p{Zl}\p{Zp}]|\p{Cs}/u;
const UTF8 = new TextEncoder();

/**
 * `$'…'` (bash, zsh, ksh, busybox; POSIX.1-2024): each unprintable character as the `\xHH` of its UTF-8 bytes,
 * whatever the locale. A kubeconfig can name a context with an ESC in it: the command shown (sanitised, which
 * would drop the ESC) and the one copied are then the same text, safe on screen, and a paste reaches that very
 * context rather than one without the ESC. `'` is `\x27`, not `\'`, so that wrapCommand still reads the word
 * as `$` and one '…'.
 */
function ansiCQuote(arg: string): string {
  let out = '';
  for (const char of arg) {
    if (char === '\\') out += '\\\\';
    else if (char === "'") out += '\\x27';
    else if (UNPRINTABLE.test(char))
      for (const byte of UTF8.encode(char)) out += `\\x${byte.toString(16).padStart(2, '0')}`;
    else out += char;
  }
  return `$'${out}'`;
}

/**
 * A name (a context's, a file's) as text shows it outside commands: as it is, or ANSI-C quoted as commands quote
 * it when it holds a character a terminal must not get raw, so that `prod` and `prod\x1b[31m` never look alike
 * and the name reads as the command that names it spells it.
 */
export function visibleName(name: string): string {
  return UNPRINTABLE.test(name) ? ansiCQuote(name) : name;
}

/**
 * One argument, single-quoted when it holds anything a shell would interpret, ANSI-C quoted (ansiCQuote) when
 * it holds a character a terminal must not get raw.
 */
export function shellQuote(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  if (UNPRINTABLE.test(arg)) return ansiCQuote(arg);
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

/** `<value of DB_URL>`: what only the user knows. */
const PLACEHOLDER = /<([^<>]+)>/g;

/** The shell variable a placeholder reads: `<value of DB_URL>` → `VALUE_OF_DB_URL`. */
export function placeholderVariable(text: string): string {
  return (
    text
      .toUpperCase()
      .replace(/[^A-Z0-9]+/g, '_')
      .replace(/^_+|_+$/g, '') || 'VALUE'
  );
}

/**
 * A word with placeholders: the literal parts quoted as usual, each placeholder as `"${VAR:?fill in <…>}"`, so
 * that pasted as is the shell stops with that message instead of running it with the placeholder as a value
 * (`--from-literal=K=<value>` would create a ConfigMap holding `<value>`); `VAR=… ` before it fills it in.
 */
function wordWithPlaceholders(arg: string): string {
  let out = '';
  let last = 0;
  for (const match of arg.matchAll(PLACEHOLDER)) {
    const literal = arg.slice(last, match.index);
    if (literal) out += shellQuote(literal);
    out += `"\${${placeholderVariable(match[1]!)}:?fill in <${match[1]!.replaceAll('"', '')}>}"`;
    last = match.index + match[0].length;
  }
  const rest = arg.slice(last);
  return rest ? out + shellQuote(rest) : out;
}

export function commandLine(argv: readonly string[]): string {
  return argv.map((arg) => (/<[^<>]+>/.test(arg) ? wordWithPlaceholders(arg) : shellQuote(arg))).join(' ');
}
