import { describe, expect, it } from 'vitest';
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
