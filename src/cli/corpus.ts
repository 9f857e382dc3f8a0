// The corpus of real crash reports (test/fixtures/real): one folder per report with pod.yaml, events.yaml, one
// <container>.log per previous log, and NOTES.md (line 1 the report's URL, line 2 `expected: <cause-id>`). Each is
// explained exactly as `crashtop explain --pod --events --logs` would explain it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusCase } from '../model/accuracy.js';
import { CAUSE_IDS, type CauseId } from '../model/classify/types.js';
import type { Pod } from '../model/pod.js';
import type { Report } from '../model/report.js';
import { explainFromFiles, type OfflineInput } from './explain.js';
import { readPods } from './input-files.js';

export interface CorpusNotes {
  url: string;
  expected: CauseId;
}

/** NOTES.md's first two lines, or an error naming what is wrong with them. */
export function readNotes(dir: string): CorpusNotes {
  const [url = '', second = ''] = readFileSync(join(dir, 'NOTES.md'), 'utf8').split('\n');
  const expected = /^expected: (\S+)$/.exec(second)?.[1];
  if (!/^https?:\/\/\S+$/.test(url))
    throw new Error(`${dir}/NOTES.md: line 1 must be the report's URL alone`);
  if (!CAUSE_IDS.includes(expected as CauseId)) {
    throw new Error(`${dir}/NOTES.md: line 2 must be "expected: <cause-id>", not "${second}"`);
  }
  return { url, expected: expected as CauseId };
}

export function corpusSlugs(root: string): string[] {
  return readdirSync(root, { withFileTypes: true })
    .filter((entry) => entry.isDirectory())
    .map((entry) => entry.name)
    .sort();
}

/** The slugs listed in `HOLDOUT`, one a line. */
export function readHoldout(root: string): string[] {
  return readFileSync(join(root, 'HOLDOUT'), 'utf8')
    .split('\n')
    .map((line) => line.trim())
    .filter((line) => line !== '');
}

/**
 * When a report was captured is not known: take a minute after the newest time the restarted containers show
 * (their last exit, or their start after it), which is when a reporter typically looks; without a restarted
 * container, a minute after the newest time of any. It decides whether a container running between crashes is
 * still in its crash loop.
 */
export function capturedAt(pod: Pod): number {
  const statuses = [...(pod.status?.initContainerStatuses ?? []), ...(pod.status?.containerStatuses ?? [])];
  const timesOf = (list: typeof statuses) =>
    list.flatMap((s) =>
      [s.state?.running?.startedAt, s.state?.terminated?.finishedAt, s.lastState?.terminated?.finishedAt]
        .filter((t): t is string => t !== undefined)
        .map((t) => Date.parse(t))
        .filter((t) => !Number.isNaN(t)),
    );
  const restarted = timesOf(statuses.filter((s) => s.restartCount > 0 || s.lastState?.terminated));
  const times = restarted.length > 0 ? restarted : timesOf(statuses);
  return (times.length > 0 ? Math.max(...times) : Date.parse(pod.metadata.creationTimestamp ?? '')) + 60_000;
}

/**
 * `explain --pod` as of a given time. The time dates crash loops (a container running between crashes is
 * explained while its back-off holds): explainFromFiles takes it as its third argument once the crash-loop
 * definition (issue 8) is in; until then the argument is ignored and such containers are not explained.
 */
const explainAt: (input: OfflineInput, curve: undefined, nowMs: number) => Promise<Report> = explainFromFiles;

export async function explainCase(root: string, slug: string): Promise<CorpusCase> {
  const dir = join(root, slug);
  const { expected } = readNotes(dir);
  const events = join(dir, 'events.yaml');
  const logSpecs = readdirSync(dir)
    .filter((file) => file.endsWith('.log'))
    .map((file) => `${file.slice(0, -'.log'.length)}=${join(dir, file)}`);
  const podFile = join(dir, 'pod.yaml');
  const [pod] = await readPods(podFile);
  const report = await explainAt(
    { podFile, ...(existsSync(events) ? { eventsFile: events } : {}), logSpecs },
    undefined,
    capturedAt(pod!),
  );
  const cause = report.pods[0]?.cause;
  return cause
    ? { slug, expected, got: cause.id, confidence: cause.confidence }
    : { slug, expected, got: 'none' };
}

export async function explainCorpus(root: string): Promise<CorpusCase[]> {
  return Promise.all(corpusSlugs(root).map((slug) => explainCase(root, slug)));
}
