import { useMemo } from 'react';
import type { ClusterSource, WatchedPod } from '../../kube/source.js';
import type { BackoffCurve } from '../../model/backoff.js';
import { serverNow } from '../../model/backoff.js';
import { diagnose } from '../../model/classify/index.js';
import type { KubeEvent, Pod } from '../../model/pod.js';
import { failingContainers } from '../../model/status.js';
import { detailLines } from '../detail-lines.js';
import { useAsync } from '../hooks/use-async.js';
import { useNow } from '../hooks/use-clock.js';
import type { Message } from '../hooks/use-pod-actions.js';
import { useTheme } from '../theme.js';
import { ScrollPage } from './ScrollView.js';

export const DETAIL_LOG_LINES = 50;

export interface DetailViewProps {
  source: ClusterSource;
  watched: WatchedPod;
  events: readonly KubeEvent[];
  /** Pods that may share a rollout with this one (the classifier tells a failing rollout by them). */
  siblings: readonly Pod[];
  clockOffsetMs: number;
  curve?: BackoffCurve;
  height: number;
  width: number;
  isActive: boolean;
  /** The app's message (an action's result), shown in this view's footer. */
  notice?: Message;
}

/** Enter: why this pod crashes, with the previous container's last lines read once when it opens. */
export function DetailView(props: DetailViewProps) {
  const _theme = useTheme();
  const localNow = useNow();
  const { pod, context } = props.watched;
  const container = failingContainers(pod)[0]?.name;
  const ref = { context, namespace: pod.metadata.namespace ?? '', name: pod.metadata.name };
  const log = useAsync(
    () =>
      container
        ? props.source.readLogs(ref, { container, previous: true, tailLines: DETAIL_LOG_LINES })
        : Promise.resolve([]),
    JSON.stringify([ref, container]),
  );
  const logs = useMemo(
    () => (log.state === 'done' && container ? new Map([[container, log.value]]) : undefined),
    [log, container],
  );
  const diagnosis = useMemo(
    () => diagnose({ pod, events: props.events, logs, context, siblings: props.siblings }),
    [pod, props.events, logs, context, props.siblings],
  );
  const lines = detailLines({
    pod,
    events: props.events,
    causes: diagnosis.containers,
    serverNowMs: serverNow(localNow, props.clockOffsetMs),
    curve: props.curve,
    previousLog: !container
      ? undefined
      : log.state === 'done'
        ? { container, lines: log.value }
        : log.state === 'failed'
          ? { container, error: log.error }
          : undefined,
  });
  return (
    <ScrollPage
      lines={lines}
      footer={
        'j k PgUp PgDn scroll · l logs · p previous logs · d describe · s shell · y copy fix · Esc back'
      }
      notice={props.notice}
      height={props.height}
      width={props.width}
      isActive={props.isActive}
    />
  );
}
