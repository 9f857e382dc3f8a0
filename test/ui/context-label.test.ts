import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { contextCells, contextCellsWidth } from '../../src/ui/context-label.js';

// CONTEXT is laid out as wide as what tells the contexts apart (rows.ts layoutColumns): names that share a part
// need only the rest, names that share nothing need their whole width.

describe('contextCellsWidth', () => {
  it.each<[string[], number]>([
    [['crashtop-sim', 'west'], 12],
    [['prod-eu-west-1', 'prod-us-east-1'], 7],
    [['gke_shop_europe-west1_prod', 'gke_shop_europe-west1_stage'], 5],
    [['arn:aws:eks:ap-southeast-2:123456789012:cluster/prod-sydney', 'prod-eu-west-1'], 59],
    [['kind-dev'], 8],
    // One name is all shared part (`prod` within `prod-eu`): nothing is left out, both whole.
    [['prod', 'prod-eu'], 7],
  ])('%j: %i', (contexts, width) => {
    expect(contextCellsWidth(contexts)).toBe(width);
  });

  it('at that width contextCells cuts none of them: each cell reads apart from the others', () => {
    const name = fc.stringMatching(/^[a-z]{1,6}([-_][a-z0-9]{1,6}){0,3}$/);
    fc.assert(
      fc.property(fc.uniqueArray(name, { minLength: 2, maxLength: 4 }), (contexts) => {
        const cells = contextCells(contexts, contextCellsWidth(contexts));
        for (const cell of cells.values()) expect(cell).not.toContain('…');
        expect(new Set(cells.values()).size).toBe(contexts.length);
      }),
    );
  });
});
