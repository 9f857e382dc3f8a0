import type { KubeEvent, Pod } from './pod.js';

// Node events in the events view: the kubelet records a node's trouble on the Node, not in the pods' namespace,
// and records the pressure conditions as Normal events (pkg/kubelet/nodestatus/setters.go: recordEventFunc(
// v1.EventTypeNormal, "NodeHasDiskPressure")), so "warnings only" must name them to keep them.

/** The Normal node events that report trouble: a pressure condition or Ready turning bad. */
const TROUBLE_REASONS: ReadonlySet<string> = new Set([
  'NodeHasInsufficientMemory',
  'NodeHasDiskPressure',
  'NodeHasInsufficientPID',
  'NodeNotReady',
]);

/**
 * Whether the warnings-only events view shows the event: a Warning (EvictionThresholdMet, Rebooted, SystemOOM,
 * FailedMount…), or a node's pressure or not-ready report.
 */
export function isWarning(event: KubeEvent): boolean {
  if (event.type === 'Warning') return true;
  return event.involvedObject.kind === 'Node' && TROUBLE_REASONS.has(event.reason ?? '');
}

/** The nodes the pods of one namespace (of one context) run on, by name. */
export function nodesOfPods(
  pods: Iterable<{ readonly context: string; readonly pod: Pod }>,
  context: string,
  namespace: string,
): string[] {
  const nodes = new Set<string>();
  for (const watched of pods) {
    const node = watched.pod.spec.nodeName;
    if (node && watched.context === context && watched.pod.metadata.namespace === namespace) nodes.add(node);
  }
  return [...nodes].sort();
}
