import stringWidth from 'string-width';
import { redactSecrets } from '../model/secret-like.js';
import { flattenUntrusted } from '../model/untrusted-text.js';

// THE sanitiser of the project (DESIGN.md §7): every string that comes from a cluster passes through
// sanitizeLine before it reaches a terminal, in the TUI and in the CLI's text report. Ink strips some
// CSI sequences itself but passes OSC (clipboard, title, hyperlinks), C0 controls and bidi overrides
// through (reference/ink-notes.md §7), so nothing here relies on Ink. Being the one place every cluster string
// passes, it also hides what looks like a secret (model/secret-like.ts: a token, a password, a URL's password), in
// an env value, a log line, an event or a message alike. It does so after escape sequences are gone (a colour code
// cannot split a token from its name) and before the line is cut (a cut token is no longer recognisable).

const TAB_STOP = 8;

export interface SanitizeOptions {
  /** Longest result in code points (never splits a surrogate pair). */
  maxLength?: number;
}

export function sanitizeLine(text: string, options: SanitizeOptions = {}): string {
  const line = redactSecrets(flattenUntrusted(text));
  const expanded = line.includes('\t') ? expandTabs(line) : line;
  return options.maxLength === undefined ? expanded : truncateCodePoints(expanded, options.maxLength);
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
