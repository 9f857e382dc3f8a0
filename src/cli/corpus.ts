// The corpus of real crash reports (test/fixtures/real): one folder per report with pod.yaml, events.yaml, one
// <container>.log per previous log, and NOTES.md (line 1 the report's URL, line 2 `expected: <cause-id>`). Each is
// explained exactly as `crashtop explain --pod --events --logs` would explain it.
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import type { CorpusCase } from '../model/accuracy.js';
import { CAUSE_IDS, type CauseId } from '../model/classify/types.js';
import { explainFromFiles } from './explain.js';

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

export async function explainCase(root: string, slug: string): Promise<CorpusCase> {
  const dir = join(root, slug);
  const { expected } = readNotes(dir);
  const events = join(dir, 'events.yaml');
  const logSpecs = readdirSync(dir)
    .filter((file) => file.endsWith('.log'))
    .map((file) => `${file.slice(0, -'.log'.length)}=${join(dir, file)}`);
  const report = await explainFromFiles({
    podFile: join(dir, 'pod.yaml'),
    ...(existsSync(events) ? { eventsFile: events } : {}),
    logSpecs,
  });
  const cause = report.pods[0]?.cause;
  return cause
    ? { slug, expected, got: cause.id, confidence: cause.confidence }
    : { slug, expected, got: 'none' };
}

export async function explainCorpus(root: string): Promise<CorpusCase[]> {
  return Promise.all(corpusSlugs(root).map((slug) => explainCase(root, slug)));
}
