import stringWidth from 'string-width';

// Text is measured in terminal columns, not UTF-16 units: a CJK name or an emoji takes two columns, and a table
// row or a report line one column too wide wraps (reference/ink-notes.md §1). Almost everything crashtop prints
// is ASCII or simple narrow symbols, where columns = length: that path skips string-width, which segments every
// string into graphemes and tests each against a fresh emoji regex (the largest CPU cost of a frame at 10,000
// pods, and of `explain`'s report).

/**
 * Code points that are one column wide whatever the font and that combine with nothing: ASCII, Latin,
 * Greek, Cyrillic, general punctuation (… ‘ ’ · ›), arrows, math operators (≤), box drawing, block
 * elements and geometric shapes (█ ░ ▸ ▾). Combining marks, CJK and emoji are left to string-width.
 */
export const SIMPLE_NARROW =
  /^[\u0020-\u007e\u00a0-\u00ac\u00ae-\u02ff\u0370-\u03ff\u0400-\u0482\u048a-\u04ff\u2010-\u2027\u2030-\u205e\u2190-\u21ff\u2200-\u22ff\u2500-\u25fc]*$/;

/** Terminal columns of `text` (no escape sequences in it). */
export function columns(text: string): number {
  return SIMPLE_NARROW.test(text) ? text.length : stringWidth(text);
}
