import { Box, Text } from 'ink';
import { memo } from 'react';
import { truncate } from '../fit.js';
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
      {truncate(theme.text(line.text), width, theme.glyphs.ellipsis)}
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
