import { fixFor } from '../fix.js';
import type { WorkloadLookup } from '../gitops.js';
import type { KubectlCluster } from '../kubectl.js';
import { ownerOf } from '../owner.js';
import type { Pod } from '../pod.js';
import { type FailingRollout, failingRollout, rolloutEvidence } from '../rollout.js';
import { type FailingContainer, failingContainers, notStartedContainers } from '../status.js';
import { NOT_STARTED_RULES, RULES, type Rule, UNKNOWN_RULE } from './rules.js';
import { type ContainerFacts, containerFacts } from './signals.js';
import type { Cause, DiagnosisInput, Finding } from './types.js';

interface Match {
  rule: Rule;
  finding: Finding;
}

function matchIn(rules: readonly Rule[], facts: ContainerFacts): Match | undefined {
  for (const rule of rules) {
    const finding = rule.match(facts);
    if (finding) return { rule, finding };
  }
  return undefined;
}

/** The first rule of the table whose signals match, with what it found. */
export function firstMatch(facts: ContainerFacts): Match {
  return matchIn(RULES, facts) ?? { rule: UNKNOWN_RULE, finding: UNKNOWN_RULE.match(facts)! };
}

interface PodContext {
  pod: Pod;
  cluster: KubectlCluster;
  rollout: FailingRollout | undefined;
  workload: WorkloadLookup | undefined;
}

function causeOf(
  { pod, cluster, rollout, workload }: PodContext,
  facts: ContainerFacts,
  { rule, finding }: Match,
): Cause {
  const { fix, commands } = fixFor({
    cause: rule.cause,
    finding,
    facts,
    pod,
    owner: ownerOf(pod),
    cluster,
    rollout,
    workload,
  });
  return {
    id: rule.cause,
    container: facts.name,
    confidence: rule.confidence,
    title: rule.title,
    evidence: rollout ? [...finding.evidence, ...rolloutEvidence(rollout)] : finding.evidence,
    fix,
    commands,
  };
}

/**
 * The kubelet creates no container of a pod before every volume is mounted: once one has been created, a mount
 * failure (a stale event) does not explain the containers still waiting.
 */
function anyContainerCreated(pod: Pod): boolean {
  return [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])].some(
    (s) => s.state?.running || s.state?.terminated || s.lastState?.terminated || s.restartCount > 0,
  );
}

/**
 * One cause per failing container, in kubectl's STATUS order, then one per container the pod cannot create when
 * an event says why (NOT_STARTED_RULES); `cause` is the first of them.
 */
export function diagnose(input: DiagnosisInput): { cause?: Cause; containers: Cause[] } {
  const { pod } = input;
  const podContext: PodContext = {
    pod,
    cluster: { context: input.context, kubeconfig: input.kubeconfig },
    rollout: failingRollout(pod, input.siblings ?? []),
    workload: input.workload,
  };
  const factsOf = (c: FailingContainer) =>
    containerFacts(pod, c, input.events ?? [], input.logs?.get(c.name) ?? []);
  const failing = failingContainers(pod, input.nowMs).map((c) => {
    const facts = factsOf(c);
    return causeOf(podContext, facts, firstMatch(facts));
  });
  const notStarted = (anyContainerCreated(pod) ? [] : notStartedContainers(pod)).flatMap((c) => {
    const facts = factsOf(c);
    const match = matchIn(NOT_STARTED_RULES, facts);
    return match ? [causeOf(podContext, facts, match)] : [];
  });
  const containers = [...failing, ...notStarted];
  return containers.length > 0 ? { cause: containers[0], containers } : { containers };
}
