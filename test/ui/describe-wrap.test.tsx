import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource, fixturePods, keyOf } from './fake-source.js';
import { renderApp } from './render-app.js';

// Bug: `d` cut `Warning  Failed  30m (x150 over 32m)  kubelet  Error: configma…` with no way to read the rest.

const MESSAGE =
  'Error: configmap "payments-api-config" not found in namespace shop (mounted at /etc/payments/config.yaml)';

describe('describe at 80 columns', () => {
  it('wraps a long event message under itself, whole, and no line is wider than the screen', async () => {
    const pod = fixturePods()[0]!;
    const source = new FakeSource([pod]);
    source.update({
      events: new Map([
        [
          keyOf('kind-dev', pod),
          [
            {
              involvedObject: { kind: 'Pod', name: pod.metadata.name, namespace: 'shop' },
              type: 'Warning',
              reason: 'Failed',
              message: MESSAGE,
              count: 150,
              lastTimestamp: '2026-11-25T13:59:55Z',
            },
          ],
        ],
      ]),
    });
    const app = await renderApp(source, { columns: 80, rows: 60 });
    await app.press('d');
    const lines = app.frame().split('\n');
    for (const line of lines) expect(line.length).toBeLessThanOrEqual(80);
    const start = lines.findIndex((l) => l.includes('Error: configmap'));
    expect(start).toBeGreaterThan(0);
    const joined = lines
      .slice(start, start + 4)
      .map((l) => l.trim())
      .join(' ');
    expect(joined).toContain(MESSAGE.slice(MESSAGE.indexOf('Error')));
    expect(lines[start + 1]).toMatch(/^ {4}/);
  });
});

describe('describe of a long field', () => {
  const read = (path: string) =>
    parse(readFileSync(new URL(`../fixtures/${path}`, import.meta.url), 'utf8')) as Pod;
  // Real pods: kubectl's own output (a 110-column Image ID) and one from a report (a 73-column Container ID).
  const full = read('kube/pod-full.yaml');
  const wordpress = read('real/wordpress-48-apache-running-ready-19-restarts/pod.yaml');

  it.each([
    [80, full, 'Image ID:', 'registry.example.com/', full.status!.containerStatuses![0]!.imageID],
    [120, full, 'Image ID:', 'registry.example.com/', full.status!.containerStatuses![0]!.imageID],
    [80, wordpress, 'Container ID:', 'docker://', wordpress.status!.containerStatuses![0]!.containerID],
  ])(
    'at %i columns keeps kubectl layout: `%s` under its container, its value going on under itself',
    async (columns, pod, label, start, value) => {
      const app = await renderApp(new FakeSource([pod]), { columns, rows: 100 });
      await app.press('a', 'd');
      const lines = app.frame().split('\n');
      for (const line of lines) expect(line.length).toBeLessThanOrEqual(columns);
      expect(field(lines, label, start)).toBe(value);
    },
  );
});

/** The value of the field `label`, read down its value column: the label at 4 (under its container). */
function field(lines: readonly string[], label: string, value: string): string {
  const at = lines.findIndex((l) => l.startsWith(`    ${label} `));
  expect(at).toBeGreaterThan(0);
  const column = lines[at]!.indexOf(value);
  expect(lines[at]!.slice(4 + label.length, column).trim()).toBe('');
  const pieces = [lines[at]!.slice(column)];
  for (let i = at + 1; /^ +\S/.test(lines[i] ?? '') && lines[i]!.search(/\S/) === column; i++)
    pieces.push(lines[i]!.slice(column));
  return pieces.join('');
}
