import { Box, Text } from 'ink';
import { useEffect, useState } from 'react';
import type { NodeEvents } from '../../kube/events.js';
import type { ClusterSource } from '../../kube/source.js';
import { serverNow } from '../../model/backoff.js';
import { isWarning } from '../../model/node-events.js';
import { plural } from '../../model/plural.js';
import type { KubeEvent } from '../../model/pod.js';
import { contextLabel } from '../context-label.js';
import { eventLines } from '../event-rows.js';
import { truncate, wrapWords } from '../fit.js';
import { useAsync } from '../hooks/use-async.js';
import { useNow } from '../hooks/use-clock.js';
import { useViewKeys } from '../hooks/use-key-queue.js';
import type { Message } from '../hooks/use-pod-actions.js';
import { sanitizeLine } from '../sanitize.js';
import { useTheme } from '../theme.js';
import { ScrollPage } from './ScrollView.js';

/** How often the view reads the namespace's events again while open. */
export const EVENTS_REFRESH_MS = 10_000;

export interface EventsViewProps {
  source: ClusterSource;
  context: string;
  namespace: string;
  /** The nodes its pods run on: their events (pressure, evictions, reboots) are listed too. */
  nodes: readonly string[];
  clockOffsetMs: number;
  height: number;
  width: number;
  isActive: boolean;
  notice?: Message;
  /** Tests read again by hand. */
  refreshMs?: number;
  /** The view shows several contexts: the title names this one. */
  multiContext?: boolean;
}

/**
 * `e`: the recent events of the pod's namespace, newest first (the guide's step 5, `kubectl get events
 * --sort-by=.lastTimestamp`): FailedScheduling, FailedMount, Evicted …, and those of the nodes its pods run on
 * (memory or disk pressure, EvictionThresholdMet, Rebooted, SystemOOM). Warnings only; `a` shows every type.
 */
export function EventsView(props: EventsViewProps) {
  const theme = useTheme();
  const localNow = useNow();
  const [warningsOnly, setWarningsOnly] = useState(true);
  const [round, setRound] = useState(0);
  const refreshMs = props.refreshMs ?? EVENTS_REFRESH_MS;
  useEffect(() => {
    const timer = setInterval(() => setRound((r) => r + 1), refreshMs);
    return () => clearInterval(timer);
  }, [refreshMs]);
  const { source, context, namespace, nodes } = props;
  const result = useAsync(
    () => source.listNamespaceEvents({ context, namespace }),
    JSON.stringify([context, namespace, round]),
  );
  const nodeResult = useAsync(
    () => source.listNodeEvents({ context, nodes }),
    JSON.stringify([context, nodes, round]),
  );
  // Keep the last lists on screen while the next ones are read.
  const [namespaceEvents, setNamespaceEvents] = useState<KubeEvent[]>();
  const [nodeEvents, setNodeEvents] = useState<NodeEvents>();
  useEffect(() => {
    if (result.state === 'done') setNamespaceEvents(result.value);
  }, [result]);
  useEffect(() => {
    if (nodeResult.state === 'done') setNodeEvents(nodeResult.value);
  }, [nodeResult]);
  const events = namespaceEvents && [...namespaceEvents, ...(nodeEvents?.events ?? [])];
  useViewKeys((input) => input === 'a' && setWarningsOnly((w) => !w), { isActive: props.isActive });

  const nowMs = serverNow(localNow, props.clockOffsetMs);
  // Node events that cannot be read say so in one line above the table, never an empty silence.
  const nodeProblem = nodeEvents?.forbidden
    ? `node events not shown: ${sanitizeLine(nodeEvents.forbidden)}`
    : nodeResult.state === 'failed'
      ? `node events could not be read: ${sanitizeLine(nodeResult.error)}`
      : undefined;
  const lines = [
    ...(nodeProblem
      ? wrapWords(nodeProblem, props.width, '  ').map((text) => ({ text, tone: 'warn' as const }))
      : []),
    ...(events !== undefined
      ? eventLines(events, { nowMs, warningsOnly, width: props.width })
      : result.state === 'failed'
        ? [{ text: `events could not be read: ${sanitizeLine(result.error)}`, tone: 'bad' as const }]
        : [{ text: 'reading…', tone: 'dim' as const }]),
  ];
  const warnings = events?.filter(isWarning).length ?? 0;
  const sep = ` ${theme.glyphs.separator} `;
  const cluster = props.multiContext ? `${contextLabel(context, props.width, theme.glyphs.ellipsis)}: ` : '';
  const where = `${cluster}namespace ${sanitizeLine(namespace)}${nodes.length > 0 ? ` and its ${nodes.length === 1 ? 'node' : `${nodes.length} nodes`}` : ''}`;
  const title = `Events of ${where}${sep}${warningsOnly ? 'warnings' : 'all types'}, newest first${events ? `${sep}${warnings} ${plural(warnings, 'warning')} of ${events.length} ${plural(events.length, 'event')}` : ''}`;
  return (
    <Box flexDirection="column" height={props.height}>
      <Text bold wrap="truncate-end">
        {truncate(theme.text(title), props.width, theme.glyphs.ellipsis)}
      </Text>
      <ScrollPage
        lines={lines}
        footer={`a ${warningsOnly ? 'all types' : 'warnings only'}${sep}j k PgUp PgDn scroll${sep}read again every ${refreshMs / 1000}s${sep}Esc back`}
        notice={props.notice}
        height={props.height - 1}
        width={props.width}
        isActive={props.isActive}
      />
    </Box>
  );
}
