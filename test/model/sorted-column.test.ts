import { describe, expect, it } from 'vitest';
import { COLUMN_GAP, type ColumnId, layoutColumns, POD_COLUMNS } from '../../src/model/rows.js';
import { SORT_COLUMN_KEYS } from '../../src/ui/keys.js';

// Rows sorted by a column the user cannot see reorder for no visible reason (bug: `T` at 80 columns sorted by
// the hidden RESTARTS): the sorted column takes the place of columns that would stay without it.

const shown = (width: number, sorted?: ColumnId, multiContext = false) =>
  layoutColumns(width, {
    multiContext,
    sorted,
    content: { name: 28, status: 16, namespace: 4, cause: 14, restarts: 14, context: 9 },
  }).map((p) => p.column.id);

describe('layoutColumns with a sorted column', () => {
  // 78 and 118: an 80- and a 120-column terminal less the selection gutter.
  it.each<[number, ColumnId, ColumnId[]]>([
    [78, 'next', ['name', 'status', 'next', 'cause']],
    [78, 'restarts', ['name', 'status', 'restarts', 'next']],
    [78, 'age', ['name', 'status', 'next', 'cause', 'age']],
    [78, 'ready', ['name', 'ready', 'status', 'next', 'cause']],
    [78, 'namespace', ['namespace', 'name', 'status', 'next', 'cause']],
    [118, 'restarts', ['namespace', 'name', 'status', 'restarts', 'next', 'cause']],
    [118, 'age', ['name', 'status', 'restarts', 'next', 'cause', 'age']],
    [58, 'cause', ['name', 'status', 'next']],
  ])('%i columns sorted by %s: %j', (width, sorted, expected) => {
    expect(shown(width, sorted)).toEqual(expected);
  });

  it('shows every sortable column when sorted by it, from 80 columns up', () => {
    for (const [, column] of SORT_COLUMN_KEYS.filter(([, c]) => c !== 'context'))
      for (let width = 78; width <= 220; width++) expect(shown(width, column)).toContain(column);
  });

  // With several clusters CONTEXT tells rows of the same name apart: the sorted column never takes its place,
  // and RESTARTS (17 columns whole) fits beside it from 84 columns up.
  it('with several contexts shows the sorted column beside CONTEXT: from 80 columns up, RESTARTS from 84', () => {
    for (const [, column] of SORT_COLUMN_KEYS)
      for (let width = column === 'restarts' ? 82 : 78; width <= 220; width++)
        expect(shown(width, column, true)).toEqual(expect.arrayContaining(['context', column]));
    expect(shown(78, 'restarts', true)).toEqual(['context', 'name', 'status', 'next']);
  });

  // Every width a terminal has, every column, one context or several: all of them, not a sample (a sample of 100
  // missed 74 columns sorted by NAMESPACE with several contexts, where the mark's column dropped NAMESPACE).
  it('never hides a column because it is sorted, and never exceeds the width', () => {
    for (let width = 10; width <= 260; width++)
      for (const sorted of POD_COLUMNS.map((c) => c.id))
        for (const multiContext of [false, true]) {
          const placed = layoutColumns(width, { multiContext, sorted, content: { name: 40, status: 26 } });
          const unsorted = layoutColumns(width, { multiContext, content: { name: 40, status: 26 } });
          const where = `${width} columns sorted by ${sorted}${multiContext ? ', several contexts' : ''}`;
          if (unsorted.some((p) => p.column.id === sorted))
            expect(
              placed.map((p) => p.column.id),
              where,
            ).toContain(sorted);
          const total = placed.reduce((sum, p) => sum + p.width, 0) + COLUMN_GAP * (placed.length - 1);
          expect(total, where).toBeLessThanOrEqual(width);
          for (const id of width >= 35 ? ['name', 'status', 'next'] : ['name', 'next'])
            expect(
              placed.map((p) => p.column.id),
              where,
            ).toContain(id);
        }
  });
});
