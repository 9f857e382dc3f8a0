import { Box, Text } from 'ink';
import { memo } from 'react';
import type { PlacedColumn, TableLine, TableSort } from '../../model/rows.js';
import { groupLine, headerLine, podLine } from '../cells.js';
import { statusTone, type Theme, useTheme } from '../theme.js';

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
  localNowMs: number;
  clockOffsetMs: (context: string) => number;
  marked: ReadonlySet<string>;
  /** Its column's title carries the direction. */
  sort?: TableSort;
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

export function PodTable(props: PodTableProps) {
  const theme = useTheme();
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
        return <Row key={line.key} {...rowProps(line, selected, props, theme)} />;
      })}
    </Box>
  );
}

function rowProps(line: TableLine, selected: boolean, props: PodTableProps, theme: Theme) {
  const cursor = selected ? theme.glyphs.cursor : ' ';
  if (line.kind === 'group') {
    return {
      text: groupLine(line.group, props.width, theme),
      selected: false,
      bold: true,
      tone: theme.tone(line.group.unhealthy ? 'bad' : 'good'),
    };
  }
  const mark = props.marked.has(line.key) ? theme.glyphs.bell : ' ';
  const text = podLine(line.row, props.placed, {
    localNowMs: props.localNowMs,
    clockOffsetMs: props.clockOffsetMs(line.row.context),
    theme,
    gutter: cursor + mark,
    branch: line.branch,
    width: props.width,
  });
  const tone = statusTone(line.row.summary.status);
  return {
    text,
    selected: selected && theme.color,
    tone: tone && tone !== 'good' ? theme.tone(tone) : undefined,
  };
}
