import type { KeyEvent } from './key-input.js';
import { sanitizeLine } from './sanitize.js';

/**
 * One key typed into a one-line prompt (the `/` filter, the `:` command, the log search), edited as readline and
 * the shell edit a line, since that is what fingers do there: Backspace drops the last character, Ctrl-U the whole
 * line, Ctrl-W the last word and the spaces after it (unix-word-rubout). Text is appended sanitised. Any other key
 * (an arrow, another chord) leaves the text as it was; Enter, Esc and Tab are the prompt's own.
 */
export function typedInto(text: string, input: string, key: KeyEvent): string {
  if (key.backspace || key.delete) return Array.from(text).slice(0, -1).join('');
  if (key.ctrl && key.chord === 'u') return '';
  if (key.ctrl && key.chord === 'w') return text.replace(/\S*\s*$/, '');
  if (key.ctrl || key.meta || !input) return text;
  return text + sanitizeLine(input);
}
