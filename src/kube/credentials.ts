import type { KubeConfig } from '@kubernetes/client-node';
import { visibleName } from '../model/kubectl.js';
import { KubeError, oneLine } from './errors.js';
import type { ResolvedContext } from './kubeconfig.js';

// What every request to a context carries to prove who sends it, for http.ts's requests and exec.ts's WebSocket
// alike: client-node's TLS and auth options (CA, client certificates, tokens, auth providers) and, for a user
// with an exec plugin, the plugin's credential from exec-credentials.ts, loaded only for such a context.

/** An HTTPS request's options, or a WebSocket's (exec.ts), as client-node fills in either. */
type RequestOptions = Parameters<KubeConfig['applyToHTTPSOptions']>[0];

/**
 * Fills in `options` for a request to `context`. Resolves with what to call when the server refuses the
 * credential (401): the plugin's is dropped, so that the next request runs the plugin again. The wait for a
 * plugin ends when `signal` does (the run goes on for the other requests that wait for it).
 */
export async function applyCredentials(
  context: ResolvedContext,
  options: RequestOptions,
  signal?: AbortSignal,
): Promise<(() => void) | undefined> {
  const plugin = context.exec === undefined ? undefined : await pluginCredential(context, signal);
  // Before client-node's options, which copy a client certificate into the agent it makes (kept for a proxy).
  if (plugin?.credential.cert !== undefined) {
    options.cert = plugin.credential.cert;
    options.key = plugin.credential.key;
  }
  try {
    await context.config.applyToHTTPSOptions(options);
  } catch (error) {
    throw new KubeError(
      `cannot get credentials for context ${visibleName(context.name)}: ${oneLine(String((error as Error).message))}`,
    );
  }
  if (plugin?.credential.token !== undefined)
    options.headers = { ...options.headers, Authorization: `Bearer ${plugin.credential.token}` };
  return plugin?.refused;
}

async function pluginCredential(context: ResolvedContext, signal: AbortSignal | undefined) {
  const { credentialFor } = await import('./exec-credentials.js');
  const credential = credentialFor(context);
  if (signal === undefined) return credential;
  // Nobody may wait for its outcome any more: a rejection then is not an unhandled one.
  credential.catch(() => undefined);
  signal.throwIfAborted();
  let stopWaiting = () => {};
  const aborted = new Promise<never>((_, reject) => {
    const onAbort = () => reject(signal.reason);
    signal.addEventListener('abort', onAbort, { once: true });
    stopWaiting = () => signal.removeEventListener('abort', onAbort);
  });
  return Promise.race([credential, aborted]).finally(stopWaiting);
}
