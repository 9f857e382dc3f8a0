import { afterEach, describe, expect, it } from 'vitest';
import { capturedAt, corpusSlugs } from '../../../src/cli/corpus.js';
import { diagnose } from '../../../src/model/classify/index.js';
import { ENDPOINTS, PATTERNS } from '../../../src/model/classify/rules.js';
import { loadPodFixture, loadRealFixture, podFixtureNames, REAL_FIXTURES } from './pod-fixture.js';

// Every alternative of every pattern the rules decide on must be needed by at least one fixture (the pod
// fixtures and the real-report corpus): take each out in turn, diagnose every fixture again, and some cause,
// confidence, evidence or fix must change. An alternative nothing needs is a guess no report backs.

interface Span {
  start: number;
  end: number;
}

/**
 * The alternatives of a regex source, at every group depth: for each `|`-separated branch of a group (or of the
 * whole pattern) that has more than one, its span. Character classes and escapes are skipped.
 */
function alternatives(source: string): Span[] {
  const spans: Span[] = [];
  // One entry per open group: where its current branch starts and the branches seen so far.
  const stack: { branchStart: number; branches: Span[] }[] = [{ branchStart: 0, branches: [] }];
  const close = (end: number) => {
    const group = stack.pop()!;
    group.branches.push({ start: group.branchStart, end });
    if (group.branches.length > 1) spans.push(...group.branches);
  };
  let inClass = false;
  for (let i = 0; i < source.length; i++) {
    const c = source[i];
    if (c === '\\') {
      i++;
      continue;
    }
    if (inClass) {
      if (c === ']') inClass = false;
      continue;
    }
    if (c === '[') inClass = true;
    else if (c === '(') {
      const prefix = /^\(\?(?:[:=!]|<[=!]|<\w+>)/.exec(source.slice(i));
      const bodyStart = i + (prefix ? prefix[0].length : 1);
      stack.push({ branchStart: bodyStart, branches: [] });
      i = bodyStart - 1;
    } else if (c === ')') close(i);
    else if (c === '|') {
      const group = stack[stack.length - 1]!;
      group.branches.push({ start: group.branchStart, end: i });
      group.branchStart = i + 1;
    }
  }
  close(source.length);
  return spans.sort((a, b) => a.start - b.start);
}

/** The source without one alternative (and the `|` that joined it to a neighbour). */
function without(source: string, span: Span): string {
  return source[span.end] === '|'
    ? source.slice(0, span.start) + source.slice(span.end + 1)
    : source.slice(0, span.start - 1) + source.slice(span.end);
}

describe('alternatives', () => {
  it('splits every level, skipping classes, escapes and group prefixes', () => {
    const source = String.raw`a|(?:b|c\|d)|[x|y](?<!e)f`;
    expect(alternatives(source).map((s) => source.slice(s.start, s.end))).toEqual([
      'a',
      '(?:b|c\\|d)',
      'b',
      'c\\|d',
      '[x|y](?<!e)f',
    ]);
    expect(without(source, alternatives(source)[0]!)).toBe(String.raw`(?:b|c\|d)|[x|y](?<!e)f`);
    expect(without('(x|y)', alternatives('(x|y)')[1]!)).toBe('(x)');
  });
});

const inputs = [
  ...podFixtureNames().map((name) => loadPodFixture(name)),
  // Dated like the corpus test dates them (capturedAt), so containers running between crashes count too.
  ...corpusSlugs(REAL_FIXTURES).map((slug) => {
    const input = loadRealFixture(slug);
    return { ...input, nowMs: capturedAt(input.pod) };
  }),
];

function outcomes(): string {
  return JSON.stringify(
    inputs.map((input) =>
      diagnose(input).containers.map(({ id, confidence, evidence, fix }) => [id, confidence, evidence, fix]),
    ),
  );
}

const baseline = outcomes();
const patterns = PATTERNS as Record<string, RegExp>;
const original = { ...patterns };
const originalEndpoints = [...ENDPOINTS];

afterEach(() => {
  Object.assign(patterns, original);
  ENDPOINTS.splice(0, ENDPOINTS.length, ...originalEndpoints);
});

describe('every alternative of every rule pattern is needed by a fixture', () => {
  const cases = Object.entries(original).flatMap(([name, pattern]) =>
    alternatives(pattern.source).map((span) => ({
      name,
      alternative: pattern.source.slice(span.start, span.end),
      reduced: new RegExp(without(pattern.source, span), pattern.flags),
    })),
  );

  it.each(cases)('PATTERNS.$name without $alternative', ({ name, reduced }) => {
    patterns[name] = reduced;
    expect(outcomes()).not.toBe(baseline);
  });

  it.each(originalEndpoints.map((pattern, index) => ({ index, pattern: pattern.source })))(
    'ENDPOINTS without $pattern',
    ({ index }) => {
      ENDPOINTS.splice(index, 1);
      expect(outcomes()).not.toBe(baseline);
    },
  );

  const endpointCases = originalEndpoints.flatMap((pattern, index) =>
    alternatives(pattern.source).map((span) => ({
      index,
      alternative: pattern.source.slice(span.start, span.end),
      reduced: new RegExp(without(pattern.source, span), pattern.flags),
    })),
  );

  it.each(endpointCases)('ENDPOINTS[$index] without $alternative', ({ index, reduced }) => {
    ENDPOINTS[index] = reduced;
    expect(outcomes()).not.toBe(baseline);
  });
});
