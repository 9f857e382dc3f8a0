import { describe, expect, it } from 'vitest';
import { type CorpusCase, formatScore, isHoldout, percent, score } from '../../src/model/accuracy.js';

const CASES: CorpusCase[] = [
  { slug: 'a', expected: 'oom-killed', got: 'oom-killed', confidence: 'high' },
  { slug: 'b', expected: 'oom-killed', got: 'unknown', confidence: 'low' },
  { slug: 'c', expected: 'liveness-probe', got: 'app-error', confidence: 'high' },
  { slug: 'd', expected: 'liveness-probe', got: 'app-error', confidence: 'medium' },
  { slug: 'e', expected: 'unknown', got: 'none' },
];

describe('score', () => {
  const s = score(CASES);

  it('counts accuracy and how often a high-confidence answer is right', () => {
    expect(s.total).toBe(5);
    expect(s.correct).toBe(1);
    expect(s.high).toEqual({ answered: 2, correct: 1 });
  });

  it('gives per cause how many reports expect it, how many answers name it, and how many were right', () => {
    expect(s.causes.find((c) => c.id === 'oom-killed')).toEqual({
      id: 'oom-killed',
      expected: 2,
      answered: 1,
      correct: 1,
    });
    expect(s.causes.find((c) => c.id === 'app-error')).toEqual({
      id: 'app-error',
      expected: 0,
      answered: 2,
      correct: 0,
    });
    expect(s.causes.find((c) => c.id === 'none')).toEqual({
      id: 'none',
      expected: 0,
      answered: 1,
      correct: 0,
    });
  });

  it('lists confusion pairs, most frequent first, with their reports', () => {
    expect(s.confusions[0]).toEqual({ expected: 'liveness-probe', got: 'app-error', slugs: ['c', 'd'] });
    expect(s.confusions).toHaveLength(3);
  });

  it('prints precision and recall per cause', () => {
    const lines = formatScore('tuning', s);
    expect(lines[0]).toBe('tuning: 5 reports');
    expect(lines).toContain('  accuracy                  20.0 % (1/5)');
    expect(lines).toContain('  high-confidence precision 50.0 % (1/2)');
    expect(lines).toContain('  oom-killed              100.0 % (1/1)       50.0 % (1/2)');
    expect(lines).toContain('    liveness-probe -> app-error ×2: c, d');
  });

  it('says "-" rather than dividing by zero', () => {
    expect(percent(0, 0)).toBe('-');
    expect(formatScore('holdout', score([]))).toContain('  accuracy                  - (0/0)');
  });
});

describe('isHoldout', () => {
  it('keeps about a fifth aside, the same slugs every time', () => {
    const slugs = Array.from({ length: 1000 }, (_, i) => `report-${i}`);
    const kept = slugs.filter(isHoldout);
    expect(kept.length).toBeGreaterThan(150);
    expect(kept.length).toBeLessThan(250);
    expect(slugs.filter(isHoldout)).toEqual(kept);
  });
});
