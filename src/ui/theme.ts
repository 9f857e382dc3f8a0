import { createContext, useContext } from 'react';
import { statusSeverity } from '../model/status.js';

// How the screen may draw: colours (off for NO_COLOR, --no-color, TERM=dumb) and glyphs (ASCII for --ascii,
// for terminals and fonts without box-drawing or ellipsis characters).

export interface Glyphs {
  ellipsis: string;
  barFull: string;
  barEmpty: string;
  /** Marks the selected row, so selection stays visible without colour or inverse video. */
  cursor: string;
  /** Marks a row whose pod newly entered a crash loop while the bell was on. */
  bell: string;
  /** Before a grouped pod: under its owner's line, the last one closing the group. */
  branch: string;
  lastBranch: string;
  separator: string;
  /** After the sorted column's title and in the header: the sort's direction. */
  ascending: string;
  descending: string;
  /**
   * A value still being read (a CAUSE waiting for its previous log). Not an ellipsis: that reads as a cut
   * cell. The help explains it.
   */
  pending: string;
}

/**
 * Without colour, marks (in the bell mark's slot) a row whose cluster's pods watch is stale or forbidden: the
 * grey that says so otherwise is gone. Plain ASCII, so `--ascii` draws it too.
 */
export const STALE_MARK = '?';

const UNICODE: Glyphs = {
  ellipsis: '…',
  barFull: '█',
  barEmpty: '░',
  cursor: '›',
  bell: '♪',
  branch: '├',
  lastBranch: '└',
  separator: '·',
  ascending: '▲',
  descending: '▼',
  pending: '◌',
};

const ASCII: Glyphs = {
  ellipsis: '~',
  barFull: '#',
  barEmpty: '.',
  cursor: '>',
  bell: '!',
  branch: '|',
  lastBranch: '`',
  separator: '|',
  ascending: '^',
  descending: 'v',
  pending: '(?)',
};

export type Tone = 'bad' | 'warn' | 'good' | 'dim' | 'accent';

export interface Theme {
  color: boolean;
  ascii: boolean;
  glyphs: Glyphs;
  /** An Ink colour name for a tone, or undefined when colour is off. */
  tone(tone: Tone): string | undefined;
  /** Text with the model's typographic characters replaced when only ASCII may be drawn. */
  text(text: string): string;
}

const TONES: Record<Tone, string> = {
  bad: 'red',
  warn: 'yellow',
  good: 'green',
  dim: 'gray',
  accent: 'cyan',
};
// Strings, not regular expressions: the build escapes a string's non-ASCII characters and keeps the live view's
// script ASCII (scripts/bundle.js), but writes a regular expression's as they are.
const TO_ASCII: [string, string][] = [
  ['…', '...'],
  ['≤', '<='],
  ['≥', '>='],
  ['‘', "'"],
  ['’', "'"],
  ['“', '"'],
  ['”', '"'],
  ['–', '-'],
  ['—', '-'],
  ['→', '->'],
  ['←', '<-'],
  ['⇄', '<->'],
  ['×', 'x'],
  ['≈', '~'],
  ['−', '-'],
  ['·', '|'],
  ['›', '>'],
  ['─', '-'],
  ['↓', 'v'],
  ['↑', '^'],
];

export function createTheme(options: { color: boolean; ascii: boolean }): Theme {
  return {
    ...options,
    glyphs: options.ascii ? ASCII : UNICODE,
    tone: (tone) => (options.color ? TONES[tone] : undefined),
    text: options.ascii
      ? (text) => TO_ASCII.reduce((t, [from, to]) => t.replaceAll(from, to), text)
      : (text) => text,
  };
}

/** Whether colour is allowed: NO_COLOR (any value, https://no-color.org), --no-color, TERM=dumb. */
export function colorAllowed(env: NodeJS.ProcessEnv, noColorFlag: boolean): boolean {
  return !noColorFlag && !env.NO_COLOR && env.TERM !== 'dumb';
}

export const ThemeContext = createContext<Theme>(createTheme({ color: true, ascii: false }));

export function useTheme(): Theme {
  return useContext(ThemeContext);
}

/** The tone of a kubectl STATUS string (model/status.ts orders them the same way). */
export function statusTone(status: string): Tone | undefined {
  return (['bad', 'bad', 'warn', 'good'] as const)[statusSeverity(status)];
}
