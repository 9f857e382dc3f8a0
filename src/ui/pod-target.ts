import type { ClusterSource, PodRef, WatchedPod } from '../kube/source.js';
import type { Target } from '../model/kubectl.js';
import type { Pod } from '../model/pod.js';
import { failingContainers } from '../model/status.js';
import { contextName } from './context-label.js';
import { sanitizeLine } from './sanitize.js';

// The pod (and container) a key acts on, in the shapes the cluster layer and kubectl's argv builder take.

export type PodTarget = PodRef & { container?: string };

export function refOf(watched: WatchedPod): PodRef {
  return {
    context: watched.context,
    namespace: watched.pod.metadata.namespace ?? '',
    name: watched.pod.metadata.name,
  };
}

/**
 * The container actions apply to: the first failing one (one running again after a crash counts, however
 * long ago), else the one kubectl would pick by default.
 */
export function containerOf(pod: Pod): string | undefined {
  return (
    failingContainers(pod, Number.NEGATIVE_INFINITY)[0]?.name ??
    pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ??
    pod.spec.containers[0]?.name
  );
}

/** The pod as kubectl must name it: its context, and the kubeconfig files the view read it with. */
export function kubectlTarget(t: PodTarget, source: Pick<ClusterSource, 'kubeconfig' | 'inCluster'>): Target {
  return {
    context: t.context,
    kubeconfig: source.kubeconfig,
    inCluster: source.inCluster,
    namespace: t.namespace,
    pod: t.name,
    container: t.container,
  };
}

/**
 * `prod: shop/payments-api-7d9f8-abc12 [app]` (context as contextName shows it, namespace, pod, container), safe
 * to print.
 */
export function describeTarget(t: PodTarget, inCluster?: boolean): string {
  const container = t.container ? ` [${sanitizeLine(t.container)}]` : '';
  return `${contextName(t.context, inCluster)}: ${sanitizeLine(t.namespace)}/${sanitizeLine(t.name)}${container}`;
}
