import stringWidth from 'string-width';

// THE sanitiser of the project (DESIGN.md §7): every string that comes from a cluster passes through
// sanitizeLine before it reaches a terminal, in the TUI and in the CLI's text report. Ink strips some
// CSI sequences itself but passes OSC (clipboard, title, hyperlinks), C0 controls and bidi overrides
// through (reference/ink-notes.md §7), so nothing here relies on Ink.

// Whole escape sequences, so their parameters do not survive as visible junk. String sequences (OSC, DCS,
// SOS, PM, APC) run to BEL or ST, or to the end of the text when a container never terminates them.
const ESCAPE_SEQUENCE = new RegExp(
  [
    String.raw`(?:\u001B\]|\u009D)[^\u0007\u001B\u009C]*(?:\u0007|\u001B\\|\u009C)?`,
    String.raw`(?:\u001B[PX^_]|[\u0090\u0098\u009E\u009F])[^\u001B\u009C]*(?:\u001B\\|\u009C)?`,
    String.raw`(?:\u001B\[|\u009B)[\u0030-\u003F]*[\u0020-\u002F]*[\u0040-\u007E]?`,
    String.raw`\u001B[\u0020-\u002F]*[\u0030-\u007E]?`,
  ].join('|'),
  'g',
);
// The safety net: any introducer left over (a lone ESC, C1 bytes) and every other control character.
// A sequence cannot survive because each one starts with a character in this class.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Bidi overrides and isolates reorder what follows them on screen (CVE-2021-42574 "Trojan Source").
const BIDI = /[\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/g;
// A lone surrogate cannot be encoded to UTF-8; show it as U+FFFD like any other invalid byte.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;
const TAB_STOP = 8;

export interface SanitizeOptions {
  /** Longest result in code points (never splits a surrogate pair). */
  maxLength?: number;
}

export function sanitizeLine(text: string, options: SanitizeOptions = {}): string {
  let line = text.replace(ESCAPE_SEQUENCE, '');
  // A carriage return rewinds the cursor: what a terminal ends up showing is the last segment
  // (progress bars). One before a newline is just a CRLF line ending, and a trailing newline is not content.
  line = line.replace(/[\r\n]+$/, '').replace(/\r+\n/g, '\n');
  const lastReturn = line.lastIndexOf('\r');
  if (lastReturn >= 0) line = line.slice(lastReturn + 1);
  line = line.replace(/\n/g, ' ').replace(CONTROL, '').replace(BIDI, '').replace(LONE_SURROGATE, '\uFFFD');
  if (line.includes('\t')) line = expandTabs(line);
  return options.maxLength === undefined ? line : truncateCodePoints(line, options.maxLength);
}

/** Text of several lines (the JSON report's messages and log lines), each line as sanitizeLine makes it. */
export function sanitizeText(text: string): string {
  return text
    .replace(/[\r\n]+$/, '')
    .split('\n')
    .map((line) => sanitizeLine(line))
    .join('\n');
}

function expandTabs(line: string): string {
  let out = '';
  for (const [index, segment] of line.split('\t').entries()) {
    if (index > 0) out += ' '.repeat(TAB_STOP - (stringWidth(out) % TAB_STOP));
    out += segment;
  }
  return out;
}

function truncateCodePoints(line: string, maxLength: number): string {
  if (line.length <= maxLength) return line;
  return Array.from(line).slice(0, Math.max(0, maxLength)).join('');
}
