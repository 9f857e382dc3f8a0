import { Box, Text } from 'ink';
import { memo } from 'react';
import { columns } from '../../model/columns.js';
import { truncate } from '../fit.js';
import { useScroll } from '../hooks/use-scroll.js';
import { sanitizeLine } from '../sanitize.js';
import { type Tone, useTheme } from '../theme.js';

/** A line of a full-screen view; `text` is already sanitised. */
export interface ViewLine {
  text: string;
  tone?: Tone;
  bold?: boolean;
  /** Highlighted (a search match). */
  mark?: boolean;
}

const Line = memo(function Line({ line, width }: { line: ViewLine; width: number }) {
  const theme = useTheme();
  return (
    <Text
      color={line.tone ? theme.tone(line.tone) : undefined}
      bold={line.bold}
      inverse={line.mark && theme.color}
    >
      {/* An empty Text takes no row in Ink: a blank line must still be one. */}
      {truncate(theme.text(line.text), width, theme.glyphs.ellipsis) || ' '}
    </Text>
  );
});

/** Only the visible window of `lines` is rendered: a log of 5,000 lines costs the same as one of 20. */
export function ScrollView({
  lines,
  top,
  height,
  width,
}: {
  lines: readonly ViewLine[];
  top: number;
  height: number;
  width: number;
}) {
  const visible = lines.slice(top, top + height);
  return (
    <Box flexDirection="column" height={height}>
      {visible.map((line, i) => (
        // Lines have no identity beyond their position in the window.
        // biome-ignore lint/suspicious/noArrayIndexKey: see above.
        <Line key={i} line={line} width={width} />
      ))}
    </Box>
  );
}

/**
 * The one footer line of a full-screen view: `↓ 12 more ·` first when lines are hidden below (so a page never
 * looks complete when it is not), then the view's keys or a message. A message (`notice`: the app's question, an
 * action's result) is never cut for the hint: when both do not fit, the hint gives way, as the table's does.
 */
export function MoreHint(props: {
  below: number;
  width: number;
  tone?: Tone;
  notice?: boolean;
  children: string;
}) {
  const theme = useTheme();
  const text = theme.text(props.children);
  const more = props.below > 0 ? theme.text(`↓ ${props.below} more ${theme.glyphs.separator} `) : '';
  const shown = props.notice && columns(more + text) > props.width ? text : more + text;
  return (
    <Text color={theme.tone(props.tone ?? 'dim')} wrap="truncate-end">
      {truncate(shown, props.width, theme.glyphs.ellipsis)}
    </Text>
  );
}

/** A full-screen page: the scrolling lines (j k PgUp PgDn g G) above its one footer of keys (or a message). */
export function ScrollPage(props: {
  lines: readonly ViewLine[];
  footer: string;
  notice?: { text: string; tone?: Tone };
  height: number;
  width: number;
  isActive: boolean;
}) {
  const bodyHeight = props.height - 1;
  const scroll = useScroll(props.lines.length, bodyHeight, { isActive: props.isActive });
  const below = Math.max(0, props.lines.length - (scroll.top + bodyHeight));
  return (
    <Box flexDirection="column" height={props.height}>
      <ScrollView lines={props.lines} top={scroll.top} height={bodyHeight} width={props.width} />
      <MoreHint
        below={below}
        width={props.width}
        tone={props.notice?.tone}
        notice={props.notice !== undefined}
      >
        {props.notice ? sanitizeLine(props.notice.text) : props.footer}
      </MoreHint>
    </Box>
  );
}
