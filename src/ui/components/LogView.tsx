import { Box, Text } from 'ink';
import { useEffect, useMemo, useState } from 'react';
import type { ClusterSource, PodRef } from '../../kube/source.js';
import { truncate } from '../fit.js';
import { useKeyQueue } from '../hooks/use-key-queue.js';
import { useLogs } from '../hooks/use-logs.js';
import { useScroll } from '../hooks/use-scroll.js';
import { sanitizeLine } from '../sanitize.js';
import { useTheme } from '../theme.js';
import { ScrollView, type ViewLine } from './ScrollView.js';

export interface LogViewProps {
  source: ClusterSource;
  target: PodRef;
  container: string;
  previous: boolean;
  height: number;
  width: number;
  isActive: boolean;
  /** Tells the app a search is being typed, so its keys are text and not commands. */
  onTextEntry: (typing: boolean) => void;
}

/** `l` (following the current container) and `p` (the previous, crashed one), with `/` search and n N. */
export function LogView(props: LogViewProps) {
  const theme = useTheme();
  const logs = useLogs(props.source, props.target, props.container, props.previous);
  const [typing, setTyping] = useState<string | undefined>();
  const [search, setSearch] = useState('');
  const bodyHeight = props.height - 2;
  const lines = logs.buffer.lines;
  const scroll = useScroll(lines.length, bodyHeight, {
    isActive: props.isActive && typing === undefined,
    stickToEnd: !props.previous,
  });
  const { onTextEntry } = props;
  useEffect(() => onTextEntry(typing !== undefined), [typing, onTextEntry]);

  const needle = search.toLowerCase();
  const matches = useMemo(
    () => (needle ? lines.flatMap((line, i) => (line.toLowerCase().includes(needle) ? [i] : [])) : []),
    [lines, needle],
  );
  const jump = (direction: 1 | -1, from: number) => {
    const next =
      direction === 1 ? matches.find((i) => i > from) : [...matches].reverse().find((i) => i < from);
    if (next !== undefined) scroll.scrollTo(next);
  };

  useKeyQueue(
    (input, key) => {
      if (typing !== undefined) {
        if (key.escape) setTyping(undefined);
        else if (key.return) {
          setSearch(typing);
          setTyping(undefined);
        } else if (key.backspace || key.delete) setTyping(typing.slice(0, -1));
        else if (input) setTyping(typing + sanitizeLine(input));
        return;
      }
      if (input === '/') setTyping('');
      else if (input === 'n') jump(1, scroll.top + Math.floor(bodyHeight / 3));
      else if (input === 'N') jump(-1, scroll.top + Math.floor(bodyHeight / 3));
    },
    { isActive: props.isActive },
  );
  // Searching makes the first match reachable at once, without pressing n.
  // biome-ignore lint/correctness/useExhaustiveDependencies: only a new search moves the view.
  useEffect(() => {
    if (matches.length) jump(1, -1);
  }, [search]);

  const view: ViewLine[] = lines.map((text) => ({
    text,
    mark: needle !== '' && text.toLowerCase().includes(needle),
  }));
  const which = props.previous ? 'previous' : 'current';
  const title = `Logs ${sanitizeLine(props.target.namespace)}/${sanitizeLine(props.target.name)} [${sanitizeLine(props.container)}] (${which}) ${theme.glyphs.separator} ${sanitizeLine(logs.status)} ${theme.glyphs.separator} ${lines.length} lines${logs.buffer.dropped ? `, ${logs.buffer.dropped} older dropped` : ''}`;
  const footer =
    typing !== undefined
      ? `/${typing}_`
      : search
        ? `search "${search}": ${matches.length} matches (n next, N previous)  ${theme.glyphs.separator}  / new search  Esc back`
        : `/ search  ${theme.glyphs.separator}  j k PgUp PgDn g G scroll${props.previous ? '' : ' (G follows)'}  ${theme.glyphs.separator}  Esc back`;
  return (
    <Box flexDirection="column" height={props.height}>
      <Text bold wrap="truncate-end">
        {truncate(theme.text(title), props.width, theme.glyphs.ellipsis)}
      </Text>
      {lines.length === 0 ? (
        <Box height={bodyHeight}>
          <Text color={theme.tone('dim')}>
            {theme.text(logs.status === 'reading' ? 'reading…' : '(no log lines)')}
          </Text>
        </Box>
      ) : (
        <ScrollView lines={view} top={scroll.top} height={bodyHeight} width={props.width} />
      )}
      <Text color={theme.tone('dim')} wrap="truncate-end">
        {truncate(theme.text(footer), props.width, theme.glyphs.ellipsis)}
      </Text>
    </Box>
  );
}
