import { type ChildProcess, spawn } from 'node:child_process';
import { isRecord } from '../model/is-record.js';
import { flattenUntrusted } from '../model/untrusted-text.js';

// One run of a kubeconfig's exec credential plugin (`aws eks get-token`, `gke-gcloud-auth-plugin`, `kubelogin`),
// as client-go runs it (plugin/pkg/client/auth/exec/exec.go): the kubeconfig's env on top of ours, the request in
// KUBERNETES_EXEC_INFO, an ExecCredential on stdout. Unlike client-go, a run that may not use the terminal gets
// no terminal at all: no stdin, its stderr kept rather than shown, and a session of its own, so it cannot open
// /dev/tty to ask for a password over the live view; and it has a time limit, after which its whole process
// group is killed (a browser login it waits for would otherwise hold crashtop's requests for ever).

export const EXEC_API_VERSIONS = ['client.authentication.k8s.io/v1', 'client.authentication.k8s.io/v1beta1'];

/** client-go's ExecInteractiveMode: whether the plugin may have the terminal's stdin. */
export type InteractiveMode = 'Never' | 'IfAvailable' | 'Always';

export interface ExecPlugin {
  apiVersion: string;
  command: string;
  args: string[];
  /** The kubeconfig's `env` list, later names winning. */
  env: Record<string, string>;
  interactiveMode: InteractiveMode;
  provideClusterInfo: boolean;
}

/** The cluster as ExecCredential's `spec.cluster` spells it (client.authentication.k8s.io Cluster). */
export interface PluginCluster {
  server: string;
  'tls-server-name'?: string;
  'insecure-skip-tls-verify'?: boolean;
  /** Base64 of the PEM bytes, as a []byte is in JSON. */
  'certificate-authority-data'?: string;
  'proxy-url'?: string;
}

/** What a plugin gave: a bearer token, a client certificate and key (PEM), or both. */
export interface ExecCredential {
  token?: string;
  cert?: string;
  key?: string;
  /** `status.expirationTimestamp` in ms since the epoch; absent: valid for the process's lifetime. */
  expiresAt?: number;
}

export type PluginFailure =
  | { kind: 'missing' }
  | { kind: 'denied' }
  | { kind: 'unrunnable'; why: string }
  | { kind: 'silent'; boundMs: number }
  | { kind: 'exit'; code: number | null; signal: NodeJS.Signals | null; lastLine: string }
  | { kind: 'output'; why: string };

export class PluginError extends Error {
  constructor(readonly failure: PluginFailure) {
    super(`exec plugin failed: ${failure.kind}`);
  }
}

/** Plenty for a token or a certificate chain; more is not an ExecCredential. */
const MAX_STDOUT_BYTES = 1024 * 1024;
/** How long a plugin's stdout may stay open after it exited (a helper it started holding it). */
const STDOUT_GRACE_MS = 500;
/** Enough of stderr's end for its last line. */
const STDERR_TAIL_BYTES = 8 * 1024;

const INTERACTIVE_MODES: readonly string[] = ['Never', 'IfAvailable', 'Always'] satisfies InteractiveMode[];

/**
 * A kubeconfig's `users[].user.exec`, checked as client-go checks it; what is wrong is said in a few words for
 * the caller's message. A missing interactiveMode is IfAvailable, client-go's default for v1beta1 (kubectl
 * refuses a v1 config without one; crashtop reads it as the plugin's authors most likely meant).
 */
export function parseExecPlugin(exec: unknown): ExecPlugin | string {
  if (!isRecord(exec)) return 'exec is not a mapping';
  const { apiVersion, command, args, env, interactiveMode, provideClusterInfo } = exec;
  if (typeof command !== 'string' || command === '') return 'exec.command is missing';
  if (typeof apiVersion !== 'string' || !EXEC_API_VERSIONS.includes(apiVersion))
    return `exec.apiVersion must be ${EXEC_API_VERSIONS.join(' or ')}`;
  if (
    args !== undefined &&
    args !== null &&
    !(Array.isArray(args) && args.every((a) => typeof a === 'string'))
  )
    return 'exec.args must be a list of strings';
  const variables: Record<string, string> = {};
  if (env !== undefined && env !== null) {
    if (!Array.isArray(env)) return 'exec.env must be a list of name/value pairs';
    for (const entry of env) {
      if (!isRecord(entry) || typeof entry.name !== 'string' || typeof entry.value !== 'string')
        return 'exec.env must be a list of name/value pairs';
      variables[entry.name] = entry.value;
    }
  }
  const mode = interactiveMode ?? 'IfAvailable';
  if (typeof mode !== 'string' || !INTERACTIVE_MODES.includes(mode))
    return 'exec.interactiveMode must be Never, IfAvailable or Always';
  return {
    apiVersion,
    command,
    args: Array.isArray(args) ? (args as string[]) : [],
    env: variables,
    interactiveMode: mode as InteractiveMode,
    provideClusterInfo: provideClusterInfo === true,
  };
}

/** KUBERNETES_EXEC_INFO: what the plugin is asked for (client-go's refreshCredsLocked). */
export function execInfo(
  plugin: ExecPlugin,
  interactive: boolean,
  cluster: PluginCluster | undefined,
): string {
  return JSON.stringify({
    kind: 'ExecCredential',
    apiVersion: plugin.apiVersion,
    spec: { interactive, ...(plugin.provideClusterInfo && cluster ? { cluster } : {}) },
  });
}

/** The plugin's stdout as client-go accepts it: its apiVersion, a token or both halves of a key pair. */
export function parseExecCredential(stdout: string, apiVersion: string): ExecCredential | string {
  let document: unknown;
  try {
    document = JSON.parse(stdout);
  } catch {
    return stdout.trim() === '' ? 'it printed nothing' : 'its output is not JSON';
  }
  if (!isRecord(document) || document.kind !== 'ExecCredential') return 'its output is not an ExecCredential';
  if (document.apiVersion !== apiVersion)
    return `it answered in ${String(document.apiVersion)}, the kubeconfig asks for ${apiVersion}`;
  const { status } = document;
  if (!isRecord(status)) return 'its ExecCredential has no status';
  const text = (value: unknown) => (typeof value === 'string' && value !== '' ? value : undefined);
  const token = text(status.token);
  const cert = text(status.clientCertificateData);
  const key = text(status.clientKeyData);
  if ((cert === undefined) !== (key === undefined))
    return 'its ExecCredential has a client certificate or key, not both';
  if (token === undefined && cert === undefined)
    return 'its ExecCredential has no token or client certificate';
  let expiresAt: number | undefined;
  if (status.expirationTimestamp !== undefined && status.expirationTimestamp !== null) {
    expiresAt = typeof status.expirationTimestamp === 'string' ? Date.parse(status.expirationTimestamp) : NaN;
    if (Number.isNaN(expiresAt)) return 'its expirationTimestamp is not a time';
  }
  return {
    ...(token === undefined ? {} : { token }),
    ...(cert === undefined ? {} : { cert, key }),
    ...(expiresAt === undefined ? {} : { expiresAt }),
  };
}

/** The last line of a plugin's stderr that says something, as one line of plain text. */
export function lastLine(stderr: string): string {
  const lines = stderr.split('\n').map((line) => flattenUntrusted(line).trim());
  return lines.findLast((line) => line !== '') ?? '';
}

/** The plugins running now, each with what ends it. */
const running = new Map<ChildProcess, () => void>();
let endsAtExit = false;

/**
 * Ends every plugin still running: a non-interactive one with its whole process group (its own session), an
 * interactive one, which shares crashtop's terminal, with SIGTERM so it can restore that terminal first.
 */
export function endPlugins(): void {
  for (const end of running.values()) end();
  running.clear();
}

export interface PluginRun {
  /** With the terminal's stdin and its stderr shown (as well as kept); otherwise neither, and `boundMs`. */
  interactive: boolean;
  boundMs: number;
  execInfo: string;
  /** Where an interactive run's stderr is shown. */
  stderr?: NodeJS.WritableStream;
}

/** Runs the plugin once: its credential, or a PluginError that says what went wrong. */
export function runPlugin(plugin: ExecPlugin, run: PluginRun): Promise<ExecCredential> {
  if (!endsAtExit) {
    // Whatever ends the process (process.exit after a signal included) ends the plugins first: a
    // non-interactive one is in a session of its own and would outlive crashtop.
    process.on('exit', endPlugins);
    endsAtExit = true;
  }
  return new Promise((resolve, reject) => {
    let child: ChildProcess;
    try {
      child = spawn(plugin.command, plugin.args, {
        env: { ...process.env, ...plugin.env, KUBERNETES_EXEC_INFO: run.execInfo },
        stdio: [run.interactive ? 'inherit' : 'ignore', 'pipe', 'pipe'],
        detached: !run.interactive,
      });
    } catch (error) {
      // Refused before it started (a NUL in an argument, no process left to fork).
      reject(
        new PluginError({ kind: 'unrunnable', why: flattenUntrusted(String((error as Error).message)) }),
      );
      return;
    }
    const kill = () => {
      try {
        if (!run.interactive && child.pid !== undefined) process.kill(-child.pid, 'SIGKILL');
        else child.kill('SIGTERM');
      } catch {
        // It exited meanwhile.
      }
    };
    running.set(child, kill);
    const stdout: Buffer[] = [];
    let stdoutBytes = 0;
    let stderr = '';
    let settled = false;
    const settle = (outcome: ExecCredential | PluginFailure) => {
      if (settled) return;
      settled = true;
      clearTimeout(bound);
      running.delete(child);
      if ('kind' in outcome) reject(new PluginError(outcome));
      else resolve(outcome);
    };
    const bound = run.interactive
      ? undefined
      : setTimeout(() => {
          kill();
          settle({ kind: 'silent', boundMs: run.boundMs });
        }, run.boundMs);
    child.stdout?.on('data', (chunk: Buffer) => {
      stdoutBytes += chunk.length;
      if (stdoutBytes > MAX_STDOUT_BYTES) {
        kill();
        settle({ kind: 'output', why: 'it printed more than 1 MiB' });
        return;
      }
      stdout.push(chunk);
    });
    child.stderr?.on('data', (chunk: Buffer) => {
      // A device-code prompt is written to stderr: shown as the plugin wrote it when it has the terminal.
      if (run.interactive) (run.stderr ?? process.stderr).write(chunk);
      stderr = (stderr + chunk.toString('utf8')).slice(-STDERR_TAIL_BYTES);
    });
    child.on('error', (error: NodeJS.ErrnoException) => {
      if (error.code === 'ENOENT') settle({ kind: 'missing' });
      else if (error.code === 'EACCES') settle({ kind: 'denied' });
      else settle({ kind: 'unrunnable', why: flattenUntrusted(error.message) });
    });
    let exited: { code: number | null; signal: NodeJS.Signals | null } | undefined;
    const finish = () => {
      if (exited === undefined) return;
      const { code, signal } = exited;
      if (code !== 0) {
        settle({ kind: 'exit', code, signal, lastLine: lastLine(stderr) });
        return;
      }
      const credential = parseExecCredential(Buffer.concat(stdout).toString('utf8'), plugin.apiVersion);
      settle(typeof credential === 'string' ? { kind: 'output', why: credential } : credential);
    };
    child.stdout?.once('close', finish);
    child.on('exit', (code, signal) => {
      exited = { code, signal };
      // Its last bytes may still be in the pipe; a helper it left running may hold the pipe open, so not long.
      if (child.stdout?.closed !== false) finish();
      else setTimeout(finish, STDOUT_GRACE_MS);
    });
  });
}
