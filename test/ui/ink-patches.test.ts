import { styledCharsFromTokens, styledCharsToString, tokenize } from '@alcalzone/ansi-tokenize';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import * as inkDom from '../../node_modules/ink/build/dom.js';
import InkOutput from '../../node_modules/ink/build/output.js';
import applyInkStyles from '../../node_modules/ink/build/styles.js';
import inkStringWidth from '../../node_modules/ink/node_modules/string-width/index.js';
import {
  keepsMeasure,
  lineCachedOutput,
  type InkOutput as OutputShape,
  withNarrowFastPath,
} from '../../src/ui/terminal/ink-patches.js';

// The bundle (scripts/bundle.js) swaps these into Ink; they must give exactly Ink's answers.

const Original = InkOutput as unknown as new (options: {
  width: number;
  height: number;
}) => OutputShape & {
  write(
    x: number,
    y: number,
    text: string,
    options: { transformers: ((s: string, i: number) => string)[] },
  ): void;
  clip(clip: { x1?: number; x2?: number; y1?: number; y2?: number }): void;
  unclip(): void;
};

const piece = fc.constantFrom(
  'a',
  'Z',
  ' ',
  'pod-7d9f8c6b5-abc12',
  '›',
  '█',
  '░',
  '…',
  'é',
  '日本',
  '👍',
  'e\u0301',
  '\u00ad',
  '\u200b',
  '\u001b[31m',
  '\u001b[39m',
  '\u001b[7m',
  '\u001b[27m',
  // Colour codes in their long and empty forms, one with a five-digit parameter, and a BEL after them.
  '\u001b[38;5;196m',
  '\u001b[m',
  '\u001b[12345m',
  '\u0007',
  '·',
);
const text = fc.array(piece, { maxLength: 12 }).map((parts) => parts.join(''));

describe('Ink patches', () => {
  it('measures text exactly as string-width does (both copies Ink draws with)', () => {
    fc.assert(
      fc.property(text, (s) => {
        expect(withNarrowFastPath(stringWidth)(s)).toBe(stringWidth(s));
        expect(withNarrowFastPath(inkStringWidth)(s)).toBe(inkStringWidth(s));
      }),
      // A soft hyphen is in Latin-1 but takes no column.
      { examples: [['a\u00adb']] },
    );
  });

  const renderLine = (line: string) => styledCharsToString(styledCharsFromTokens(tokenize(line)));
  const transformers = fc.subarray([
    (s: string) => `\u001b[7m${s}\u001b[27m`,
    (s: string) => `\u001b[1m${s}\u001b[22m`,
  ]);
  const write = fc.record({
    x: fc.constantFrom(0, 0, 0, 3),
    y: fc.integer({ min: -1, max: 6 }),
    lines: fc.array(text, { minLength: 1, maxLength: 3 }),
    transformers,
    clip: fc.constantFrom(false, false, false, true),
  });

  it('draws every frame exactly as Ink does', () => {
    const Cached = lineCachedOutput(Original, renderLine, inkStringWidth);
    fc.assert(
      fc.property(fc.array(fc.array(write, { maxLength: 6 }), { minLength: 1, maxLength: 3 }), (frames) => {
        for (const writes of frames) {
          const outputs = [new Original({ width: 20, height: 5 }), new Cached({ width: 20, height: 5 })];
          for (const output of outputs) {
            const o = output as InstanceType<typeof Original>;
            for (const w of writes) {
              if (w.clip) o.clip({ x1: 0, x2: 10, y1: 0, y2: 3 });
              o.write(w.x, w.y, w.lines.join('\n'), { transformers: w.transformers });
              if (w.clip) o.unclip();
            }
          }
          expect(outputs[1]!.get()).toEqual(outputs[0]!.get());
        }
      }),
      // A line of style codes and no text draws nothing.
      { examples: [[[[{ x: 0, y: 0, lines: ['\u001b[7m'], transformers: [], clip: false }]]]] },
    );
  });

  it('tokenises only the lines in more than one style that changed since a frame before', () => {
    let rendered = 0;
    const Cached = lineCachedOutput(
      Original,
      (line) => {
        rendered++;
        return renderLine(line);
      },
      inkStringWidth,
    );
    const frame = (countdown: number) => {
      const output = new Cached({ width: 40, height: 4 }) as InstanceType<typeof Original>;
      output.write(0, 0, 'NAME       NEXT RESTART', { transformers: [] });
      output.write(0, 1, `api-abc12  ${countdown}s \u001b[31m███\u001b[39m░░`, { transformers: [] });
      output.write(0, 2, 'db-0       resets in 9m', { transformers: [] });
      output.write(0, 3, '? help  q quit', { transformers: [(s) => `\u001b[2m${s}\u001b[22m`] });
      return output.get().output;
    };
    frame(15);
    // The two-colour line, and the codes of each style the others are in (none, dim).
    expect(rendered).toBe(3);
    expect(frame(14)).toContain('api-abc12  14s');
    expect(rendered).toBe(4);
  });

  it("keeps the lines of the frame before only, not each second's countdowns for the rest of the day", () => {
    const rendered: string[] = [];
    const Cached = lineCachedOutput(
      Original,
      (line) => {
        rendered.push(line);
        return renderLine(line);
      },
      inkStringWidth,
    );
    const frame = (...lines: string[]) => {
      const output = new Cached({ width: 40, height: lines.length }) as InstanceType<typeof Original>;
      for (const [y, line] of lines.entries()) output.write(0, y, line, { transformers: [] });
      return output.get().output;
    };
    const ticking = (s: number) => `api-abc12  ${s}s \u001b[31m███\u001b[39m░░`;
    const still = 'db-0  \u001b[33mwaiting\u001b[39m 9m';
    frame(ticking(15), still);
    frame(ticking(14), still);
    // A line on screen in the frame before is not written out again; 15s, gone for a frame, is.
    expect(rendered.filter((line) => line === still)).toHaveLength(1);
    expect(frame(ticking(15), still)).toContain('api-abc12  15s');
    expect(rendered.filter((line) => line === ticking(15))).toHaveLength(2);
  });

  it('measures a line in one style by its text, without the escape codes around it', () => {
    const measured: string[] = [];
    const Cached = lineCachedOutput(Original, renderLine, (line) => {
      measured.push(line);
      return inkStringWidth(line);
    });
    const output = new Cached({ width: 40, height: 2 }) as InstanceType<typeof Original>;
    const red = (s: string) => `\u001b[31m${s}\u001b[39m`;
    const inverse = (s: string) => `\u001b[7m${s}\u001b[27m`;
    output.write(0, 0, '› api-abc12  14s ███░░', { transformers: [red, inverse] });
    output.write(0, 1, `db-0  ${red('3s')} ░░`, { transformers: [] });
    expect(output.get().output).toContain('api-abc12');
    // The selected row is measured as its text; the two-colour line needs string-width's own stripping.
    expect(measured).toEqual(['› api-abc12  14s ███░░', `db-0  ${red('3s')} ░░`]);
  });

  // Ink's own DOM and Yoga: a column of texts, as the pod table is, laid out at a terminal width.
  interface DomNode {
    nodeName: string;
    nodeValue?: string;
    style: { textWrap?: string };
    childNodes: DomNode[];
    yogaNode?: {
      setWidth(width: number): void;
      calculateLayout(width?: number, height?: number, direction?: number): void;
      getComputedWidth(): number;
      getComputedHeight(): number;
    };
  }
  const dom = inkDom as unknown as {
    createNode(name: string): DomNode;
    createTextNode(text: string): DomNode;
    appendChildNode(parent: DomNode, child: DomNode): void;
    setStyle(node: DomNode, style: object): void;
    setTextNodeValue(node: DomNode, text: string): void;
  };
  const column = (texts: readonly string[], wrap: string) => {
    const root = dom.createNode('ink-root');
    applyInkStyles(root.yogaNode as never, { flexDirection: 'column' });
    const lines = texts.map((t) => {
      const line = dom.createNode('ink-text');
      const style = { flexGrow: 0, flexShrink: 1, flexDirection: 'row', textWrap: wrap } as const;
      dom.setStyle(line, style);
      applyInkStyles(line.yogaNode as never, style as never);
      dom.appendChildNode(line, dom.createTextNode(t));
      dom.appendChildNode(root, line);
      return line;
    });
    const layout = (width: number) => {
      root.yogaNode!.setWidth(width);
      root.yogaNode!.calculateLayout(undefined, undefined, 1);
      return lines.map((l) => [l.yogaNode!.getComputedWidth(), l.yogaNode!.getComputedHeight()]);
    };
    return { root, lines, layout };
  };

  const countdownText = fc
    .array(
      fc.constantFrom('a', ' ', '1', 'm', '█', '░', '…', '›', '日', '👍', 'e\u0301', '\n', '\u001b[31m'),
      {
        maxLength: 10,
      },
    )
    .map((parts) => parts.join(''));

  it("keeps a text's measured size only where Ink's own layout of the new text gives the same", () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(countdownText, countdownText), { minLength: 1, maxLength: 3 }),
        fc.constantFrom('truncate-end', 'truncate-middle', 'wrap'),
        fc.integer({ min: 0, max: 12 }),
        fc.integer({ min: 0, max: 12 }),
        (pairs, wrap, firstWidth, width) => {
          const kept = column(
            pairs.map(([before]) => before),
            wrap,
          );
          kept.layout(firstWidth);
          pairs.forEach(([before, after], i) => {
            const text = kept.lines[i]!.childNodes[0]!;
            // What the bundle's setTextNodeValue does: Yoga's node is left clean when the size holds.
            if (keepsMeasure(text, before, after)) text.nodeValue = after;
            else dom.setTextNodeValue(text, after);
          });
          const fresh = column(
            pairs.map(([, after]) => after),
            wrap,
          );
          expect(kept.layout(width)).toEqual(fresh.layout(width));
        },
      ),
      // Wrapped at 2 columns, `aaaaaa` takes three lines and `aa aa ` four. An empty text has no line; one of colour codes alone has an empty one.
      {
        numRuns: 300,
        examples: [
          [[['aaaaaa', 'aa aa ']], 'wrap', 2, 2],
          [[['\u001b[31m', '']], 'truncate-end', 11, 11],
        ],
      },
    );
  });

  it("leaves a row's Yoga node clean when a tick changes its countdown, not its length", () => {
    const table = column(['api-abc12  1m09s ███░░', 'db-0  resets in 9m'], 'truncate-end');
    table.layout(120);
    const [row, other] = table.lines;
    const text = row!.childNodes[0]!;
    expect(keepsMeasure(text, text.nodeValue, 'api-abc12  1m08s ███░░')).toBe(true);
    // One column longer, another line, a wide character, a text Ink wraps: measured again.
    expect(keepsMeasure(text, text.nodeValue, 'api-abc12  1m08s ████░░')).toBe(false);
    expect(keepsMeasure(text, text.nodeValue, 'api-abc12\n1m08s ███░')).toBe(false);
    expect(keepsMeasure(text, text.nodeValue, 'api-abc12  1m08s 日█░░')).toBe(false);
    other!.style.textWrap = 'wrap';
    expect(keepsMeasure(other!.childNodes[0]!, 'db-0  resets in 9m', 'db-0  resets in 8m')).toBe(false);
  });
});
