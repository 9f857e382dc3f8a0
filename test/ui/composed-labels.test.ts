import { describe, expect, it } from 'vitest';
import { eventLines } from '../../src/ui/event-rows.js';
import { describeTarget } from '../../src/ui/pod-target.js';

// Lines crashtop composes from several cluster strings: each is sanitised alone, so a carriage return in one
// cannot erase the ones before it (the review's `\r` in an event message, here in the other fields).

describe('composed labels', () => {
  it.each([
    [{ context: 'prod', namespace: 'shop', name: 'api\rother', container: 'app' }, 'prod: shop/other [app]'],
    // A context's name is shown as commands spell it: `prod\r` is not the context `prod`.
    [
      { context: 'prod\r', namespace: 'shop', name: 'api', container: 'a\u001b]0;t' },
      "$'prod\\x0d': shop/api [a]",
    ],
    [{ context: 'prod', namespace: 'shop', name: 'api' }, 'prod: shop/api'],
  ])('describeTarget %j', (target, shown) => {
    expect(describeTarget(target)).toBe(shown);
  });

  it('the events view keeps an object kind before a name with a carriage return', () => {
    const lines = eventLines(
      [
        {
          type: 'Warning',
          reason: 'Failed',
          message: 'm',
          involvedObject: { kind: 'Pod', name: 'x\rnode/evil' },
          lastTimestamp: '2026-11-25T14:00:00Z',
        },
      ],
      { nowMs: Date.parse('2026-11-25T14:01:00Z'), warningsOnly: true, width: 120 },
    );
    expect(lines.map((l) => l.text).join('\n')).toContain('pod/node/evil');
  });
});
