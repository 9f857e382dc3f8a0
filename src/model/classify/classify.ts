import { fixFor } from '../fix.js';
import { ownerOf } from '../owner.js';
import type { Pod } from '../pod.js';
import { failingContainers } from '../status.js';
import { RULES, type Rule, UNKNOWN_RULE } from './rules.js';
import { type ContainerFacts, containerFacts } from './signals.js';
import type { Cause, DiagnosisInput, Finding } from './types.js';

/** The first rule of the table whose signals match, with what it found. */
export function firstMatch(facts: ContainerFacts): { rule: Rule; finding: Finding } {
  for (const rule of RULES) {
    const finding = rule.match(facts);
    if (finding) return { rule, finding };
  }
  return { rule: UNKNOWN_RULE, finding: UNKNOWN_RULE.match(facts)! };
}

function causeOf(pod: Pod, facts: ContainerFacts, context: string | undefined): Cause {
  const { rule, finding } = firstMatch(facts);
  const { fix, commands } = fixFor({ cause: rule.cause, finding, facts, pod, owner: ownerOf(pod), context });
  return {
    id: rule.cause,
    container: facts.name,
    confidence: rule.confidence,
    title: rule.title,
    evidence: finding.evidence,
    fix,
    commands,
  };
}

/** One cause per failing container, in kubectl's STATUS order; `cause` is the pod's first failing container's. */
export function diagnose(input: DiagnosisInput): { cause?: Cause; containers: Cause[] } {
  const containers = failingContainers(input.pod).map((c) =>
    causeOf(
      input.pod,
      containerFacts(input.pod, c, input.events ?? [], input.logs?.get(c.name) ?? []),
      input.context,
    ),
  );
  return containers.length > 0 ? { cause: containers[0], containers } : { containers };
}
