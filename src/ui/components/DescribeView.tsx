import type { ClusterSource, PodRef } from '../../kube/source.js';
import { serverNow } from '../../model/backoff.js';
import { contextLabel } from '../context-label.js';
import { describeLines } from '../describe-lines.js';
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
  return (
    <ScrollPage
      lines={[...title, ...body]}
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
