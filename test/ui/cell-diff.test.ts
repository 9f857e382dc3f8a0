import { Writable } from 'node:stream';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { createCellDiffWriter, toCells } from '../../src/ui/terminal/cell-diff.js';
import { ScreenEmulator } from './screen-emulator.js';

/** What Ink's standard log-update writes for a frame after one of `previousLines` lines. */
function inkFrame(text: string, previousLines: number): string {
  let erase = '';
  for (let i = 0; i < previousLines; i++) erase += `\u001b[2K${i < previousLines - 1 ? '\u001b[1A' : ''}`;
  if (previousLines > 0) erase += '\u001b[G';
  return `${erase}${text}\n`;
}

function setup(columns = 120) {
  const chunks: string[] = [];
  const target = Object.assign(
    new Writable({
      write(chunk, _encoding, done) {
        chunks.push(chunk.toString());
        done();
      },
    }),
    { isTTY: true, columns, rows: 40 },
  ) as unknown as NodeJS.WriteStream;
  const writer = createCellDiffWriter(target);
  const screen = new ScreenEmulator(columns);
  let previousLines = 0;
  return {
    writer,
    target,
    chunks,
    frame(text: string): string {
      const before = chunks.length;
      writer.stream.write(inkFrame(text, previousLines));
      previousLines = text.split('\n').length + 1;
      const sent = chunks.slice(before).join('');
      screen.apply(sent);
      return sent;
    },
    screen,
  };
}

const strip = (text: string) =>
  text
    .replace(/\u001b\[[0-9;]*m/g, '')
    .split('\n')
    .map((l) => l.trimEnd())
    .join('\n')
    .replace(/\n+$/, '');

describe('cell-diff writer', () => {
  it('draws the first frame whole, then only the changed cells', () => {
    const t = setup();
    const table = (n: number) =>
      ['NAME        NEXT RESTART', `api-abc12   ${n}s \u001b[31m███\u001b[39m░░`, 'db-0        '].join('\n');
    t.frame(table(15));
    expect(t.screen.text()).toBe(strip(table(15)));
    const sent = t.frame(table(14));
    expect(t.screen.text()).toBe(strip(table(14)));
    expect(sent).toBe('\u001b[2;14H4');
  });

  it('keeps styles right when only a style changes (the selection moving)', () => {
    const t = setup();
    t.frame('\u001b[7mone\u001b[27m\ntwo');
    const sent = t.frame('one\n\u001b[7mtwo\u001b[27m');
    expect(sent).toBe('\u001b[1Hone\r\n\u001b[0;7mtwo\u001b[0m');
  });

  it('erases what a shorter line or frame leaves behind', () => {
    const t = setup();
    t.frame('a long line\nsecond\nthird');
    t.frame('a long\nsecond');
    expect(t.screen.text()).toBe('a long\nsecond');
  });

  it('never splits a wide character', () => {
    const t = setup();
    t.frame('日本語 x');
    t.frame('日本人 x');
    expect(t.screen.text()).toBe('日本人 x');
    expect(toCells('日本')).toEqual({ text: ['日', '', '本', ''], style: ['', '', '', ''] });
  });

  it('passes Ink control writes through untouched, and redraws everything after invalidate()', () => {
    const t = setup();
    t.frame('one\ntwo');
    const chunks: string[] = [];
    const spy = t.target.write.bind(t.target);
    t.target.write = ((chunk: string) => {
      chunks.push(chunk);
      return spy(chunk);
    }) as typeof t.target.write;
    t.writer.stream.write('\u001b[?25l');
    expect(chunks).toEqual(['\u001b[?25l']);
    t.writer.invalidate();
    t.frame('one\ntwo');
    expect(chunks.join('')).toContain('one');
    expect(chunks.join('')).toContain('two');
  });

  it('jumps over the unchanged cells between the ones a tick changes (RESTARTS age, countdown, AGE)', () => {
    const t = setup();
    const row = (s: number) =>
      `\u001b[31mworker-0000-clg4cfvccz-5lt72  0/1  CrashLoopBackOff  2 (${s}s ago)  ${19 - s}s ███░░  oom-killed  2m${s}s\u001b[39m`;
    t.frame(`NAME\n${row(3)}`);
    const sent = t.frame(`NAME\n${row(4)}`);
    expect(t.screen.text()).toBe(strip(`NAME\n${row(4)}`));
    // Three runs of one cell each, the cursor moved forward over what did not change: not the 50 columns
    // between the first and the last.
    expect(sent).toBe('\u001b[2;57H\u001b[0;31m4\u001b[9C5\u001b[23C4\u001b[0m');
  });

  it('sends a style once for the rows a tick changes, and moves between them the shortest way', () => {
    const t = setup();
    const row = (i: number, s: number) =>
      `\u001b[31m  pod-${i}   CrashLoopBackOff   3 (1m${10 + i + s}s ago)   ${30 - i - s}s █████\u001b[39m`;
    const frame = (s: number) =>
      ['  NAME    STATUS', ...[0, 1, 2].map((i) => row(i, s)), '? help'].join('\n');
    t.frame(frame(0));
    const sent = t.frame(frame(1));
    expect(t.screen.text()).toBe(strip(frame(1)));
    expect(t.screen.styles()[2]![36]).toBe('31');
    // Red once, reset once at the end of the frame; down the countdown column (a line down, a backspace),
    // then back up the RESTARTS column.
    expect(sent).toBe(
      '\u001b[2;36H\u001b[0;31m1\u001b[9C29\u001b[B\b8\u001b[B\b7\u001b[12D3\u001b[A\b2\u001b[0m',
    );
  });

  it('scrolls the rows that moved up while their countdowns ticked, and writes only what ticked', () => {
    const t = setup();
    const row = (i: number, s: number) =>
      `\u001b[31m  worker-7d9f8c6b5-${((i + 1) * 7_919_731).toString(36)}   CrashLoopBackOff   ${40 + 3 * i - s}s █░░░░\u001b[39m`;
    const frame = (first: number, s: number) =>
      [
        '  NAME   STATUS   NEXT RESTART',
        ...Array.from({ length: 20 }, (_, i) => row(first + i, s)),
        '? help',
      ].join('\n');
    t.frame(frame(0, 0));
    // worker-00 restarted (it left the top: its next restart is now minutes away), and a second passed.
    const sent = t.frame(frame(1, 1));
    expect(t.screen.text()).toBe(strip(frame(1, 1)));
    expect(sent.startsWith('\u001b[2;21r\u001b[2H\u001b[M\u001b[r')).toBe(true);
    // 20 rows rewritten whole would be over 1 KB; scrolled, each ticks one digit, and the last is new.
    expect(sent.length).toBeLessThan(300);
  });

  it('sends a synchronized frame as one write, and nothing when nothing changed', () => {
    const t = setup();
    const sync = (text: string) => {
      const before = t.chunks.length;
      t.writer.stream.write('\u001b[?2026h');
      t.frame(text);
      t.writer.stream.write('\u001b[?2026l');
      return t.chunks.slice(before);
    };
    const first = sync('one\ntwo');
    expect(first).toEqual(['\u001b[?2026h\u001b[1Hone\r\ntwo\u001b[?2026l']);
    t.screen.apply(first.join(''));
    expect(sync('one\ntwo')).toEqual([]);
    expect(t.screen.text()).toBe('one\ntwo');
  });

  it('says when the next frame that changed the screen was written: not control writes, unchanged or held frames', async () => {
    vi.useFakeTimers({ now: 1000, toFake: ['Date'] });
    try {
      // A terminal that takes its time: each write completes when the test says.
      const completions: (() => void)[] = [];
      const target = Object.assign(
        new Writable({
          write(_chunk, _encoding, done) {
            completions.push(done);
          },
        }),
        { isTTY: true, columns: 80, rows: 24 },
      ) as unknown as NodeJS.WriteStream;
      const writer = createCellDiffWriter(target);
      const complete = async () => {
        while (completions.length > 0) completions.shift()!();
        await new Promise((resolve) => setImmediate(resolve));
      };
      writer.stream.write(inkFrame('one', 0));
      await complete();
      const told: number[] = [];
      writer.afterNextFrame((at) => told.push(at));
      writer.stream.write('\u001b[?25l');
      writer.stream.write(inkFrame('one', 2));
      writer.hold(true);
      writer.stream.write(inkFrame('two', 2));
      writer.hold(false);
      await complete();
      expect(told).toEqual([]);
      writer.stream.write('\u001b[?2026h');
      writer.stream.write(inkFrame('three', 0));
      writer.stream.write('\u001b[?2026l');
      vi.setSystemTime(1500);
      expect(told).toEqual([]);
      await complete();
      expect(told).toEqual([1500]);
      // Told once: a later frame tells only those who asked since.
      writer.stream.write(inkFrame('four', 2));
      await complete();
      expect(told).toEqual([1500]);
    } finally {
      vi.useRealTimers();
    }
  });

  it('keeps the cursor right after writing up to the last column (the terminal holds it there)', () => {
    const t = setup(12);
    t.frame('abcdefghijkl\nabcdefghijkl\nxyz');
    t.frame('abcdefghijkL\nabcdefghijkM\nxyZ');
    expect(t.screen.text()).toBe('abcdefghijkL\nabcdefghijkM\nxyZ');
  });

  it('scrolls the rows below a row that left, instead of writing them again', () => {
    const t = setup();
    const rows = Array.from(
      { length: 12 },
      (_, i) => `  pod-${i}   CrashLoopBackOff   ${i + 1}s \u001b[31m█░░░░\u001b[39m`,
    );
    const frame = (list: string[]) => ['NAME   STATUS   NEXT RESTART', ...list, '? help'].join('\n');
    t.frame(frame(rows));
    const next = [...rows.slice(0, 2), ...rows.slice(3), '  pod-12   Running   resets in 9m'];
    const sent = t.frame(frame(next));
    expect(t.screen.text()).toBe(strip(frame(next)));
    // Rows 4–13 (pod-2 … pod-11) scroll up one, pod-12 is written in the row that opened.
    expect(sent).toBe('\u001b[4;13r\u001b[4H\u001b[M\u001b[r\u001b[13H  pod-12   Running   resets in 9m');
  });

  it('whatever a row moving up or down does to the others, the screen shows the last frame', () => {
    const line = fc.oneof(
      fc.constant(''),
      fc.stringMatching(/^[a-z]{1,6}$/),
      fc.stringMatching(/^[a-z]{1,6}$/).map((w) => `\u001b[7m${w}\u001b[27m`),
    );
    fc.assert(
      fc.property(
        fc.uniqueArray(line, { minLength: 4, maxLength: 14 }),
        fc.array(fc.record({ from: fc.nat(), to: fc.nat(), fresh: fc.option(line) }), { maxLength: 4 }),
        (first, moves) => {
          const t = setup();
          let lines = first;
          t.frame(lines.join('\n'));
          for (const { from, to, fresh } of moves) {
            const next = [...lines];
            const [moved] = next.splice(from % next.length, 1);
            next.splice(to % (next.length + 1), 0, fresh ?? moved!);
            lines = next;
            t.frame(lines.join('\n'));
            expect(t.screen.text()).toBe(strip(lines.join('\n')));
          }
        },
      ),
    );
  });

  it('whatever the frames, the screen ends up showing the last one, with its styles', () => {
    const line = fc.array(
      fc.constantFrom(
        'a',
        'b',
        ' ',
        'abcdefghij',
        '日',
        '本',
        '█',
        '\u001b[7m',
        '\u001b[27m',
        '\u001b[31m',
        '\u001b[39m',
        'é',
      ),
      { maxLength: 30 },
    );
    /** The parts that fit in the terminal's width: Ink never draws a line wider. */
    const fitting = (parts: string[], columns: number) => {
      let text = '';
      for (const part of parts) {
        if (stringWidth(text + part) > columns) break;
        text += part;
      }
      return text;
    };
    const frame = fc.array(line, { minLength: 1, maxLength: 8 });
    fc.assert(
      fc.property(
        fc.constantFrom(16, 120),
        fc.array(frame, { minLength: 1, maxLength: 6 }),
        (columns, generated) => {
          const frames = generated.map((lines) => lines.map((parts) => fitting(parts, columns)).join('\n'));
          const t = setup(columns);
          for (const f of frames) t.frame(f);
          expect(t.screen.text()).toBe(strip(frames.at(-1)!));
          const shown = t.screen.text().split('\n');
          const styles = t.screen.styles();
          frames
            .at(-1)!
            .split('\n')
            .forEach((l, row) => {
              const expected = Array.from(toCells(l).style).slice(0, [...(shown[row] ?? '')].length);
              expect(styles[row]?.slice(0, expected.length) ?? []).toEqual(expected);
            });
        },
      ),
      {
        examples: [
          // A wide character changed, the cells after it did not: the cursor stands after its right half.
          [120, [[['x日abcdefghZ']], [['x本abcdefghY']]]],
          // Lines up to the last column: the cursor stays there, so the next move cannot count from after it.
          [
            16,
            [
              [
                ['abcdefghij', 'abcdef'],
                ['abcdefghij', 'abcdef'],
              ],
              [
                ['abcdefghij', 'abcdeZ'],
                ['abcdefghij', 'abcdeY'],
              ],
            ],
          ],
        ],
      },
    );
  });
});

describe('cell-diff writer after the terminal got narrower or shorter', () => {
  // Ink's first frame after a resize is laid out for the old size: written whole, its long lines would wrap into
  // the rows below (and its extra rows scroll the screen), where the writer would then believe the frame is.
  it('sends no cell past the new edge, and the next frame shows whole', () => {
    const t = setup(40);
    const wide = ['h'.repeat(40), 'f'.repeat(38), 'last row'].join('\n');
    t.frame(wide);
    Object.assign(t.target, { columns: 20, rows: 2 });
    t.writer.invalidate();
    const sent = t.frame(wide);
    const widest = Math.max(
      ...sent
        .replace(/\u001b\[[0-9;]*m/g, '')
        .split(/\u001b\[[0-9;?]*[A-Za-z]|[\r\n\b]/)
        .map((run) => stringWidth(run)),
    );
    expect(widest).toBeLessThanOrEqual(20);
    expect(sent).not.toContain('last row');
    const screen = new ScreenEmulator(20);
    screen.apply(`\u001b[H\u001b[2J${sent}`);
    const narrow = ['h'.repeat(20), 'f'.repeat(18)].join('\n');
    screen.apply(t.frame(narrow));
    expect(screen.text()).toBe(narrow);
  });
});
