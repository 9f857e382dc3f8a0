import { constants } from 'node:os';
import type { ResolvedContext } from '../kube/kubeconfig.js';

// Before a command reads the cluster: the exec credential plugins of its contexts run once (signIn), so that a
// login they need happens on the plain terminal, before the live view takes it. Their module is loaded only
// when a context has one: the start-up of every other kubeconfig is what it was.

const SIGNALS = ['SIGINT', 'SIGTERM', 'SIGHUP'] as const;

/**
 * Signs in to the contexts that need it (stdin given to a plugin only when `terminal`). Resolves with what ends
 * the plugins that may still run later (a credential renewed while the view is open); rejects with the one line
 * of the first that gave no credential. A signal meanwhile ends the plugins (a non-interactive one is in a
 * session of its own, which the signal never reaches) and crashtop, as the signal would have.
 */
export async function signInFirst(
  contexts: readonly ResolvedContext[],
  terminal: boolean,
): Promise<() => void> {
  if (contexts.every((context) => context.exec === undefined)) return () => {};
  const { endPlugins, signIn } = await import('../kube/exec-credentials.js');
  const onSignal = (signal: NodeJS.Signals) => {
    endPlugins();
    process.exit(128 + constants.signals[signal]);
  };
  for (const signal of SIGNALS) process.on(signal, onSignal);
  try {
    await signIn(contexts, { terminal });
  } finally {
    for (const signal of SIGNALS) process.off(signal, onSignal);
  }
  return endPlugins;
}
