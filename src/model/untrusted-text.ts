// A cluster string made safe to place inside crashtop's own text. The terminal sanitiser (ui/sanitize.ts)
// builds on it, and the model uses it where it composes evidence (`event Warning Unhealthy: <message>`): a
// carriage return, an unterminated escape sequence or a stray ESC inside a message would otherwise act on the
// composed line as a whole when it is sanitised, erasing or eating crashtop's label before it. Pure, no I/O.

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
// The safety net: any introducer left over (a lone ESC, C1 bytes) and every other control character but tab.
// A sequence cannot survive because each one starts with a character in this class.
const CONTROL = /[\u0000-\u0008\u000B-\u001F\u007F-\u009F]/g;
// Format characters (Unicode category Cf) are invisible: bidi overrides and isolates reorder what follows them on
// screen (CVE-2021-42574 "Trojan Source"); a zero-width space, soft hyphen, BOM or tag character (U+E0000…) makes
// two different strings look the same. Not the zero-width joiner: emoji sequences (👩‍💻) need it, and it is
// harmless alone.
const FORMAT = /(?!\u200D)\p{Cf}/gu;
// A lone surrogate cannot be encoded to UTF-8; show it as U+FFFD like any other invalid byte.
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

/** The text without its terminal escape sequences (colour codes around a log line's words, titles, links). */
export function stripEscapes(text: string): string {
  return text.replace(ESCAPE_SEQUENCE, '');
}

/**
 * One cluster string as one line of plain text that cannot act on text around it: no escape sequence, no
 * control but tab, no format character but the zero-width joiner. A carriage return rewinds the cursor, so of a
 * string that has one what a terminal ends up showing is its last segment (curl's progress in an exec probe's
 * message): that is kept, of this string alone. One before a newline is a CRLF line ending; a trailing newline
 * is not content. Lone surrogates are replaced first: what is removed between two must not pair them.
 */
export function flattenUntrusted(text: string): string {
  let line = stripEscapes(text.replace(LONE_SURROGATE, '\uFFFD'))
    .replace(/[\r\n]+$/, '')
    .replace(/\r+\n/g, '\n');
  const lastReturn = line.lastIndexOf('\r');
  if (lastReturn >= 0) line = line.slice(lastReturn + 1);
  return line.replace(/\n/g, ' ').replace(CONTROL, '').replace(FORMAT, '');
}
