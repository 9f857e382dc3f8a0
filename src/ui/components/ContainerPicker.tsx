import { Box, Text } from 'ink';
import { containerStatus } from '../../model/log-runs.js';
import { plural } from '../../model/plural.js';
import type { ContainerStatus, Pod } from '../../model/pod.js';
import { truncate } from '../fit.js';
import { ALL_CONTAINERS } from '../hooks/use-logs.js';
import { sanitizeLine } from '../sanitize.js';
import { useTheme } from '../theme.js';

export interface ContainerChoice {
  /** A container name, or ALL_CONTAINERS. */
  name: string;
  label: string;
}

/** Every container of the pod, init containers first (they run first), then "all containers". */
export function containerChoices(pod: Pod): ContainerChoice[] {
  const init = (pod.spec.initContainers ?? []).map((c) => c.name);
  const regular = pod.spec.containers.map((c) => c.name);
  const choice = (name: string, kind: string): ContainerChoice => {
    const status = containerStatus(pod, name)?.status;
    const state = status ? stateText(status) : 'no status yet';
    return { name, label: `${sanitizeLine(name)}  ${kind}${state}` };
  };
  return [
    ...init.map((name) => choice(name, 'init · ')),
    ...regular.map((name) => choice(name, '')),
    { name: ALL_CONTAINERS, label: `${allOf(init.length + regular.length)}, each line prefixed` },
  ];
}

function stateText(status: ContainerStatus): string {
  const { waiting, running, terminated } = status.state ?? {};
  const state = waiting
    ? sanitizeLine(waiting.reason ?? 'Waiting')
    : running
      ? 'Running'
      : terminated
        ? `${sanitizeLine(terminated.reason ?? 'Terminated')} (exit ${terminated.exitCode})`
        : 'unknown';
  const n = status.restartCount;
  return n > 0 ? `${state} · ${n} ${plural(n, 'restart')}` : state;
}

/** The "all containers" choice of a pod with `count` of them: a pod of one has no "all". */
const allOf = (count: number) => (count === 1 ? 'its only container' : `all ${count} containers`);

/** The picker's footer: the keys it takes (the log view hands it every key while it is open). */
const CONTAINER_PICKER_KEYS = 'j k ↑ ↓ move · Enter reads its log · Esc or c cancels';

/** `c` in the log view: which container's log to read (j k / ↑↓, Enter; Esc keeps the current one). */
export function ContainerPicker(props: {
  choices: readonly ContainerChoice[];
  index: number;
  current: string;
  height: number;
  width: number;
}) {
  const theme = useTheme();
  // The title and the footer line take two lines.
  const visible = Math.max(1, props.height - 2);
  const top = Math.max(0, props.index - visible + 1);
  return (
    <Box flexDirection="column" height={props.height}>
      <Text bold>
        {truncate('Container (Enter reads its log, Esc cancels)', props.width, theme.glyphs.ellipsis)}
      </Text>
      {props.choices.slice(top, top + visible).map((choice, i) => {
        const selected = top + i === props.index;
        const mark = choice.name === props.current ? ' (shown)' : '';
        return (
          <Text key={choice.name} inverse={selected && theme.color} wrap="truncate-end">
            {truncate(
              theme.text(`${selected ? theme.glyphs.cursor : ' '} ${choice.label}${mark}`),
              props.width,
              theme.glyphs.ellipsis,
            )}
          </Text>
        );
      })}
      <Box flexGrow={1} />
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {truncate(theme.text(CONTAINER_PICKER_KEYS), props.width, theme.glyphs.ellipsis)}
      </Text>
    </Box>
  );
}
