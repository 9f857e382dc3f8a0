import { Box, Text } from 'ink';
import { memo, useRef } from 'react';
import { serverNow } from '../../model/backoff.js';
import type { OwnerGroup, PlacedColumn, PodRow, TableLine, TableSort } from '../../model/rows.js';
import { groupLine, headerLine, podLine } from '../cells.js';
import { useNow } from '../hooks/use-clock.js';
import { STALE_MARK, statusTone, type Theme, useTheme } from '../theme.js';

export interface PodTableProps {
  lines: readonly TableLine[];
  placed: readonly PlacedColumn[];
  /** First line shown (windowing: only `height - 1` lines are ever rendered). */
  top: number;
  /** An owner line drawn in the first line's place: its pods are on screen, it scrolled off (tableWindow). */
  sticky?: number;
  selected: number;
  /** Rows including the column titles. */
  height: number;
  width: number;
  clockOffsetMs: (context: string) => number;
  marked: ReadonlySet<string>;
  /** Its column's title carries the direction. */
  sort?: TableSort;
  /** Rows from a pods watch gone stale (watch-line.ts staleRows): drawn dim (without colour: STALE_MARK). */
  stale?: (context: string, namespace: string) => boolean;
  /** What an owner's line says of its stuck rollout (model/rows.ts groupRollout); asked for the lines shown. */
  rolloutOf?: (group: OwnerGroup) => string | undefined;
  /** The view shows several contexts: an owner's line names its context. */
  multiContext?: boolean;
}

// Each visible row is reduced to one string and a few flags before React sees it, so memo compares
// strings: a row re-renders only when what it shows changes (its countdown, its selection).
const Row = memo(function Row(props: { text: string; selected: boolean; tone?: string; bold?: boolean }) {
  return (
    <Text inverse={props.selected} color={props.tone} bold={props.bold} wrap="truncate-end">
      {props.text}
    </Text>
  );
});

/** What a pod line's text is made from besides its row: the same inputs give the same text. */
interface LineInputs {
  placed: readonly PlacedColumn[];
  serverNowMs: number;
  gutter: string;
  /** Where it hangs under its owner's line (grouped by owner). */
  branch?: 'middle' | 'last';
  width: number;
  theme: Theme;
  text: string;
}

/**
 * The table reads the shared clock itself: a tick renders it and the rows whose text the tick changed (their
 * countdowns and ages), not the view around it.
 */
export function PodTable(props: PodTableProps) {
  const theme = useTheme();
  const localNowMs = useNow();
  // A key press or a snapshot that leaves a row as it was formats nothing: each visible row's line is kept
  // with what it was made from (rows are kept between snapshots by the row builder).
  const lineCache = useRef(new WeakMap<PodRow, LineInputs>()).current;
  const visible = props.lines.slice(props.top, props.top + props.height - 1);
  const owner = props.sticky === undefined ? undefined : props.lines[props.sticky];
  if (owner) visible[0] = owner;
  return (
    <Box flexDirection="column" height={props.height}>
      <Text bold wrap="truncate-end">
        {headerLine(props.placed, props.width, theme, props.sort)}
      </Text>
      {visible.map((line, i) => {
        const selected = props.top + i === props.selected;
        return <Row key={line.key} {...rowProps(line, selected, props, localNowMs, theme, lineCache)} />;
      })}
    </Box>
  );
}

function rowProps(
  line: TableLine,
  selected: boolean,
  props: PodTableProps,
  localNowMs: number,
  theme: Theme,
  lineCache: WeakMap<PodRow, LineInputs>,
) {
  const cursor = selected ? theme.glyphs.cursor : ' ';
  if (line.kind === 'group') {
    return {
      text: groupLine(line.group, props.width, theme, props.rolloutOf?.(line.group), props.multiContext),
      selected: false,
      bold: true,
      tone: theme.tone(line.group.unhealthy ? 'bad' : 'good'),
    };
  }
  const stale = props.stale?.(line.row.context, line.row.namespace) ?? false;
  const mark = stale && !theme.color ? STALE_MARK : props.marked.has(line.key) ? theme.glyphs.bell : ' ';
  const clockOffsetMs = props.clockOffsetMs(line.row.context);
  const serverNowMs = serverNow(localNowMs, clockOffsetMs);
  const gutter = cursor + mark;
  const cached = lineCache.get(line.row);
  const hit =
    cached !== undefined &&
    cached.placed === props.placed &&
    cached.serverNowMs === serverNowMs &&
    cached.gutter === gutter &&
    cached.branch === line.branch &&
    cached.width === props.width &&
    cached.theme === theme;
  const text = hit
    ? cached.text
    : podLine(line.row, props.placed, {
        localNowMs,
        clockOffsetMs,
        theme,
        gutter,
        branch: line.branch,
        width: props.width,
      });
  if (!hit)
    lineCache.set(line.row, {
      placed: props.placed,
      serverNowMs,
      gutter,
      branch: line.branch,
      width: props.width,
      theme,
      text,
    });
  const tone = stale ? 'dim' : statusTone(line.row.summary.status);
  return {
    text,
    selected: selected && theme.color,
    tone: tone && tone !== 'good' ? theme.tone(tone) : undefined,
  };
}
