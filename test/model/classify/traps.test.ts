import { describe, expect, it } from 'vitest';
import { firstMatch } from '../../../src/model/classify/classify.js';
import { containerFacts } from '../../../src/model/classify/signals.js';
import { failingContainers } from '../../../src/model/status.js';
import { loadPodFixture } from './pod-fixture.js';

// Each trap of DESIGN.md §2 is its own named rule; these pin which rule decides each trap fixture, so a
// reordering of the table that lets a look-alike win fails here by name.
const TRAPS = [
  { fixture: 'oom-killed--exit-255', rule: 'oomkilled-whatever-the-exit-code', not: 'app-error' },
  { fixture: 'liveness-probe--completed-exit-0', rule: 'probe-kill-looks-like-clean-exit', not: 'exit-zero' },
  { fixture: 'liveness-probe--error-137', rule: 'probe-kill-looks-like-clean-exit', not: 'unknown' },
  { fixture: 'liveness-probe--sigterm-143', rule: 'probe-kill-looks-like-clean-exit', not: 'unknown' },
  {
    fixture: 'liveness-probe--startup-probe',
    rule: 'probe-kill-looks-like-clean-exit',
    not: 'dependency-unreachable',
  },
  { fixture: 'app-error--go-panic-sigsegv', rule: 'go-panic-mentions-sigsegv', not: 'segfault' },
  {
    fixture: 'bad-command--entrypoint-permission-denied',
    rule: 'entrypoint-not-executable',
    not: 'permission-denied',
  },
  { fixture: 'bad-command--script-exit-126', rule: 'entrypoint-not-executable', not: 'permission-denied' },
  {
    fixture: 'dependency-unreachable--postgres-refused',
    rule: 'dependency-down-not-app-error',
    not: 'app-error',
  },
  {
    fixture: 'dependency-unreachable--java-connect-exception',
    rule: 'dependency-down-not-app-error',
    not: 'app-error',
  },
  { fixture: 'missing-config--optional-env-empty', rule: 'optional-config-left-env-empty', not: 'app-error' },
  { fixture: 'permission-denied--run-as-non-root', rule: 'run-as-non-root-rejected', not: 'missing-config' },
];

describe('traps', () => {
  it.each(TRAPS)('$fixture is decided by $rule, not $not', ({ fixture, rule, not }) => {
    const input = loadPodFixture(fixture);
    const [first] = failingContainers(input.pod);
    const facts = containerFacts(input.pod, first!, input.events ?? [], input.logs?.get(first!.name) ?? []);
    const match = firstMatch(facts);
    expect(match.rule.name).toBe(rule);
    expect(match.rule.cause).not.toBe(not);
  });

  it('a liveness kill needs the probe kill: the same exit 0 without events is exit-zero', () => {
    const input = loadPodFixture('liveness-probe--completed-exit-0');
    const [first] = failingContainers(input.pod);
    const facts = containerFacts(input.pod, first!, [], []);
    expect(firstMatch(facts).rule.cause).toBe('exit-zero');
  });

  it('an app that reads an env var from a non-optional reference is an app error, not missing config', () => {
    const input = loadPodFixture('missing-config--optional-env-empty');
    const spec = input.pod.spec.containers[0]!;
    spec.env = spec.env!.map((e) =>
      e.valueFrom?.secretKeyRef
        ? { ...e, valueFrom: { secretKeyRef: { name: 'sendgrid', key: 'api-key' } } }
        : e,
    );
    const [first] = failingContainers(input.pod);
    const facts = containerFacts(input.pod, first!, [], input.logs?.get(first!.name) ?? []);
    expect(firstMatch(facts).rule.cause).toBe('app-error');
  });
});
