import { readFileSync } from 'node:fs';
import { commandLine, kubectlArgv, visibleName } from '../model/kubectl.js';
import { KubeError, oneLine } from './errors.js';
import {
  type ExecCredential,
  type ExecPlugin,
  endPlugins,
  execInfo,
  type PluginCluster,
  PluginError,
  type PluginFailure,
  parseExecPlugin,
  runPlugin,
} from './exec-plugin.js';
import type { ResolvedContext } from './kubeconfig.js';

// The credentials of contexts whose user runs an exec plugin (exec-plugin.ts), for every request to them
// (http.ts). A plugin runs once per kubeconfig user and cluster at a time, however many requests wait; its
// credential is kept until shortly before its expirationTimestamp (for the process's lifetime without one), and
// a 401 answer to it drops it, so the next request runs the plugin again (client-go's maybeRefreshCreds).
// Before the live view, signIn runs each plugin once, with the terminal when it may have it (a device-code or
// browser login is seen and answered there); every later run, while the view owns the terminal, has none and
// is bounded, and its failure is that context's error line, not a frozen screen.

export { endPlugins } from './exec-plugin.js';

/** How long a plugin without the terminal may take before it counts as waiting for a login. */
export const PLUGIN_BOUND_MS = 10_000;
/** A credential is renewed this long before it expires (less for one that lives shorter: a quarter of its life). */
const RENEW_MARGIN_MS = 10_000;

interface Cached {
  credential: ExecCredential;
  /** When it was received: its lifetime is from then to its expiry. */
  receivedAt: number;
}

/** Whether a credential received at `receivedAt` can still go with a request sent at `now`. */
export function stillValid({ credential, receivedAt }: Cached, now: number): boolean {
  if (credential.expiresAt === undefined) return true;
  const margin = Math.max(0, Math.min(RENEW_MARGIN_MS, (credential.expiresAt - receivedAt) / 4));
  return now < credential.expiresAt - margin;
}

/**
 * The credentials by plugin (its config and, when it is told, the cluster): one run at a time per key, the
 * waiting requests sharing its outcome; a failed run is not kept, so the next request runs the plugin again.
 */
export class CredentialCache {
  private readonly cached = new Map<string, Cached>();
  private readonly runs = new Map<string, Promise<ExecCredential>>();

  constructor(private readonly now: () => number = Date.now) {}

  get(key: string, run: () => Promise<ExecCredential>): Promise<ExecCredential> {
    const cached = this.cached.get(key);
    if (cached !== undefined && stillValid(cached, this.now())) return Promise.resolve(cached.credential);
    const out = this.runs.get(key);
    if (out !== undefined) return out;
    const started = run()
      .then((credential) => {
        this.cached.set(key, { credential, receivedAt: this.now() });
        return credential;
      })
      .finally(() => this.runs.delete(key));
    this.runs.set(key, started);
    return started;
  }

  /** The server refused `credential`: dropped, unless a newer one has replaced it already. */
  forget(key: string, credential: ExecCredential): void {
    if (this.cached.get(key)?.credential === credential) this.cached.delete(key);
  }
}

const cache = new CredentialCache();

/** What the cluster is to the plugin when its kubeconfig says provideClusterInfo (ExecCredential spec.cluster). */
function clusterOf(context: ResolvedContext): PluginCluster | undefined {
  const cluster = context.config.getCurrentCluster();
  if (cluster === null) return undefined;
  let ca = cluster.caData;
  if (ca === undefined && cluster.caFile) {
    try {
      ca = readFileSync(cluster.caFile).toString('base64');
    } catch {
      // kubectl would fail on it too, with its own message once a request is made.
    }
  }
  return {
    server: cluster.server,
    ...(cluster.tlsServerName ? { 'tls-server-name': cluster.tlsServerName } : {}),
    ...(cluster.skipTLSVerify && !cluster.server.startsWith('http:')
      ? { 'insecure-skip-tls-verify': true }
      : {}),
    ...(ca ? { 'certificate-authority-data': ca } : {}),
    ...(cluster.proxyUrl ? { 'proxy-url': cluster.proxyUrl } : {}),
  };
}

interface Prepared {
  plugin: ExecPlugin;
  cluster: PluginCluster | undefined;
  key: string;
}

/** Each context's plugin as checked once: every request to it asks (and a CA file is read for its cluster). */
const preparedFor = new WeakMap<ResolvedContext, Prepared>();

function prepare(context: ResolvedContext): Prepared {
  let prepared = preparedFor.get(context);
  if (prepared === undefined) {
    prepared = check(context);
    preparedFor.set(context, prepared);
  }
  return prepared;
}

function check(context: ResolvedContext): Prepared {
  const plugin = parseExecPlugin(context.exec);
  if (typeof plugin === 'string') {
    throw new KubeError(
      `cannot get credentials for context ${visibleName(context.name)}: user ${context.user} in ${filesOf(context)}: ${plugin}`,
      2,
    );
  }
  const cluster = plugin.provideClusterInfo ? clusterOf(context) : undefined;
  return { plugin, cluster, key: JSON.stringify([plugin, cluster ?? null]) };
}

function filesOf(context: ResolvedContext): string {
  return context.kubeconfig?.join(':') ?? 'the kubeconfig';
}

/** When a plugin failed: at start-up, before the view (crashtop exits), or while the view runs (it goes on). */
type Moment = 'start' | 'refresh';

/** The one line for a plugin that gave no credential: what happened, and what to do about it. */
export function failureMessage(
  context: ResolvedContext,
  plugin: ExecPlugin,
  failure: PluginFailure,
  moment: Moment,
): string {
  const command = oneLine(plugin.command);
  const login = commandLine(
    kubectlArgv({ context: context.name, kubeconfig: context.kubeconfig }, ['get', 'pods']),
  );
  const then = moment === 'start' ? 'then start crashtop again' : 'crashtop asks it again by itself';
  const what = ((): string => {
    switch (failure.kind) {
      case 'missing':
        return `plugin ${command} not found: install it or fix users[].user.exec.command (user ${context.user}) in ${filesOf(context)}`;
      case 'denied':
        return `plugin ${command} cannot be run (permission denied): fix users[].user.exec.command (user ${context.user}) in ${filesOf(context)}`;
      case 'silent':
        return `plugin ${command} gave no credential within ${failure.boundMs / 1000} s: run ${login} once to log in, ${then}`;
      case 'unrunnable':
        return `plugin ${command} could not be run: ${failure.why}`;
      case 'output':
        return `plugin ${command} gave no usable credential: ${failure.why}`;
      case 'exit': {
        const how =
          failure.signal !== null ? `was killed by ${failure.signal}` : `exited with status ${failure.code}`;
        return `plugin ${command} ${how}${failure.lastLine === '' ? '' : `: ${failure.lastLine}`}`;
      }
    }
  })();
  return `cannot get credentials for context ${visibleName(context.name)}: ${what}`;
}

async function obtain(
  context: ResolvedContext,
  { plugin, cluster, key }: Prepared,
  interactive: boolean,
  moment: Moment,
  boundMs: number,
): Promise<ExecCredential> {
  try {
    return await cache.get(key, () =>
      runPlugin(plugin, { interactive, boundMs, execInfo: execInfo(plugin, interactive, cluster) }),
    );
  } catch (error) {
    if (error instanceof PluginError)
      throw new KubeError(failureMessage(context, plugin, error.failure, moment));
    throw error;
  }
}

/** A credential for a request to `context` (whose user has an exec plugin), with the 401 handler for it. */
export async function credentialFor(
  context: ResolvedContext,
  boundMs = PLUGIN_BOUND_MS,
): Promise<{ credential: ExecCredential; refused: () => void }> {
  const prepared = prepare(context);
  const credential = await obtain(context, prepared, false, 'refresh', boundMs);
  return { credential, refused: () => cache.forget(prepared.key, credential) };
}

export interface SignInOptions {
  /** stdin is a terminal the plugins may use (nothing else reads it yet). */
  terminal: boolean;
  boundMs?: number;
}

/**
 * Runs the plugin of each context (one run per plugin and cluster) before anything is drawn: with the terminal
 * when stdin is one and the plugin's interactiveMode allows it, else bounded and without. interactiveMode Always
 * without a terminal is not refused as client-go refuses it (kubectl could only give it a stdin): run bounded
 * with `spec.interactive: false`, a plugin whose login is cached still answers, and one that needs the
 * terminal fails or runs out of time, which says what to do. Rejects with the first
 * failure's one line; whatever still runs then is ended.
 */
export async function signIn(contexts: readonly ResolvedContext[], options: SignInOptions): Promise<void> {
  try {
    for (const context of contexts) {
      if (context.exec === undefined) continue;
      const prepared = prepare(context);
      const interactive = options.terminal && prepared.plugin.interactiveMode !== 'Never';
      await obtain(context, prepared, interactive, 'start', options.boundMs ?? PLUGIN_BOUND_MS);
    }
  } catch (error) {
    endPlugins();
    throw error;
  }
}
