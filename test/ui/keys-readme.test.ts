import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { helpLines } from '../../src/ui/components/HelpView.js';
import { KEY_HELP } from '../../src/ui/keys.js';

// The README's key table and the `?` help are one list (KEY_HELP): the README must hold it verbatim.

function keyTable(): string {
  const rows = KEY_HELP.flatMap(({ section, keys }) => [
    `| **${section}** | |`,
    ...keys.map((k) => `| \`${k.keys}\` | ${k.action} |`),
  ]);
  return ['| key | what it does |', '|---|---|', ...rows].join('\n');
}

describe('keys', () => {
  it('the README lists every key of the help, in the same words', () => {
    const readme = readFileSync(new URL('../../README.md', import.meta.url), 'utf8');
    expect(readme).toContain(keyTable());
  });

  it('the help lists every key', () => {
    const text = helpLines({ pending: '…' })
      .map((l) => l.text)
      .join('\n');
    for (const { keys } of KEY_HELP)
      for (const k of keys) expect(text).toContain(`${k.keys.padEnd(12)} ${k.action}`);
  });

  it('at 80 columns, wraps a long action under itself instead of cutting it', () => {
    const all = helpLines({ pending: '…' }, 80).map((l) => l.text);
    const keyLines = all.slice(
      0,
      all.findIndex((l) => l.startsWith('NEXT RESTART:')),
    );
    for (const line of keyLines) expect(line.length).toBeLessThanOrEqual(80);
    expect(keyLines.some((l) => /^ {15}\S/.test(l))).toBe(true);
    const joined = keyLines.join('\n').replace(/\n {15}/g, ' ');
    for (const { keys } of KEY_HELP)
      for (const k of keys) expect(joined).toContain(`${k.keys.padEnd(12)} ${k.action}`);
  });

  it('at 80 columns, wraps what the marks mean too: no line of the help is cut', () => {
    const wide = helpLines({ pending: '◌' }).map((l) => l.text);
    const narrow = helpLines({ pending: '◌' }, 80).map((l) => l.text);
    for (const line of narrow) expect(line.length).toBeLessThanOrEqual(80);
    const legend = (lines: string[]) =>
      lines
        .slice(lines.findIndex((l) => l.startsWith('NEXT RESTART:')))
        .join('\n')
        .replace(/\n {2}/g, ' ');
    expect(legend(narrow)).toBe(legend(wide));
    expect(legend(narrow)).toContain('it stays listed until then.');
    expect(legend(narrow)).toContain("their cluster's watch is stale or forbidden.");
  });
});
