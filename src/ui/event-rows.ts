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

/** Columns the message keeps beside the others; with less it goes under its row. */
const MESSAGE_ROOM = 48;
const OBJECT_MIN = 12;

/**
 * An event's message, sanitised and wrapped to `room` columns, kept per event object: the view is drawn every
 * second (LAST SEEN moves) while the list and its messages change only when it is read again.
 */
const wrapped = new WeakMap<KubeEvent, { room: number; pieces: string[] }>();
function messagePieces(event: KubeEvent, room: number): string[] {
  const known = wrapped.get(event);
  if (known?.room === room) return known.pieces;
  const pieces = wrapWords(sanitizeLine(event.message?.trim() ?? '', { maxLength: 2000 }), room);
  wrapped.set(event, { room, pieces });
  return pieces;
}

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
      object: `${sanitizeLine((e.involvedObject.kind ?? '').toLowerCase())}/${sanitizeLine(e.involvedObject.name ?? '')}`,
      event: e,
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
  // The message is what says why, and it is never cut (FailedMount's volume and reason, a probe's output: the
  // end often matters): it goes on under itself at its column. OBJECT (cut as the table cuts pod names, where
  // they are alike) leaves it MESSAGE_ROOM columns; when the other columns leave less (80 columns),
  // the message goes under its row instead, the whole width less an indent.
  const fixed = w.age + w.type + w.reason + 8;
  const objectWidth = width((r) => r.object, 'OBJECT', 48);
  const inColumn = options.width - fixed - OBJECT_MIN >= MESSAGE_ROOM;
  w.object = inColumn
    ? Math.max(OBJECT_MIN, Math.min(objectWidth, options.width - fixed - MESSAGE_ROOM))
    : Math.max(OBJECT_MIN, Math.min(objectWidth, options.width - fixed + 2));
  const cells = (age: string, type: string, reason: string, object: string) =>
    `${fitWidth(age, w.age)}  ${fitWidth(type, w.type)}  ${fitWidth(reason, w.reason)}  ${fitWidth(object, w.object, 'left', '…', 'pod')}`;
  const indent = ' '.repeat(inColumn ? fixed + w.object : 2);
  const header = cells('LAST SEEN', 'TYPE', 'REASON', 'OBJECT');
  return [
    { text: inColumn ? `${header}  MESSAGE` : header.trimEnd(), bold: true },
    ...rows.flatMap((r) => {
      const row = cells(r.age, r.type, r.reason, r.object);
      const [first = '', ...rest] = messagePieces(r.event, options.width - indent.length);
      const lines = inColumn ? [`${row}  ${first}`] : [row.trimEnd(), indent + first];
      return [...lines, ...rest.map((piece) => indent + piece)].map(
        (text): ViewLine => ({ text, tone: r.warning ? 'warn' : undefined }),
      );
    }),
  ];
}
