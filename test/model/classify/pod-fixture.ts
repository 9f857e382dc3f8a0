import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { DiagnosisInput } from '../../../src/model/classify/index.js';
import type { KubeEvent, Pod } from '../../../src/model/pod.js';

export const POD_FIXTURES = join(import.meta.dirname, '../../fixtures/pods');

/** Pod fixture names (`<cause-id>--<case>`), without the events and log files that sit beside them. */
export function podFixtureNames(): string[] {
  return readdirSync(POD_FIXTURES)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.events.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** `<name>.yaml` (a Pod), `<name>.events.yaml` (an EventList) and `<name>.<container>.log` files. */
export function loadPodFixture(name: string): DiagnosisInput {
  const pod = parse(readFileSync(join(POD_FIXTURES, `${name}.yaml`), 'utf8')) as Pod;
  const eventsFile = join(POD_FIXTURES, `${name}.events.yaml`);
  const events = existsSync(eventsFile)
    ? ((parse(readFileSync(eventsFile, 'utf8')) as { items: KubeEvent[] }).items ?? [])
    : [];
  const logs = new Map<string, string[]>();
  for (const file of readdirSync(POD_FIXTURES)) {
    if (!file.startsWith(`${name}.`) || !file.endsWith('.log')) continue;
    const container = file.slice(name.length + 1, -'.log'.length);
    logs.set(container, readFileSync(join(POD_FIXTURES, file), 'utf8').replace(/\n$/, '').split('\n'));
  }
  return { pod, events, logs };
}
