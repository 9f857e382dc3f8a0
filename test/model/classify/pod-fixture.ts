import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { parse } from 'yaml';
import type { DiagnosisInput } from '../../../src/model/classify/index.js';
import type { KubeEvent, Pod } from '../../../src/model/pod.js';

export const POD_FIXTURES = join(import.meta.dirname, '../../fixtures/pods');
/** The corpus of real reports: one folder per report (pod.yaml, events.yaml, <container>.log, NOTES.md). */
export const REAL_FIXTURES = join(import.meta.dirname, '../../fixtures/real');

/** Pod fixture names (`<cause-id>--<case>`), without the events and log files that sit beside them. */
export function podFixtureNames(): string[] {
  return readdirSync(POD_FIXTURES)
    .filter((f) => f.endsWith('.yaml') && !f.endsWith('.events.yaml'))
    .map((f) => f.slice(0, -'.yaml'.length))
    .sort();
}

/** A Pod file, an optional EventList file, and one previous log file per container. */
function readInput(podFile: string, eventsFile: string, logFiles: [string, string][]): DiagnosisInput {
  const pod = parse(readFileSync(podFile, 'utf8')) as Pod;
  const events = existsSync(eventsFile)
    ? ((parse(readFileSync(eventsFile, 'utf8')) as { items: KubeEvent[] }).items ?? [])
    : [];
  const logs = new Map(
    logFiles.map(([container, file]) => [
      container,
      readFileSync(file, 'utf8').replace(/\n$/, '').split('\n'),
    ]),
  );
  return { pod, events, logs };
}

/** `<name>.yaml` (a Pod), `<name>.events.yaml` (an EventList) and `<name>.<container>.log` files. */
export function loadPodFixture(name: string): DiagnosisInput {
  const logs = readdirSync(POD_FIXTURES)
    .filter((file) => file.startsWith(`${name}.`) && file.endsWith('.log'))
    .map((file): [string, string] => [file.slice(name.length + 1, -'.log'.length), join(POD_FIXTURES, file)]);
  return readInput(join(POD_FIXTURES, `${name}.yaml`), join(POD_FIXTURES, `${name}.events.yaml`), logs);
}

/** One report of the real corpus, read as `explain --pod --events --logs` reads it. */
export function loadRealFixture(slug: string): DiagnosisInput {
  const dir = join(REAL_FIXTURES, slug);
  const logs = readdirSync(dir)
    .filter((file) => file.endsWith('.log'))
    .map((file): [string, string] => [file.slice(0, -'.log'.length), join(dir, file)]);
  return readInput(join(dir, 'pod.yaml'), join(dir, 'events.yaml'), logs);
}
