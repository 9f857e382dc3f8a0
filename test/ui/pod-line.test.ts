import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { layoutColumns, type PodRow, podRow } from '../../src/model/rows.js';
import { podLine } from '../../src/ui/cells.js';
import { createTheme } from '../../src/ui/theme.js';

// A tick formats every row on screen again: only its clock's cells (restarts ago, next restart, age) should
// cost anything, the names and statuses are fitted once per row and layout.

const NOW = Date.parse('2026-11-25T15:00:00Z');
const pod = parse(
  readFileSync(new URL('../fixtures/crash-loop/waiting-crashloopbackoff.yaml', import.meta.url), 'utf8'),
) as Pod;
const theme = createTheme({ color: true, ascii: false });

/** The row, its name, namespace and status read through getters that count the reads. */
function countingRow(): { row: PodRow; reads: () => number } {
  const built = podRow('prod/shop/w', 'prod', pod, [], { nowMs: NOW });
  let reads = 0;
  const row = { ...built };
  for (const key of ['name', 'namespace', 'context'] as const) {
    const value = built[key];
    Object.defineProperty(row, key, {
      get: () => {
        reads++;
        return value;
      },
    });
  }
  return { row, reads: () => reads };
}

describe('podLine', () => {
  const placed = layoutColumns(120, { multiContext: true });
  const line = (row: PodRow, nowMs: number, branch?: 'middle' | 'last') =>
    podLine(row, placed, { localNowMs: nowMs, clockOffsetMs: 0, theme, gutter: '  ', width: 120, branch });

  it('reads the names once per row and layout; each tick formats only the cells the clock changes', () => {
    const { row, reads } = countingRow();
    const first = line(row, NOW);
    const readsForOne = reads();
    expect(readsForOne).toBeGreaterThan(0);
    const later = [1_000, 2_000, 61_000].map((ms) => line(row, NOW + ms));
    expect(reads()).toBe(readsForOne);
    // Each is the line a row never drawn before gives at that moment.
    expect(first).toBe(line(countingRow().row, NOW));
    expect(later).toEqual([1_000, 2_000, 61_000].map((ms) => line(countingRow().row, NOW + ms)));
    expect(later[0]).not.toBe(first);
  });

  it('fits the names again for another layout or another branch of its owner', () => {
    const { row, reads } = countingRow();
    line(row, NOW);
    const once = reads();
    const grouped = line(row, NOW, 'last');
    expect(grouped).toBe(line(countingRow().row, NOW, 'last'));
    expect(reads()).toBeGreaterThan(once);
    const narrow = layoutColumns(80, { multiContext: true });
    const before = reads();
    const text = podLine(row, narrow, { localNowMs: NOW, clockOffsetMs: 0, theme, gutter: '  ', width: 80 });
    expect(reads()).toBeGreaterThan(before);
    expect(text).toBe(
      podLine(countingRow().row, narrow, {
        localNowMs: NOW,
        clockOffsetMs: 0,
        theme,
        gutter: '  ',
        width: 80,
      }),
    );
  });
});
