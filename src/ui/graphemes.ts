// Grapheme clusters for measuring and cutting text (fit.ts, cell-diff.ts, and in the bundle string-width,
// slice-ansi and Ink's tokenizer: scripts/bundle.js). The first Intl.Segmenter a process makes costs 20–35 ms
// (ICU's break data), and the live view's first frames need none: plainly narrow text is measured by its
// length, and Ink tokenizes only ASCII styling before the first crash-looping row. So one segmenter is made,
// on first use.

let segmenter: Intl.Segmenter | undefined;

export function graphemeSegmenter(): Intl.Segmenter {
  segmenter ??= new Intl.Segmenter(undefined, { granularity: 'grapheme' });
  return segmenter;
}

/**
 * Printable ASCII and ESC: each UTF-16 unit is a cluster of its own (Unicode breaks around every control, ESC
 * among them, and joins none of these characters).
 */
const ONE_UNIT_EACH = /^[\u0020-\u007e\u001b]*$/;

/** `text`'s grapheme clusters as Intl.Segmenter gives them; text of printable ASCII and ESC without one. */
export function graphemes(text: string): Iterable<{ segment: string; index: number }> {
  if (!ONE_UNIT_EACH.test(text)) return graphemeSegmenter().segment(text);
  const clusters: { segment: string; index: number }[] = [];
  for (let index = 0; index < text.length; index++) clusters.push({ segment: text[index]!, index });
  return clusters;
}
