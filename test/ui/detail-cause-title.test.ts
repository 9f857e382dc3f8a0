import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { diagnose } from '../../src/model/classify/index.js';
import { columns } from '../../src/model/columns.js';
import { detailLines } from '../../src/ui/detail-lines.js';
import { loadPodFixture } from '../model/classify/pod-fixture.js';

// README (detail page): the cause is shown as `explain` prints it: its title whole, wrapped at the page's edge.

const input = loadPodFixture('segfault--native-crash');
const causes = diagnose(input).containers;
const title = causes[0]!.title;

/** The page's lines from the cause heading up to its first evidence line. */
function causeBlock(width: number): string[] {
  const lines = detailLines({ pod: input.pod, events: [], causes, serverNowMs: 0, width }).map((l) => l.text);
  const start = lines.findIndex((line) => line.startsWith('Cause'));
  const end = lines.findIndex((line, i) => i > start && line.startsWith('  - '));
  return lines.slice(start, end);
}

describe('the cause title on the detail page', () => {
  it('is long enough to need wrapping on a narrow page', () => {
    expect(title).toBe('The process died of SIGSEGV (a wrapper printed it and exited with its own code)');
    expect(causeBlock(60)).toEqual([
      'Cause (encoder): segfault, high confidence',
      '  The process died of SIGSEGV (a wrapper printed it and',
      '  exited with its own code)',
    ]);
  });

  it('is whole and within the page at any width', () => {
    fc.assert(
      fc.property(fc.integer({ min: 12, max: 200 }), (width) => {
        const block = causeBlock(width);
        for (const line of block) expect(columns(line)).toBeLessThanOrEqual(width);
        const words = block.join(' ').split(/\s+/).join(' ');
        expect(words).toContain(title);
      }),
    );
  });
});
