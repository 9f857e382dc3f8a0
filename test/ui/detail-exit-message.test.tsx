import { readFileSync } from 'node:fs';
import stringWidth from 'string-width';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource } from './fake-source.js';
import { renderDetail } from './render-detail.js';

// README (detail page): under a container's last exit, the last lines of its termination message, each cut at
// the page's edge, with what looks secret hidden and a progress bar shown as it ended.

const pod = parse(
  readFileSync(
    new URL('../fixtures/pods/app-error--termination-message-fallback.yaml', import.meta.url),
    'utf8',
  ),
) as Pod;
pod.status!.containerStatuses![0]!.lastState!.terminated!.message = [
  'scorer 5.2.0 starting',
  'loading rules 10%\rloading rules 60%\r\u001b[K',
  'fetching rules with Authorization: Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJzY29yZXIifQ.c2ln',
  `rules.json: ${'{"rule":1},'.repeat(20)}`,
  '\u001b[31mTraceback (most recent call last):\u001b[0m',
  "json.decoder.JSONDecodeError: Expecting ',' delimiter: line 41 column 5 (char 1187)",
  '',
].join('\n');

/** A line as the page shows it at 70 columns. */
const cut = (line: string) => (line.length > 70 ? `${line.slice(0, 69)}…` : line);

describe('the detail page of a container that left a termination message', () => {
  it('shows its last five lines under the last exit, redacted and cut at the edge', async () => {
    const source = new FakeSource([pod], { context: 'kind-dev' });
    const view = renderDetail(source, { context: 'kind-dev', pod }, { width: 70 });
    try {
      await vi.waitFor(() => expect(view.lastFrame()).toContain('exit msg:'));
      const lines = (view.lastFrame() ?? '').split('\n');
      const start = lines.findIndex((line) => line.startsWith('      exit msg: '));
      expect(lines[start - 1]).toMatch(/^ {6}last exit: code 1 \(Error\)/);
      expect(lines.slice(start, start + 6).map((line) => line.trimEnd())).toEqual([
        '      exit msg: loading rules 60%',
        '                fetching rules with Authorization: Bearer eyJ<hidden>',
        cut(`                rules.json: ${'{"rule":1},'.repeat(20)}`),
        '                Traceback (most recent call last):',
        cut(
          "                json.decoder.JSONDecodeError: Expecting ',' delimiter: line 41 column 5 (char 1187)",
        ),
        '',
      ]);
      expect(view.lastFrame()).not.toContain('eyJzdWIi');
      expect(view.lastFrame()).not.toContain('scorer 5.2.0 starting');
      for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(70);
    } finally {
      view.unmount();
    }
  });
});
