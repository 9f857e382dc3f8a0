import { describe, expect, it } from 'vitest';
import { createTheme } from '../../src/ui/theme.js';

describe('the ASCII theme', () => {
  const ascii = createTheme({ color: false, ascii: true });

  it.each([
    ['loading pods… 12 so far', 'loading pods... 12 so far'],
    ['≤ 2 · ≥ 1', '<= 2 | >= 1'],
    ['‘quoted’ “twice”', `'quoted' "twice"`],
    ['a – b — c', 'a - b - c'],
    ['s → shell ››', 's -> shell >>'],
    ['──── ↓ ↑', '---- v ^'],
  ])('writes %j as %j, every occurrence', (text, expected) => {
    expect(ascii.text(text)).toBe(expected);
  });

  it('leaves text as it is without --ascii', () => {
    expect(createTheme({ color: false, ascii: false }).text('a → b…')).toBe('a → b…');
  });
});
