import { createHash } from 'node:crypto';
import http from 'node:http';
import https from 'node:https';
import type { ResolvedContext } from './kubeconfig.js';

// One keep-alive agent per context, so that the requests to one API server reuse their TLS connections
// instead of each paying a handshake (client-node's applyToHTTPSOptions makes a fresh agent per call, without
// keep-alive). The agent is rebuilt when the TLS material changes (an exec plugin's rotated client
// certificate). Idle sockets are unref'd by Node's agent, so they never keep the process alive; closeConnections
// still ends them at exit, cleanly.

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

interface Pooled {
  fingerprint: string;
  agent: http.Agent;
}

const pools = new Map<ResolvedContext, Pooled>();

function fingerprint(options: https.RequestOptions): string {
  const hash = createHash('sha256');
  for (const key of TLS_KEYS) hash.update(`${key}=${String(options[key] ?? '')}\0`);
  return hash.digest('hex');
}

/**
 * The context's keep-alive agent for a request whose TLS options client-node filled in. A proxy agent
 * (the cluster's proxy-url) is kept as client-node built it: it owns its own connections.
 */
export function agentFor(
  context: ResolvedContext,
  options: https.RequestOptions,
  tls: boolean,
): http.Agent | undefined {
  if (context.config.getCurrentCluster()?.proxyUrl) return undefined;
  const print = fingerprint(options);
  const pooled = pools.get(context);
  if (pooled?.fingerprint === print) return pooled.agent;
  pooled?.agent.destroy();
  const common = { keepAlive: true, keepAliveMsecs: 15_000, timeout: IDLE_MS, scheduling: 'lifo' as const };
  const agent = tls
    ? new https.Agent({ ...common, ...Object.fromEntries(TLS_KEYS.map((key) => [key, options[key]])) })
    : new http.Agent(common);
  pools.set(context, { fingerprint: print, agent });
  return agent;
}

/** Ends the pooled connections (of these contexts, or all): at exit, and when a view stops watching. */
export function closeConnections(contexts?: readonly ResolvedContext[]): void {
  for (const context of contexts ?? [...pools.keys()]) {
    pools.get(context)?.agent.destroy();
    pools.delete(context);
  }
}
