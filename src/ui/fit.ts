import stringWidth from 'string-width';
import { columns, SIMPLE_NARROW } from '../model/columns.js';
import { graphemes } from './graphemes.js';

// Cells are measured in terminal columns, not UTF-16 units: a CJK name or an emoji takes two columns,
// and a row that is one column too wide wraps and breaks the whole table (reference/ink-notes.md §1).
// Almost everything on screen is ASCII or simple narrow symbols, where columns = length: that path skips
// string-width, which was the largest CPU cost of a frame (10,000-pod benchmark).

export type Align = 'left' | 'right';

/** Cut `text` to at most `width` columns, ending with `ellipsis` when something was cut. */
export function truncate(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (columns(text) <= width) return text;
  const room = width - columns(ellipsis);
  if (room < 0) return truncate(text, width, '');
  if (SIMPLE_NARROW.test(text)) return text.slice(0, room) + ellipsis;
  let out = '';
  let used = 0;
  for (const { segment } of graphemes(text)) {
    const w = stringWidth(segment);
    if (used + w > room) break;
    out += segment;
    used += w;
  }
  return out + ellipsis;
}

/**
 * Cut the middle out, keeping both ends: pod names differ in their last characters
 * (`payments-api-7d9f8c6b5-abc12`), so cutting the end would make sibling pods look identical.
 */
export function truncateMiddle(text: string, width: number, ellipsis = '…'): string {
  if (width <= 0) return '';
  if (columns(text) <= width) return text;
  const room = width - columns(ellipsis);
  if (room < 2) return truncate(text, width, ellipsis);
  const tailRoom = Math.floor(room / 2);
  if (SIMPLE_NARROW.test(text))
    return text.slice(0, room - tailRoom) + ellipsis + text.slice(text.length - tailRoom);
  const clusters = Array.from(graphemes(text), (s) => s.segment);
  let tail = '';
  let tailWidth = 0;
  for (let i = clusters.length - 1; i >= 0; i--) {
    const w = stringWidth(clusters[i]!);
    if (tailWidth + w > tailRoom) break;
    tail = clusters[i]! + tail;
    tailWidth += w;
  }
  return truncate(text, room - tailWidth + columns(ellipsis), ellipsis) + tail;
}

/** The random suffix of a generated pod name (`-7fhxk`, a StatefulSet's `-12`), dash included. */
const POD_SUFFIX = /-[a-z0-9]{1,5}$/;

/**
 * A pod name cut so its workload stays readable: `worker-0005-7d9f8c6b5-ls2zt` reads `worker-0005-…-ls2zt`, not
 * `worker-00…wz7-ls2zt`. The pod-template hash and the random suffix are the least informative parts; the
 * suffix stays whole (sibling pods differ there), the hash goes first. Anything else is cut in the middle.
 */
export function truncatePodName(text: string, width: number, ellipsis = '…'): string {
  if (columns(text) <= width) return text;
  const suffix = POD_SUFFIX.exec(text)?.[0];
  const room = width - columns(ellipsis) - (suffix?.length ?? 0);
  // The workload's part keeps at least half the room, else the plain middle cut says more.
  if (suffix === undefined || !SIMPLE_NARROW.test(text) || room < width / 2)
    return truncateMiddle(text, width, ellipsis);
  return text.slice(0, room) + ellipsis + suffix;
}

const CUTS = { end: truncate, middle: truncateMiddle, pod: truncatePodName };

/** Exactly `width` columns: cut where `where` says, then padded on the side `align` says. */
export function fitWidth(
  text: string,
  width: number,
  align: Align = 'left',
  ellipsis = '…',
  where: keyof typeof CUTS = 'end',
): string {
  const cut = CUTS[where](text, width, ellipsis);
  const pad = ' '.repeat(Math.max(0, width - columns(cut)));
  return align === 'right' ? pad + cut : cut + pad;
}

/** `text` cut into pieces of at most `width` columns (a wide character is never split); one piece at least. */
export function wrapColumns(text: string, width: number): string[] {
  if (width <= 0) return [text];
  if (SIMPLE_NARROW.test(text)) {
    const pieces: string[] = [];
    for (let i = 0; i < text.length; i += width) pieces.push(text.slice(i, i + width));
    return pieces.length > 0 ? pieces : [''];
  }
  const pieces: string[] = [];
  let piece = '';
  let used = 0;
  for (const { segment } of graphemes(text)) {
    const w = stringWidth(segment);
    if (used + w > width && piece !== '') {
      pieces.push(piece);
      piece = '';
      used = 0;
    }
    piece += segment;
    used += w;
  }
  pieces.push(piece);
  return pieces;
}

/**
 * Prose in lines of at most `width` columns, broken between words; a word wider than a line (a volume path, a
 * URL) is cut into pieces rather than losing its end. Lines after the first start with `hang`, within `width`.
 */
export function wrapWords(text: string, width: number, hang = ''): string[] {
  const indent = columns(hang) < width ? hang : '';
  const lines: string[] = [];
  const room = () => Math.max(1, lines.length === 0 ? width : width - columns(indent));
  let line = '';
  let used = 0;
  for (let word of text.split(' ')) {
    let wide = columns(word);
    if (line !== '' && used + 1 + wide <= room()) {
      line += ` ${word}`;
      used += 1 + wide;
      continue;
    }
    if (line !== '') lines.push(line);
    while (wide > room()) {
      const piece = wrapColumns(word, room())[0]!;
      lines.push(piece);
      word = word.slice(piece.length);
      wide = columns(word);
    }
    line = word;
    used = wide;
  }
  lines.push(line);
  return lines.map((l, i) => (i === 0 ? l : indent + l));
}

/** `text` without its first `from` columns (horizontal scrolling). */
export function dropColumns(text: string, from: number): string {
  if (from <= 0) return text;
  if (SIMPLE_NARROW.test(text)) return text.slice(from);
  let used = 0;
  let index = 0;
  for (const { segment } of graphemes(text)) {
    if (used >= from) break;
    used += stringWidth(segment);
    index += segment.length;
  }
  return text.slice(index);
}
