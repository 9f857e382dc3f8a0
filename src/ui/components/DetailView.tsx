import { useMemo } from 'react';
import type { ClusterSource, WatchedPod } from '../../kube/source.js';
import type { BackoffCurve } from '../../model/backoff.js';
import { serverNow } from '../../model/backoff.js';
import { diagnose } from '../../model/classify/index.js';
import type { WorkloadLookup } from '../../model/gitops.js';
import { ownerOf } from '../../model/owner.js';
import type { KubeEvent, Pod } from '../../model/pod.js';
import type { ReplicaSetLookup } from '../../model/rollout.js';
import { failingContainers } from '../../model/status.js';
import {
  noteReadingLog,
  noteUnavailableLogs,
  unavailableLogEvidence,
} from '../../model/unavailable-evidence.js';
import { type DetailInput, detailLines } from '../detail-lines.js';
import { type AsyncState, useAsync } from '../hooks/use-async.js';
import { useNow } from '../hooks/use-clock.js';
import type { Message } from '../hooks/use-pod-actions.js';
import { loadPreviousLog, type PreviousLog, previousRunKey } from '../previous-logs.js';
import { useTheme } from '../theme.js';
import { ScrollPage } from './ScrollView.js';

export const DETAIL_LOG_LINES = 50;

export interface DetailViewProps {
  source: ClusterSource;
  watched: WatchedPod;
  events: readonly KubeEvent[];
  /** Pods that may share a rollout with this one (the classifier tells a failing rollout by them). */
  siblings: readonly Pod[];
  /** What was read of the pod's Deployment's ReplicaSets (which one is new); undefined: not read. */
  replicaSets?: ReplicaSetLookup;
  clockOffsetMs: number;
  curve?: BackoffCurve;
  /** The view shows several contexts: the page names this pod's. */
  multiContext?: boolean;
  height: number;
  width: number;
  isActive: boolean;
  /** The app's message (an action's result), shown in this view's footer. */
  notice?: Message;
}

/** Enter: why this pod crashes, with the previous container's last lines, read again when that run changes. */
export function DetailView(props: DetailViewProps) {
  const _theme = useTheme();
  const localNow = useNow();
  const serverNowMs = serverNow(localNow, props.clockOffsetMs);
  const { pod, context } = props.watched;
  const container = failingContainers(pod, serverNowMs)[0]?.name;
  const ref = { context, namespace: pod.metadata.namespace ?? '', name: pod.metadata.name };
  const log = useAsync(
    () =>
      container
        ? loadPreviousLog(props.source, ref, container, DETAIL_LOG_LINES)
        : Promise.resolve<PreviousLog>({ state: 'read', lines: [] }),
    // Read again for a new pod under the same name or a new crash: the log is the previous run's.
    JSON.stringify([ref, container && previousRunKey(pod, container)]),
  );
  // Argo CD and Flux mark the Deployment, not its pods: read once, it says who would undo a fix's edit.
  const owner = ownerOf(pod);
  const workloadRead = useAsync(
    () =>
      owner && props.source.readWorkload
        ? props.source.readWorkload(ref, owner)
        : Promise.resolve<WorkloadLookup | undefined>(undefined),
    JSON.stringify([ref.context, ref.namespace, owner]),
  );
  const workload = useMemo(
    (): WorkloadLookup | undefined =>
      workloadRead.state === 'done'
        ? workloadRead.value
        : workloadRead.state === 'failed'
          ? { unavailable: workloadRead.error }
          : undefined,
    [workloadRead],
  );
  const read = log.state === 'done' ? log.value : undefined;
  const logs = useMemo(
    () => (read?.state === 'read' && container ? new Map([[container, read.lines]]) : undefined),
    [read, container],
  );
  const unavailableReason =
    read?.state === 'unavailable' ? read.reason : log.state === 'failed' ? log.error : undefined;
  const unavailable = useMemo(
    () =>
      unavailableReason !== undefined && container ? new Map([[container, unavailableReason]]) : undefined,
    [unavailableReason, container],
  );
  const reading = log.state === 'loading' ? container : undefined;
  // Diagnosed again only when a crash loop starts or ends, not on every tick.
  const failing = container !== undefined;
  // biome-ignore lint/correctness/useExhaustiveDependencies: `failing` stands for the time it was read at.
  const diagnosis = useMemo(
    () =>
      noteReadingLog(
        noteUnavailableLogs(
          diagnose({
            pod,
            events: props.events,
            logs,
            context,
            kubeconfig: props.source.kubeconfig,
            inCluster: props.source.inCluster,
            siblings: props.siblings,
            replicaSets: props.replicaSets,
            nowMs: serverNowMs,
            workload,
          }),
          unavailable,
        ),
        reading,
      ),
    [
      pod,
      props.events,
      logs,
      unavailable,
      reading,
      context,
      props.source.kubeconfig,
      props.source.inCluster,
      props.siblings,
      props.replicaSets,
      failing,
      workload,
    ],
  );
  const lines = detailLines({
    pod,
    events: props.events,
    causes: diagnosis.containers,
    serverNowMs,
    curve: props.curve,
    context: props.multiContext ? context : undefined,
    width: props.width,
    previousLog: !container ? 'none' : previousLogLine(container, log),
  });
  return (
    <ScrollPage
      lines={lines}
      footer={
        'j k PgUp PgDn scroll · l/p logs · d describe · e events · s shell · x debug · y copy fix · Esc back'
      }
      notice={props.notice}
      height={props.height}
      width={props.width}
      isActive={props.isActive}
    />
  );
}

function previousLogLine(container: string, log: AsyncState<PreviousLog>): DetailInput['previousLog'] {
  if (log.state === 'loading') return undefined;
  if (log.state === 'failed') return { container, error: log.error };
  const read = log.value;
  if (read.state === 'read') return { container, lines: read.lines };
  return { container, error: read.state === 'none' ? read.message : unavailableLogEvidence(read.reason) };
}
