// The one place that builds kubectl command lines. Commands are argv arrays (exec'd directly, never through a
// shell); commandLine() renders one for display and copy, quoted so that pasting it into a POSIX shell runs
// exactly that argv.

export interface Target {
  context?: string;
  namespace: string;
  pod: string;
  container?: string;
}

/** `kubectl [--context C] ARGS…` */
export function kubectlArgv(context: string | undefined, args: readonly string[]): string[] {
  return ['kubectl', ...(context ? ['--context', context] : []), ...args];
}

function containerArgs(t: Target): string[] {
  return t.container ? ['-c', t.container] : [];
}

/** Prefer bash, fall back to sh: most images have only one of them. */
export function execArgv(t: Target): string[] {
  return kubectlArgv(t.context, [
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

/** A copy of the pod whose container runs `sh` instead of its crashing command. */
export function debugArgv(t: Target): string[] {
  return kubectlArgv(t.context, [
    'debug',
    t.pod,
    '-it',
    `--copy-to=${t.pod}-debug`,
    ...(t.container ? [`--container=${t.container}`] : []),
    '-n',
    t.namespace,
    '--',
    'sh',
  ]);
}

export function describeArgv(t: Target): string[] {
  return kubectlArgv(t.context, ['describe', 'pod', t.pod, '-n', t.namespace]);
}

export function logsArgv(t: Target, opts: { previous?: boolean; follow?: boolean; tail?: number }): string[] {
  return kubectlArgv(t.context, [
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

/** One argument, single-quoted when it holds anything a shell would interpret. */
export function shellQuote(arg: string): string {
  if (SAFE_WORD.test(arg)) return arg;
  return `'${arg.replaceAll("'", `'\\''`)}'`;
}

export function commandLine(argv: readonly string[]): string {
  return argv.map(shellQuote).join(' ');
}
