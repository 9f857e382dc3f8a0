import { eventTime } from '../kube/events.js';
import { humanAge } from '../model/duration.js';
import { isWarning } from '../model/node-events.js';
import type { KubeEvent } from '../model/pod.js';
import type { ViewLine } from './components/ScrollView.js';
import { fitWidth, wrapWords } from './fit.js';
import { sanitizeLine } from './sanitize.js';

// The events view's table, as `kubectl get events --sort-by=.lastTimestamp` shows it but newest first:
// LAST SEEN, TYPE, REASON, OBJECT, MESSAGE; warnings only (a node's pressure reports included: node-events.ts)
// unless all types are asked for.

export function eventLines(
  events: readonly KubeEvent[],
  options: { nowMs: number; warningsOnly: boolean; width: number },
): ViewLine[] {
  const shown = events
    .filter((e) => !options.warningsOnly || isWarning(e))
    .sort((a, b) => eventTime(b) - eventTime(a));
  if (shown.length === 0) {
    return [
      {
        text: options.warningsOnly
          ? 'No warnings in this namespace or on its nodes (a shows all events).'
          : 'No events.',
        tone: 'good',
      },
    ];
  }
  const rows = shown.map((e) => {
    const count = (e.count ?? 1) > 1 ? ` (x${e.count})` : '';
    return {
      age: `${humanAge(options.nowMs - eventTime(e))}${count}`,
      type: sanitizeLine(e.type ?? ''),
      reason: sanitizeLine(e.reason ?? ''),
      object: sanitizeLine(`${(e.involvedObject.kind ?? '').toLowerCase()}/${e.involvedObject.name ?? ''}`),
      message: sanitizeLine(e.message?.trim() ?? '', { maxLength: 2000 }),
      warning: isWarning(e),
    };
  });
  const width = (pick: (r: (typeof rows)[number]) => string, title: string, max: number) =>
    Math.min(max, Math.max(title.length, ...rows.map((r) => pick(r).length)));
  const w = {
    age: width((r) => r.age, 'LAST SEEN', 16),
    type: width((r) => r.type, 'TYPE', 8),
    reason: width((r) => r.reason, 'REASON', 24),
    object: 0,
  };
  // The message is what says why: OBJECT (cut in the middle, where pod names are alike) leaves it 32 columns.
  const fixed = w.age + w.type + w.reason + 8;
  w.object = Math.max(
    12,
    Math.min(
      width((r) => r.object, 'OBJECT', 48),
      options.width - fixed - 32,
    ),
  );
  const line = (age: string, type: string, reason: string, object: string, message: string) =>
    `${fitWidth(age, w.age)}  ${fitWidth(type, w.type)}  ${fitWidth(reason, w.reason)}  ${fitWidth(object, w.object, 'left', '…', 'middle')}  ${message}`;
  // A long message (FailedMount's volume and reason, a probe's output) goes on under itself, never cut: its
  // end is often what says why.
  const indent = ' '.repeat(w.age + w.type + w.reason + w.object + 8);
  const room = Math.max(20, options.width - indent.length);
  return [
    { text: line('LAST SEEN', 'TYPE', 'REASON', 'OBJECT', 'MESSAGE'), bold: true },
    ...rows.flatMap((r) =>
      wrapWords(r.message, room).map(
        (piece, i): ViewLine => ({
          text: i === 0 ? line(r.age, r.type, r.reason, r.object, piece) : indent + piece,
          tone: r.warning ? 'warn' : undefined,
        }),
      ),
    ),
  ];
}
