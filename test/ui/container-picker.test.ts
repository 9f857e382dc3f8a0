import { describe, expect, it } from 'vitest';
import type { Pod } from '../../src/model/pod.js';
import { containerChoices } from '../../src/ui/components/ContainerPicker.js';
import { ALL_CONTAINERS } from '../../src/ui/hooks/use-logs.js';
import { fixturePods } from './fake-source.js';

// The log view's `c` picker counts containers and restarts in words: `1 restarts` and `all 1 containers` read as
// a program that did not look.

/** The fixture's crash-looping pod (one container) with its container restarted `restarts` times. */
function oneContainer(restarts: number): Pod {
  const pod = structuredClone(fixturePods()[0]!);
  pod.status!.containerStatuses![0]!.restartCount = restarts;
  return pod;
}

const labels = (pod: Pod) => containerChoices(pod).map((choice) => choice.label);

describe('containerChoices', () => {
  it.each([
    [1, 'restart'],
    [2, 'restarts'],
  ])('a container restarted %i times: %s', (restarts, word) => {
    expect(labels(oneContainer(restarts))[0]).toMatch(new RegExp(` · ${restarts} ${word}$`));
  });

  it('a container never restarted: no count', () => {
    expect(labels(oneContainer(0))[0]).not.toMatch(/restart/);
  });

  it('a pod of one container: its only container, not "all 1 containers"', () => {
    const choices = containerChoices(oneContainer(1));
    expect(choices.at(-1)).toEqual({ name: ALL_CONTAINERS, label: 'its only container, each line prefixed' });
  });

  it('a pod of three (one init): all 3 containers', () => {
    const choices = containerChoices(fixturePods('multi-container.yaml')[0]!);
    expect(choices.at(-1)).toEqual({ name: ALL_CONTAINERS, label: 'all 3 containers, each line prefixed' });
    expect(choices.map((c) => c.label)).toContain('app  Running · 3 restarts');
  });
});
