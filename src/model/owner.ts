import type { OwnerReference, Pod } from './pod.js';

export interface Owner {
  kind: string;
  name: string;
}

/**
 * The workload a user would edit to fix the pod. A ReplicaSet named `<deployment>-<pod-template-hash>` belongs to
 * that Deployment (the deployment controller names it so and copies the hash into the pod's label). A Job's pod
 * is reported as the Job: a CronJob names its Jobs `<cronjob>-<minutes since epoch>`, but `kubectl create job
 * --from=cronjob/x` and hand-made Jobs can end in digits too, and the pod carries no CronJob reference, so the
 * CronJob cannot be named with certainty from the pod alone.
 */
export function ownerOf(pod: Pod): Owner | undefined {
  const ref = controllerOf(pod);
  if (!ref) return undefined;
  if (ref.kind === 'ReplicaSet') {
    const hash = pod.metadata.labels?.['pod-template-hash'];
    const suffix = `-${hash}`;
    if (hash && ref.name.endsWith(suffix) && ref.name.length > suffix.length) {
      return { kind: 'Deployment', name: ref.name.slice(0, -suffix.length) };
    }
  }
  return { kind: ref.kind, name: ref.name };
}

/** The owner reference that manages the pod: the controller one, else the first. */
export function controllerOf(pod: Pod): OwnerReference | undefined {
  const refs = pod.metadata.ownerReferences ?? [];
  return refs.find((r) => r.controller) ?? refs[0];
}

/** `deployment/payments-api`, as kubectl takes it. */
export function workloadRef(owner: Owner): string {
  return `${owner.kind.toLowerCase()}/${owner.name}`;
}
