import { KubeError } from '../kube/errors.js';
import type { Scope } from '../kube/kubeconfig.js';
import type { CommonFlags } from './flags.js';

/** The cluster a command talks to: the user's kubeconfig, or with --demo an in-process simulator. */
export async function withScope<T>(flags: CommonFlags, work: (scope: Scope) => Promise<T>): Promise<T> {
  const scope: Scope = {
    kubeconfig: flags.kubeconfig,
    contexts: flags.context,
    namespaces: flags.namespace,
    allNamespaces: flags.allNamespaces,
    selector: flags.selector,
  };
  if (!flags.demo) return work(scope);
  // The simulator (and its YAML parser) is loaded only for --demo.
  const { startSim } = await import('../sim/index.js');
  const sim = await startSim();
  try {
    // The demo has its one context: any other name is a typo, refused as a kubeconfig refuses it.
    const unknown = scope.contexts?.find((name) => name !== sim.context);
    if (unknown !== undefined)
      throw new KubeError(`context "${unknown}" not found in the demo (contexts: ${sim.context})`, 2);
    // The demo spans several namespaces; show them all unless the user narrowed it.
    const allNamespaces = scope.allNamespaces || scope.namespaces?.length === 0;
    return await work({ ...scope, kubeconfig: sim.kubeconfigPath, contexts: [sim.context], allNamespaces });
  } finally {
    await sim.close();
  }
}
