// Scores the classifier against a corpus of real reports whose cause the report's own thread concluded: overall
// accuracy, per-cause precision and recall, how often a `high` answer is right, and which causes are taken for
// which. Pure: the corpus is read and explained in ../cli/corpus.ts.
import type { CauseId, Confidence } from './classify/types.js';

/** What the classifier answered for one report; `none` when it named no failing container at all. */
export type Answer = CauseId | 'none';

export interface CorpusCase {
  slug: string;
  expected: CauseId;
  got: Answer;
  confidence?: Confidence;
}

export interface CauseScore {
  id: Answer;
  /** Reports whose expected cause is this id. */
  expected: number;
  /** Answers that named this id. */
  answered: number;
  correct: number;
}

export interface Confusion {
  expected: CauseId;
  got: Answer;
  slugs: string[];
}

export interface Score {
  total: number;
  correct: number;
  high: { answered: number; correct: number };
  causes: CauseScore[];
  confusions: Confusion[];
}

export function score(cases: readonly CorpusCase[]): Score {
  const causes = new Map<Answer, CauseScore>();
  const causeOf = (id: Answer) => {
    let entry = causes.get(id);
    if (!entry) {
      entry = { id, expected: 0, answered: 0, correct: 0 };
      causes.set(id, entry);
    }
    return entry;
  };
  const confusions = new Map<string, Confusion>();
  let correct = 0;
  const high = { answered: 0, correct: 0 };
  for (const c of cases) {
    const right = c.got === c.expected;
    causeOf(c.expected).expected++;
    causeOf(c.got).answered++;
    if (right) {
      correct++;
      causeOf(c.got).correct++;
    } else {
      const key = `${c.expected} ${c.got}`;
      const pair = confusions.get(key) ?? { expected: c.expected, got: c.got, slugs: [] };
      pair.slugs.push(c.slug);
      confusions.set(key, pair);
    }
    if (c.confidence === 'high') {
      high.answered++;
      if (right) high.correct++;
    }
  }
  return {
    total: cases.length,
    correct,
    high,
    causes: [...causes.values()].sort((a, b) => a.id.localeCompare(b.id)),
    confusions: [...confusions.values()].sort(
      (a, b) => b.slugs.length - a.slugs.length || a.expected.localeCompare(b.expected),
    ),
  };
}

/** A share as `93.5 %`, or `-` when nothing was counted. */
export function percent(part: number, whole: number): string {
  return whole === 0 ? '-' : `${((100 * part) / whole).toFixed(1)} %`;
}

export function formatScore(title: string, s: Score): string[] {
  const pad = (text: string, width: number) => text.padEnd(width);
  const lines = [
    `${title}: ${s.total} reports`,
    `  accuracy                  ${percent(s.correct, s.total)} (${s.correct}/${s.total})`,
    `  high-confidence precision ${percent(s.high.correct, s.high.answered)} (${s.high.correct}/${s.high.answered})`,
    `  ${pad('cause', 24)}${pad('precision', 20)}recall`,
  ];
  for (const c of s.causes) {
    const precision = `${percent(c.correct, c.answered)} (${c.correct}/${c.answered})`;
    const recall = `${percent(c.correct, c.expected)} (${c.correct}/${c.expected})`;
    lines.push(`  ${pad(c.id, 24)}${pad(precision, 20)}${recall}`);
  }
  lines.push(s.confusions.length > 0 ? '  confusions (expected -> answered):' : '  no confusions');
  for (const pair of s.confusions) {
    lines.push(`    ${pair.expected} -> ${pair.got} ×${pair.slugs.length}: ${pair.slugs.join(', ')}`);
  }
  return lines;
}

/**
 * Whether a report is kept aside from tuning: a seeded FNV-1a hash of its slug, one in five. Random, decided once
 * per report, and stable as the corpus grows (a shuffle of the whole list would move reports between the parts).
 */
export function isHoldout(slug: string): boolean {
  let hash = 0x811c9dc5;
  for (const byte of new TextEncoder().encode(`crashtop-holdout:${slug}`)) {
    hash = Math.imul(hash ^ byte, 0x01000193) >>> 0;
  }
  return hash % 5 === 0;
}
