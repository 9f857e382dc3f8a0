import type { ClusterSource, PodRef } from '../../kube/source.js';
import { serverNow } from '../../model/backoff.js';
import { columns } from '../../model/columns.js';
import { contextLabel } from '../context-label.js';
import { describeLines } from '../describe-lines.js';
import { wrapWords } from '../fit.js';
import { useAsync } from '../hooks/use-async.js';
import { useNow } from '../hooks/use-clock.js';
import type { Message } from '../hooks/use-pod-actions.js';
import { sanitizeLine } from '../sanitize.js';
import { useTheme } from '../theme.js';
import { ScrollPage, type ViewLine } from './ScrollView.js';

export interface DescribeViewProps {
  source: ClusterSource;
  target: PodRef;
  clockOffsetMs: number;
  height: number;
  width: number;
  isActive: boolean;
  /** The app's message (an action's result), shown in this view's footer. */
  notice?: Message;
  /** The view shows several contexts: the first line names this pod's. */
  multiContext?: boolean;
}

/** `d`: read fresh from the API server (the pod and its events), like `kubectl describe pod`. */
export function DescribeView(props: DescribeViewProps) {
  const theme = useTheme();
  const localNow = useNow();
  const { context, namespace, name } = props.target;
  const result = useAsync(
    () => Promise.all([props.source.getPod(props.target), props.source.listEvents(props.target)]),
    JSON.stringify([context, namespace, name]),
  );
  const title: ViewLine[] = props.multiContext
    ? [
        {
          text: `Describe ${contextLabel(context, props.width, theme.glyphs.ellipsis)}: ${sanitizeLine(namespace)}/${sanitizeLine(name)}`,
          bold: true,
        },
      ]
    : [];
  const body: ViewLine[] =
    result.state === 'done'
      ? describeLines(result.value[0], result.value[1], serverNow(localNow, props.clockOffsetMs))
      : result.state === 'failed'
        ? [{ text: `describe failed: ${sanitizeLine(result.error)}`, tone: 'bad' }]
        : [{ text: 'reading…', tone: 'dim' }];
  // Long lines go on under themselves, as on the detail and events pages: an event's message (`Error: configmap
  // "app-config" not found`) is the point of describe, and cut it could not be read at all.
  const lines = wrapLines([...title, ...body], props.width);
  return (
    <ScrollPage
      lines={lines}
      footer={
        'describe · j k PgUp PgDn g G scroll · l/p logs · e events · s shell · x debug · y copy fix · Esc back'
      }
      notice={props.notice}
      height={props.height}
      width={props.width}
      isActive={props.isActive}
    />
  );
}

/** A field line, `    Image ID:       docker-pullable://…`: its label (single spaces inside), then the value. */
const FIELD = /^( *(?:[^ :]| (?! ))+: +)(\S.*)$/;

/**
 * Each line in pieces of at most `width` columns, broken between words. A field's value goes on under its own
 * start, in kubectl's value column, where that leaves it half the screen (`Image ID:` and `Container ID:` keep
 * their place under the container, not cut loose at column 0 with the value below); other lines go on indented
 * under their start.
 */
function wrapLines(lines: readonly ViewLine[], width: number): ViewLine[] {
  return lines.flatMap((line) => {
    if (columns(line.text) <= width) return [line];
    const field = FIELD.exec(line.text);
    const label = field?.[1] ?? '';
    if (field && columns(label) <= width / 2) {
      const pad = ' '.repeat(columns(label));
      return wrapWords(field[2]!, width - columns(label)).map((text, i) => ({
        ...line,
        text: (i === 0 ? label : pad) + text,
      }));
    }
    const indent = /^ */.exec(line.text)![0];
    return wrapWords(line.text.slice(indent.length), width - indent.length, '  ').map((text) => ({
      ...line,
      text: indent + text,
    }));
  });
}
