import { useRef } from 'react';
import { BoundedMap } from '../../model/bounded-map.js';
import { SIMPLE_NARROW } from '../../model/columns.js';

// What crashtop's bundle (scripts/bundle.js) changes in Ink 6, and why. Ink draws every frame from scratch: a
// fresh Output per frame splits each line of the screen into ANSI tokens, makes an object per column and
// measures each character, and Yoga and the renderer measure each text with string-width, which walks every
// grapheme through several Unicode regexes as soon as a line holds one non-ASCII character (the cursor `›`,
// the countdown bars `█░`). On a 120×40 screen that was most of the idle CPU (profile of the 10,000-pod
// live view). Both patches give Ink the same answers, faster; test/ui/ink-patches.test.ts checks them against
// Ink's own code.

/**
 * SGR codes (colours, bold, inverse) that every ansi-regex string-width may use strips whole (older ones take at
 * most four digits a parameter). Anything else escaped is left to string-width.
 */
const SGR = /\u001b\[(?:\d{1,4}(?:;\d{0,4})*)?m/g;

/**
 * Ink's string-width, with the width of plainly narrow text (fit.ts SIMPLE_NARROW) taken as its length, also
 * when it is coloured: string-width strips the SGR codes and measures the rest, and plainly narrow rest is as
 * wide as it is long. Without that, each coloured line (the header, every selected or warning row) went through
 * string-width's per-grapheme segmenting and emoji tests: ~1 ms a line cold, 40 ms of the first frame.
 */
export function withNarrowFastPath<O>(
  stringWidth: (text: string, options?: O) => number,
): (text: string, options?: O) => number {
  return (text, options) => {
    if (options !== undefined || typeof text !== 'string') return stringWidth(text, options);
    const plain = text.includes('\u001b') ? text.replace(SGR, '') : text;
    return SIMPLE_NARROW.test(plain) ? plain.length : stringWidth(text, options);
  };
}

/** Plainly narrow text's width (its length), SGR codes aside; undefined for anything else or more than a line. */
function narrowLineWidth(text: string): number | undefined {
  const plain = text.includes('\u001b') ? text.replace(SGR, '') : text;
  return SIMPLE_NARROW.test(plain) ? plain.length : undefined;
}

/** The part of an Ink DOM text node this reads (ink/build/dom.js). */
export interface InkTextNode {
  nodeName: string;
  parentNode?: { nodeName: string; childNodes: readonly unknown[]; style?: { textWrap?: string } };
}

/**
 * Whether Yoga may keep the size it measured for a text whose only child text changes from `before` to
 * `after`: Ink marks the text's Yoga node dirty on every change, and a dirty node is measured and laid out
 * again with every box above it. Each second's tick changes every row's countdown, never its size, and that
 * re-layout was a fifth of the tick's frame. A truncated text measures as min(its width, the room) whatever
 * its characters are, when it is one line of plainly narrow characters; so when both texts are such a line
 * of the same length, every measure Yoga cached for the old one holds for the new one. Ink still draws the
 * new text: it reads the text again for every frame.
 */
export function keepsMeasure(node: InkTextNode, before: unknown, after: string): boolean {
  const parent = node.parentNode;
  if (typeof before !== 'string' || parent === undefined || parent.nodeName !== 'ink-text') return false;
  if (parent.childNodes.length !== 1 || !parent.style?.textWrap?.startsWith('truncate')) return false;
  const width = narrowLineWidth(after);
  // Ink measures an empty text as no line at all, and one of SGR codes alone as an empty line.
  return width !== undefined && width === narrowLineWidth(before) && (after === '') === (before === '');
}

/**
 * For Ink's Text (ink/build/components/Text.js), which makes a new style object and a new transform function on
 * every render: the ones of the last render while `look` (the props they are made from) is the same, by
 * position, and `fresh` otherwise. Each second's tick renders every row's Text again for a new countdown, and
 * with new objects in its props each one was diffed key by key at commit (sameHostProps).
 */
export function useKeptTextProps(look: readonly unknown[]): <T>(name: 'style' | 'transform', fresh: T) => T {
  const kept = useRef<{ look: readonly unknown[]; values: Map<string, unknown> }>(undefined);
  const last = kept.current;
  if (last === undefined || last.look.length !== look.length || last.look.some((v, i) => v !== look[i]))
    kept.current = { look, values: new Map() };
  const { values } = kept.current!;
  return <T>(name: string, fresh: T): T => {
    if (!values.has(name)) values.set(name, fresh);
    return values.get(name) as T;
  };
}

/**
 * Whether a host element's new props are its old ones but for `children`: then Ink's commitUpdate has nothing
 * to do (it stores `children` in attributes nothing reads; the text itself is its text nodes'), and it would
 * have made the diff of both objects to find that out.
 */
export function sameHostProps(before: Record<string, unknown>, after: Record<string, unknown>): boolean {
  let keys = 0;
  for (const key in after) {
    if (key === 'children') continue;
    if (after[key] !== before[key] || !(key in before)) return false;
    keys++;
  }
  for (const key in before) if (key !== 'children') keys--;
  return keys === 0;
}

interface WriteOperation {
  type: 'write';
  x: number;
  y: number;
  text: string;
  /** Each Text's styles (colour, inverse…), applied to each of its lines. */
  transformers: readonly ((line: string, index: number) => string)[];
}
type Operation = WriteOperation | { type: 'clip' | 'unclip' };

/** The part of Ink's Output class this relies on (ink/build/output.js). */
export interface InkOutput {
  width: number;
  height: number;
  operations: Operation[];
  get(): { output: string; height: number };
}

// biome-ignore lint/suspicious/noExplicitAny: TypeScript's mixin rule: a class extended here takes `any[]`.
type OutputClass = new (...args: any[]) => InkOutput;

/** Plain text (no escape sequence) between SGR sequences only: what every line of the table is. */
export const ONE_STYLE = /^((?:\u001b\[[0-9;]*m)*)([^\u001b\u009b]*)((?:\u001b\[[0-9;]*m)*)$/;

/** Distinct texts Ink's measureText keeps: a few screens' worth (each second's countdowns are new texts). */
const MAX_CACHED_LINES = 2000;

/**
 * The cache of Ink's measureText (ink/build/measure-text.js), which kept the size of every text it ever
 * measured: each second's countdowns are new texts, so it grew all day. Bounded like the line cache.
 */
export function measureTextCache(): BoundedMap<string, { width: number; height: number }> {
  return new BoundedMap(MAX_CACHED_LINES);
}

/**
 * Ink's Output class, drawing a frame whose texts are whole lines from the left edge (every line of the pod
 * table, header and footer) from the lines the frame before drew: such a row of Ink's output is the styled
 * line's characters written out again (`renderLine`, with Ink's own tokenizer), so a line that stays on screen
 * is written out once, not once per frame. Only the last frame's lines are kept: each second's countdowns
 * are new lines, and kept by the thousand they outlived the young generation, so V8 moved each to the old
 * generation, to be collected there by a full GC (the largest share of what 20 s at rest left in the heap, by
 * a sampling heap profile of the live objects). Any other frame (a clip, text not at x = 0, two texts on one
 * row, a line wider than the frame) is drawn by Ink's own code.
 */
export function lineCachedOutput<T extends OutputClass>(
  Output: T,
  renderLine: (line: string) => string,
  width: (line: string) => number,
): T {
  /** The lines of the frame before, and of the frame being drawn. */
  let previous = new Map<string, { out: string; width: number }>();
  let current = new Map<string, { out: string; width: number }>();
  /** A style's opening and closing codes as Ink writes them, by the codes a Text's styles wrap a line in. */
  const wrappers = new BoundedMap<string, readonly [string, string]>(MAX_CACHED_LINES);
  const wrapper = (open: string, close: string) => {
    const key = `${open}\u0000${close}`;
    let pair = wrappers.get(key);
    if (pair === undefined) {
      const out = renderLine(`${open}x${close}`);
      const at = out.indexOf('x');
      pair = [out.slice(0, at), out.slice(at + 1)];
      wrappers.set(key, pair);
    }
    return pair;
  };
  // A line in one style (a Text's colour around plain text, what every row of the table is) is written out
  // as its style's codes around the text, unchanged, and is as wide as its text: only other lines need Ink's
  // tokenizer, and string-width's escape stripping and grapheme walk (the countdown bars are not ASCII).
  const render = (line: string): { out: string; width: number } => {
    const oneStyle = ONE_STYLE.exec(line);
    if (!oneStyle) return { out: renderLine(line).trimEnd(), width: width(line) };
    const [, open = '', text = '', close = ''] = oneStyle;
    if (text === '') return { out: '', width: 0 };
    const [before, after] = wrapper(open, close);
    return { out: (before + text + after).trimEnd(), width: width(text) };
  };
  const rendered = (line: string) => {
    let entry = current.get(line) ?? previous.get(line);
    if (entry === undefined) entry = render(line);
    current.set(line, entry);
    return entry;
  };
  return class extends Output {
    override get(): { output: string; height: number } {
      const rows = this.wholeLineRows();
      return rows ? { output: rows.join('\n'), height: this.height } : super.get();
    }

    /** The rows, when every write is whole lines from x = 0 that fit and never share a row; else undefined. */
    private wholeLineRows(): string[] | undefined {
      previous = current;
      current = new Map();
      const rows = new Array<string | undefined>(this.height).fill(undefined);
      for (const operation of this.operations) {
        // Ink draws nothing of a text that starts above the frame; leave that to it.
        if (operation.type !== 'write' || operation.x !== 0 || operation.y < 0) return undefined;
        const lines = operation.text.split('\n');
        for (let i = 0; i < lines.length; i++) {
          const y = operation.y + i;
          // Ink draws nothing below its rows either.
          if (y >= this.height) break;
          if (rows[y] !== undefined) return undefined;
          let line = lines[i]!;
          for (const transform of operation.transformers) line = transform(line, i);
          const entry = rendered(line);
          if (entry.width > this.width) return undefined;
          rows[y] = entry.out;
        }
      }
      return rows.map((row) => row ?? '');
    }
  };
}
