import { createHash, type Hash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ResolvedContext } from './kubeconfig.js';

// One keep-alive agent per TLS identity (CA, client certificate and key, …), so that the requests to one API
// server reuse their TLS connections instead of each paying a handshake (client-node's applyToHTTPSOptions makes a
// fresh agent per call, without keep-alive). Contexts with the same credentials (two namespaces of one cluster
// and user) share one agent; a context moves to another when its TLS material changes (an exec plugin's rotated
// client certificate), and an agent no context uses any more is ended. Idle sockets are unref'd by Node's agent,
// so they never keep the process alive; closeConnections still ends them at exit, cleanly.

/** Idle sockets are closed after this, well before an API server's own idle timeout would cut them mid-reuse. */
const IDLE_MS = 30_000;

const TLS_KEYS = [
  'ca',
  'cert',
  'key',
  'pfx',
  'passphrase',
  'rejectUnauthorized',
  'servername',
  'ciphers',
  'crl',
] as const satisfies readonly (keyof https.AgentOptions)[];

/** A context's TLS options as its last request had them, and their fingerprint. */
interface Credentials {
  values: readonly unknown[];
  fingerprint: string;
}

/**
 * client-node fills the options in afresh for every request (a CA decoded from base64 or read from its file
 * again), so they are compared with the last ones, which costs a memcmp, and hashed only when they differ.
 */
const credentials = new WeakMap<ResolvedContext, Credentials>();

interface Shared {
  agent: http.Agent;
  users: Set<ResolvedContext>;
}

/** The agents by the fingerprint of their TLS options ('http' for plain HTTP), and the agent each context uses. */
const agents = new Map<string, Shared>();
const agentOf = new Map<ResolvedContext, string>();

function sameValue(a: unknown, b: unknown): boolean {
  return a === b || (Buffer.isBuffer(a) && Buffer.isBuffer(b) && a.equals(b));
}

function fingerprintOf(context: ResolvedContext, options: https.RequestOptions): string {
  const values = TLS_KEYS.map((key) => options[key]);
  const last = credentials.get(context);
  if (last !== undefined && values.every((value, i) => sameValue(value, last.values[i]))) {
    return last.fingerprint;
  }
  const hash = createHash('sha256');
  for (const value of values) feed(hash, value);
  const fingerprint = hash.digest('hex');
  credentials.set(context, { values, fingerprint });
  return fingerprint;
}

/**
 * `value` into `hash` so that different options never feed the same bytes: contexts whose options hash alike
 * share an agent, whose own cert and key then go with every request. Each value is typed and length-prefixed,
 * bytes go in as bytes (a DER key or a pfx is no UTF-8 text), and arrays and objects (`key: [{ pem, passphrase }]`)
 * element by element.
 */
function feed(hash: Hash, value: unknown): void {
  if (Buffer.isBuffer(value) || typeof value === 'string') {
    const bytes = Buffer.isBuffer(value) ? value : Buffer.from(value);
    hash.update(`${Buffer.isBuffer(value) ? 'b' : 's'}${bytes.length}:`).update(bytes);
  } else if (Array.isArray(value)) {
    hash.update(`a${value.length}:`);
    for (const item of value) feed(hash, item);
  } else if (value !== null && typeof value === 'object') {
    const entries = Object.entries(value).sort(([a], [b]) => (a < b ? -1 : 1));
    hash.update(`o${entries.length}:`);
    for (const [name, item] of entries) {
      feed(hash, name);
      feed(hash, item);
    }
  } else {
    hash.update(`v${String(value)};`);
  }
}

/** The context no longer uses its agent; the agent ends when no context does. */
function release(context: ResolvedContext): void {
  const key = agentOf.get(context);
  if (key === undefined) return;
  agentOf.delete(context);
  const shared = agents.get(key);
  if (shared === undefined) return;
  shared.users.delete(context);
  if (shared.users.size > 0) return;
  shared.agent.destroy();
  agents.delete(key);
}

/**
 * The keep-alive agent for a request of `context` whose TLS options client-node filled in. A proxy agent
 * (the cluster's proxy-url) is kept as client-node built it: it owns its own connections.
 */
export function agentFor(
  context: ResolvedContext,
  options: https.RequestOptions,
  tls: boolean,
): http.Agent | undefined {
  if (context.config.getCurrentCluster()?.proxyUrl) return undefined;
  const key = tls ? fingerprintOf(context, options) : 'http';
  if (agentOf.get(context) !== key) release(context);
  let shared = agents.get(key);
  if (shared === undefined) {
    const common = { keepAlive: true, keepAliveMsecs: 15_000, timeout: IDLE_MS, scheduling: 'lifo' as const };
    const agent = tls
      ? new https.Agent({ ...common, ...Object.fromEntries(TLS_KEYS.map((name) => [name, options[name]])) })
      : new http.Agent(common);
    shared = { agent, users: new Set() };
    agents.set(key, shared);
  }
  shared.users.add(context);
  agentOf.set(context, key);
  return shared.agent;
}

/**
 * Ends `context`'s idle pooled connections: a request to its server went unanswered, and connections opened before
 * the outage may lead nowhere now (a tunnel or NAT that was restarted drops them without a reset), where a new one
 * would get through. Left in the pool, each would hold the next request for its whole timeout.
 */
export function dropIdleConnections(context: ResolvedContext): void {
  const key = agentOf.get(context);
  const agent = key === undefined ? undefined : agents.get(key)?.agent;
  for (const sockets of Object.values(agent?.freeSockets ?? {})) {
    for (const socket of sockets ?? []) socket.destroy();
  }
}

/** Ends the pooled connections (of these contexts, or all): at exit, and when a view stops watching. */
export function closeConnections(contexts?: readonly ResolvedContext[]): void {
  for (const context of contexts ?? [...agentOf.keys()]) release(context);
}
