import type { KubeEvent } from '../pod.js';

/**
 * Whether two event lists are the same evidence to the classifier. It reads each event's involved object, type,
 * reason and message, in list order (signals.ts: eventBelongsTo, event, describeEvent; rules.ts: mountFailures),
 * and never its count, times, name or source. So the kubelet's merged repeats (a BackOff or Unhealthy event's
 * count and lastTimestamp going up, most of a crash loop's event traffic) change no diagnosis, and a row need
 * not be classified again for them. Missing and empty lists are the same (the classifier reads `events ?? []`).
 */
export function sameEventEvidence(
  a: readonly KubeEvent[] | undefined,
  b: readonly KubeEvent[] | undefined,
): boolean {
  if (a === b) return true;
  const left = a ?? [];
  const right = b ?? [];
  if (left.length !== right.length) return false;
  for (let i = 0; i < left.length; i++) {
    const x = left[i]!;
    const y = right[i]!;
    if (x === y) continue;
    if (x.reason !== y.reason || x.message !== y.message || x.type !== y.type) return false;
    const o = x.involvedObject;
    const p = y.involvedObject;
    if (
      o.kind !== p.kind ||
      o.name !== p.name ||
      o.namespace !== p.namespace ||
      o.uid !== p.uid ||
      o.fieldPath !== p.fieldPath
    ) {
      return false;
    }
  }
  return true;
}
