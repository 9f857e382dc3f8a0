import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { capturedAt, corpusSlugs } from '../../../src/cli/corpus.js';
import { readEvents, readPods } from '../../../src/cli/input-files.js';
import { diagnose, diagnoseCause } from '../../../src/model/classify/index.js';

// The table's rows keep only diagnoseCause, the detail view shows diagnose: both must name the same cause for
// every real report, with and without its events (the table has them only when the event watch does).

const root = fileURLToPath(new URL('../../fixtures/real/', import.meta.url));

describe('diagnoseCause', () => {
  it.each(corpusSlugs(root))('%s: the id of diagnose’s cause', async (slug) => {
    const dir = join(root, slug);
    const [pod] = await readPods(join(dir, 'pod.yaml'));
    const eventsFile = join(dir, 'events.yaml');
    const events = existsSync(eventsFile) ? await readEvents(eventsFile) : [];
    const nowMs = capturedAt(pod!);
    for (const input of [
      { pod: pod!, nowMs },
      { pod: pod!, events, nowMs, context: 'prod' },
    ]) {
      expect(diagnoseCause(input)).toBe(diagnose(input).cause?.id);
    }
  });
});
