import { readFileSync } from 'node:fs';
import { afterEach, beforeEach, describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource, keyOf, NOW } from './fake-source.js';
import { renderApp } from './render-app.js';

// An SRE review's repro, through the app at 80×24: a probe message with a window title, a carriage return and
// a bidi override must not erase crashtop's own `event Warning Unhealthy:` label in the detail, and a
// DATABASE_URL's password must not reach `d`.

const ENTER = '\r';
const HOSTILE =
  'Liveness probe failed: HTTP probe failed with statuscode: 500 \u001b]0;X\u0007\r\bgone \u202eevil\u202c';

beforeEach(() => {
  vi.useFakeTimers({ now: NOW, toFake: ['Date'] });
});
afterEach(() => {
  vi.useRealTimers();
});

function livenessPod(): Pod {
  const file = new URL('../fixtures/pods/liveness-probe--error-137.yaml', import.meta.url);
  const pod = parse(readFileSync(file, 'utf8')) as Pod;
  pod.spec.containers[0]!.env = [{ name: 'DATABASE_URL', value: 'postgres://app:hunter2@db.shop:5432/prod' }];
  return pod;
}

function sourceWithProbeEvent(pod: Pod): FakeSource {
  const source = new FakeSource([pod]);
  const container = pod.spec.containers[0]!.name;
  source.update({
    events: new Map([
      [
        keyOf('kind-dev', pod),
        [
          {
            involvedObject: {
              kind: 'Pod',
              name: pod.metadata.name,
              namespace: pod.metadata.namespace,
              fieldPath: `spec.containers{${container}}`,
            },
            type: 'Warning',
            reason: 'Unhealthy',
            message: HOSTILE,
            count: 27,
            lastTimestamp: pod.status?.containerStatuses?.[0]?.lastState?.terminated?.finishedAt,
          },
        ],
      ],
    ]),
  });
  return source;
}

describe('cluster strings at 80×24', () => {
  it('the detail keeps its evidence label whatever the probe message holds', async () => {
    const source = sourceWithProbeEvent(livenessPod());
    const app = await renderApp(source, { columns: 80, rows: 24 });
    await app.press(ENTER);
    const words = app.frame().replace(/\s+/g, ' ');
    expect(words).toContain('event Warning Unhealthy: gone evil');
    expect(app.frame()).not.toMatch(/[\u0000-\u0009\u000B-\u001F\u202E]/);
  });

  it('`d` shows a URL env value with its user and host, not its password', async () => {
    const source = sourceWithProbeEvent(livenessPod());
    const app = await renderApp(source, { columns: 80, rows: 24 });
    await app.press('d');
    for (let i = 0; i < 40 && !app.frame().includes('DATABASE_URL'); i++) await app.press('j');
    expect(app.frame()).toMatch(/DATABASE_URL:\s+postgres:\/\/app:<hidden>@db\.shop:5432\/prod/);
    expect(app.frame()).not.toContain('hunter2');
  });
});
