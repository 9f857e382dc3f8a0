import { columns } from '../model/columns.js';
import { formatCountdown } from '../model/duration.js';
import { visibleName } from '../model/kubectl.js';
import { plural } from '../model/plural.js';
import type { ContainerReport, PodReport, Report, ScopeReport } from '../model/report.js';
import { type CommandRow, commandRows } from '../ui/command-lines.js';
import { truncate } from '../ui/fit.js';
import { sanitizeLine } from '../ui/sanitize.js';

// The human form of `crashtop explain`: one block per pod, label column on the left, wrapped to the
// terminal (80 columns when not a TTY): no line is wider. Every string in a report came from the cluster or
// from a file, so each passes through the one sanitiser before it is printed.

export interface TextOptions {
  width: number;
  color: boolean;
  nowMs: number;
}

const SGR = { bold: '1', dim: '2', red: '31', green: '32', yellow: '33', cyan: '36' } as const;
type Style = keyof typeof SGR;

const LABEL_WIDTH = 10;
const CONTINUATION = '  ';

function paint(options: TextOptions, style: Style, text: string): string {
  return options.color ? `\x1b[${SGR[style]}m${text}\x1b[0m` : text;
}

/**
 * A word longer than the line, in pieces that end after a separator (`/ , ; : = & ? ( )`), so an image reference or
 * a path breaks where a reader expects it. A piece with no separator that fits (a long name) is cut at the edge:
 * this is text to read, and the JSON report has every word whole.
 */
function pieces(word: string, width: number): string[] {
  const out: string[] = [];
  let rest = word;
  while (columns(rest) > width) {
    const end = [...rest.matchAll(/[/,;:=&?()]+/g)]
      .map((m) => m.index + m[0].length)
      .filter((e) => e < rest.length && columns(rest.slice(0, e)) <= width)
      .at(-1);
    const head = end === undefined ? truncate(rest, width, '') : rest.slice(0, end);
    out.push(head);
    rest = rest.slice(head.length);
  }
  out.push(rest);
  return out;
}

/**
 * Greedy word wrap by display width; nothing is cut or dropped (see `pieces` for words longer than a line). A
 * line's width is the sum of its pieces' and glue's: they meet at a space or a separator, where no character
 * joins the next.
 */
function wrap(text: string, width: number, restWidth = width): string[] {
  const lines: string[] = [];
  let line = '';
  let lineWidth = 0;
  const add = (piece: string, glue: string) => {
    const pieceWidth = columns(piece);
    if (line && lineWidth + glue.length + pieceWidth <= (lines.length === 0 ? width : restWidth)) {
      line = `${line}${glue}${piece}`;
      lineWidth += glue.length + pieceWidth;
      return;
    }
    if (line) lines.push(line);
    line = piece;
    lineWidth = pieceWidth;
  };
  for (const word of text.split(' ')) {
    const parts = columns(word) > restWidth ? pieces(word, restWidth) : [word];
    for (const [index, piece] of parts.entries()) add(piece, index === 0 ? ' ' : '');
  }
  if (line || lines.length === 0) lines.push(line);
  return lines;
}

/** A line of a field's value; `flush` lines are printed from column 0, without the label column's indent. */
type Row = CommandRow;

function textRows(text: string, width: number, restWidth: number): Row[] {
  return wrap(text, width, restWidth).map((line) => ({ text: line, flush: false }));
}

function field(
  options: TextOptions,
  label: string,
  values: readonly string[],
  style?: Style,
  split: (text: string, width: number, restWidth: number, flushWidth: number) => Row[] = textRows,
): string[] {
  const width = Math.max(20, options.width - LABEL_WIDTH - 2);
  const out: string[] = [];
  values.forEach((value, index) => {
    // A value's later lines are indented by CONTINUATION more than its first: they have that much less room.
    split(sanitizeLine(value), width, width - CONTINUATION.length, options.width).forEach((row, rowIndex) => {
      const text = style ? paint(options, style, row.text) : row.text;
      if (row.flush) {
        out.push(text);
        return;
      }
      const head = index === 0 && rowIndex === 0 ? label.padEnd(LABEL_WIDTH) : ' '.repeat(LABEL_WIDTH);
      const indent = rowIndex === 0 ? '' : CONTINUATION;
      out.push(`  ${paint(options, 'dim', head)}${indent}${text}`);
    });
  });
  return out;
}

/**
 * The termination messages of the pod's containers, as the JSON has them, each line named by its container when
 * several have one. A line is cut at the edge, not wrapped: a log line's shape is what a reader recognises.
 */
function exitMessages(pod: PodReport): string[] {
  const withMessage = pod.containers.filter((c) => c.lastExit?.terminationMessage);
  return withMessage.flatMap((c) =>
    (c.lastExit?.terminationMessage ?? []).map((line) =>
      withMessage.length > 1 ? `${c.name}: ${line}` : line,
    ),
  );
}

function statusStyle(status: string): Style {
  if (/^(Running|Completed|Succeeded)$/.test(status)) return 'green';
  if (/BackOff|Error|OOMKilled|Evicted|Err|Failed|Unknown/.test(status)) return 'red';
  return 'yellow';
}

function nextRestart(container: ContainerReport, nowMs: number): string | undefined {
  const backoff = container.backoff;
  const resetAt = container.crashLoop?.resetAt;
  if (!backoff && resetAt !== undefined) {
    const remaining = Date.parse(resetAt) - nowMs;
    const when = remaining > 0 ? `resets in ${formatCountdown(remaining)}` : 'has reset';
    return `${container.name}: running between crashes; its back-off ${when} if it keeps running`;
  }
  if (!backoff) return undefined;
  const step = `back-off ${formatCountdown(backoff.seconds * 1000)}, ${backoff.source === 'message' ? "from the kubelet's message" : 'estimated from the restart count'}`;
  if (!backoff.nextRestartAt) return `${container.name}: unknown (${step})`;
  const remaining = Date.parse(backoff.nextRestartAt) - nowMs;
  const when = remaining > 0 ? `in ${formatCountdown(remaining)}` : 'restarting now';
  return `${container.name}: ${when} (${step})`;
}

function podBlock(pod: PodReport, options: TextOptions): string[] {
  const lines = [paint(options, 'bold', `${sanitizeLine(pod.namespace)}/${sanitizeLine(pod.name)}`)];
  if (pod.context) lines.push(...field(options, 'context', [visibleName(pod.context)]));
  lines.push(
    ...field(
      options,
      'status',
      [`${pod.status}  ready ${pod.ready}  restarts ${pod.restarts}`],
      statusStyle(pod.status),
    ),
  );
  if (pod.owner) lines.push(...field(options, 'owner', [`${pod.owner.kind}/${pod.owner.name}`]));
  const cause = pod.cause;
  if (cause) {
    lines.push(
      ...field(
        options,
        'cause',
        [`${cause.id} (${cause.confidence}) in container ${cause.container}: ${cause.title}`],
        'bold',
      ),
      ...field(options, 'evidence', cause.evidence),
    );
  } else {
    lines.push(...field(options, 'cause', ['none found: no container is failing']));
  }
  lines.push(
    ...field(options, 'exit msg', exitMessages(pod), undefined, (text, width) => [
      { text: truncate(text, width), flush: false },
    ]),
  );
  const restarts = pod.containers.map((c) => nextRestart(c, options.nowMs)).filter((s): s is string => !!s);
  if (restarts.length > 0) lines.push(...field(options, 'next', restarts));
  if (cause) {
    lines.push(
      ...field(options, 'fix', [cause.fix]),
      ...field(options, 'run', cause.commands, 'cyan', commandRows),
    );
  }
  return lines;
}

/** `namespace shop of context prod, selector app=web`: what an online report read. */
function scopeText(scope: ScopeReport): string {
  const where = scope.namespaces.length === 0 ? 'all namespaces' : `namespace ${scope.namespaces.join(', ')}`;
  return `${where} of context ${visibleName(scope.context)}${scope.selector ? `, selector ${scope.selector}` : ''}`;
}

/** Said before anything else: an empty report over a scope with notes is not an all-clear. */
function notesBlock(report: Report, options: TextOptions): string {
  const notes = (report.scope ?? []).flatMap((s) => s.notes);
  return notes.map((note) => `${paint(options, 'yellow', 'note:')} ${sanitizeLine(note)}\n`).join('');
}

export function renderTextReport(report: Report, options: TextOptions): string {
  const notes = notesBlock(report, options);
  if (report.pods.length === 0) {
    // A context that could not be read was not looked in: its note says so.
    const looked = (report.scope ?? []).filter((s) => !s.failed).map((s) => sanitizeLine(scopeText(s)));
    const where = looked.length > 0 ? ` in ${looked.join('; ')}` : '';
    return notes
      ? `${notes}No unhealthy pods found${where}, but see the notes above.\n`
      : `No unhealthy pods${where}: nothing is crashing or stuck.\n`;
  }
  const blocks = report.pods.map((pod) => podBlock(pod, options).join('\n'));
  const failing = report.pods.filter((pod) => pod.cause).length;
  const healthy = report.pods.length - failing;
  const summary = [
    `${failing} unhealthy ${plural(failing, 'pod')}`,
    ...(healthy > 0 ? [`${healthy} with no failing container`] : []),
  ].join(', ');
  return `${notes ? `${notes}\n` : ''}${blocks.join('\n\n')}\n\n${paint(options, 'dim', summary)}\n`;
}
