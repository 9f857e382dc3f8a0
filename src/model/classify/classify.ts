import { fixFor } from '../fix.js';
import type { WorkloadLookup } from '../gitops.js';
import type { KubectlCluster } from '../kubectl.js';
import { ownerOf } from '../owner.js';
import type { Pod } from '../pod.js';
import { type FailingRollout, failingRollout, rolloutEvidence } from '../rollout.js';
import { type FailingContainer, failingContainers, notStartedContainers } from '../status.js';
import { NOT_STARTED_RULES, RULES, type Rule, UNKNOWN_RULE } from './rules.js';
import { type ContainerFacts, containerFacts } from './signals.js';
import type { Cause, CauseId, DiagnosisInput, Finding } from './types.js';

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
 * The rule that matches each failing container, in kubectl's STATUS order, then each container the pod cannot
 * create when an event says why (NOT_STARTED_RULES).
 */
function* containerMatches(input: DiagnosisInput): Generator<{ facts: ContainerFacts; match: Match }> {
  const { pod } = input;
  const factsOf = (c: FailingContainer) =>
    containerFacts(pod, c, input.events ?? [], input.logs?.get(c.name) ?? []);
  for (const c of failingContainers(pod, input.nowMs)) {
    const facts = factsOf(c);
    yield { facts, match: firstMatch(facts) };
  }
  if (anyContainerCreated(pod)) return;
  for (const c of notStartedContainers(pod)) {
    const facts = factsOf(c);
    const match = matchIn(NOT_STARTED_RULES, facts);
    if (match) yield { facts, match };
  }
}

/** One cause per container of containerMatches; `cause` is the first of them. */
export function diagnose(input: DiagnosisInput): { cause?: Cause; containers: Cause[] } {
  const { pod } = input;
  const podContext: PodContext = {
    pod,
    cluster: { context: input.context, kubeconfig: input.kubeconfig, inCluster: input.inCluster },
    rollout: failingRollout(pod, input.siblings ?? [], input.replicaSets),
    workload: input.workload,
  };
  const containers = [...containerMatches(input)].map(({ facts, match }) =>
    causeOf(podContext, facts, match),
  );
  return containers.length > 0 ? { cause: containers[0], containers } : { containers };
}

/**
 * The id of diagnose's cause, without working out its fix and evidence: the table's rows keep only the id,
 * and a row is classified on every change of its pod.
 */
export function diagnoseCause(input: DiagnosisInput): CauseId | undefined {
  for (const { match } of containerMatches(input)) return match.rule.cause;
  return undefined;
}
