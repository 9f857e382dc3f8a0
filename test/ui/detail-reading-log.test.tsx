import { readFileSync } from 'node:fs';
import { describe, expect, it, vi } from 'vitest';
import { parse } from 'yaml';
import type { Pod } from '../../src/model/pod.js';
import { FakeSource } from './fake-source.js';
import { renderDetail } from './render-detail.js';

// README: `no previous log` means the container has no previous run. While the read is pending the page must
// not say so in the evidence (with `Previous log: reading…` a few lines below): the read may find a log.

/** A crash-looping pod no rule explains: its evidence is what the page says of the previous log. */
const pod = parse(
  readFileSync(new URL('../fixtures/pods/unknown--exit-1-no-logs.yaml', import.meta.url), 'utf8'),
) as Pod;

function evidence(frame: string): string[] {
  return frame.split('\n').filter((line) => line.trimStart().startsWith('- '));
}

describe('the detail page while the previous log is being read', () => {
  it('says it is being read, and "no previous log" only once the server said the run printed nothing', async () => {
    const source = new FakeSource([pod], { context: 'kind-dev' });
    let open = () => {};
    source.logGate = new Promise<void>((resolve) => {
      open = resolve;
    });
    const view = renderDetail(source, { context: 'kind-dev', pod }, { width: 100 });
    try {
      await vi.waitFor(() => expect(view.lastFrame()).toContain('Previous log: reading…'));
      expect(evidence(view.lastFrame() ?? '')).toContain('  - previous log: reading…');
      expect(view.lastFrame()).not.toContain('no previous log');
      open();
      await vi.waitFor(() => expect(view.lastFrame()).not.toContain('reading…'));
      expect(evidence(view.lastFrame() ?? '')).toContain('  - no previous log');
    } finally {
      view.unmount();
    }
  });
});
