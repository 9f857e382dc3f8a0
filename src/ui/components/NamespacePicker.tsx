import { Box, Text } from 'ink';
import { useState } from 'react';
import { truncate } from '../fit.js';
import { useViewKeys } from '../hooks/use-key-queue.js';
import { sanitizeLine } from '../sanitize.js';
import { useTheme } from '../theme.js';

export const ALL_NAMESPACES = '(all watched namespaces)';

/** The picker's footer: its own keys, and the app's that still apply (Esc, q and ? are the app's). */
export const NAMESPACE_PICKER_KEYS = 'j k ↑ ↓ move · g G first / last · Enter picks · Esc cancels · ? help';

export interface NamespacePickerProps {
  /** Namespaces seen in the watches and pods; never read from `list namespaces` (RBAC may forbid it). */
  namespaces: readonly string[];
  current?: string;
  height: number;
  width: number;
  isActive: boolean;
  onPick: (namespace: string | undefined) => void;
}

/** `n`: narrow the view to one namespace (j k / ↑↓ then Enter; Esc leaves it as it was). */
export function NamespacePicker(props: NamespacePickerProps) {
  const theme = useTheme();
  const choices = [ALL_NAMESPACES, ...props.namespaces];
  const [index, setIndex] = useState(() => Math.max(0, choices.indexOf(props.current ?? ALL_NAMESPACES)));
  useViewKeys(
    (input, key) => {
      if (key.upArrow || input === 'k') setIndex((i) => Math.max(0, i - 1));
      else if (key.downArrow || input === 'j') setIndex((i) => Math.min(choices.length - 1, i + 1));
      else if (input === 'g') setIndex(0);
      else if (input === 'G') setIndex(choices.length - 1);
      else if (key.return) props.onPick(index === 0 ? undefined : choices[index]);
    },
    { isActive: props.isActive },
  );
  const visible = Math.max(1, props.height - 1);
  const top = Math.max(0, index - visible + 1);
  return (
    <Box flexDirection="column" height={props.height}>
      <Text bold>{truncate('Namespace (Enter picks, Esc cancels)', props.width, theme.glyphs.ellipsis)}</Text>
      {choices.slice(top, top + visible).map((ns, i) => {
        const selected = top + i === index;
        return (
          <Text key={ns} inverse={selected && theme.color} wrap="truncate-end">
            {truncate(
              `${selected ? theme.glyphs.cursor : ' '} ${sanitizeLine(ns)}`,
              props.width,
              theme.glyphs.ellipsis,
            )}
          </Text>
        );
      })}
    </Box>
  );
}
