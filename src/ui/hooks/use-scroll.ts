import { useState } from 'react';
import { useViewKeys } from './use-key-queue.js';

export interface Scroll {
  top: number;
  /** The view shows the last line (a following log keeps showing new lines while this holds). */
  atEnd: boolean;
}

/**
 * Scrolling of a full-screen view: ↑↓/j k, PgUp PgDn, g G. With `stickToEnd`, a view scrolled to the end
 * follows new lines, like `tail -f`; scrolling up stops following.
 */
export function useScroll(
  lineCount: number,
  height: number,
  options: { isActive: boolean; stickToEnd?: boolean },
): Scroll & { scrollTo(line: number): void } {
  const maxTop = Math.max(0, lineCount - height);
  const [state, setState] = useState<{ top: number; atEnd: boolean }>({
    top: 0,
    atEnd: !!options.stickToEnd,
  });
  const top = state.atEnd && options.stickToEnd ? maxTop : Math.min(state.top, maxTop);
  const move = (to: number) => {
    const next = Math.max(0, Math.min(maxTop, to));
    setState({ top: next, atEnd: next >= maxTop });
  };
  useViewKeys(
    (input, key) => {
      const page = Math.max(1, height - 1);
      if (key.upArrow || input === 'k') move(top - 1);
      else if (key.downArrow || input === 'j') move(top + 1);
      else if (key.pageUp) move(top - page);
      else if (key.pageDown || input === ' ') move(top + page);
      else if (input === 'g' || key.home) move(0);
      else if (input === 'G' || key.end) move(maxTop);
    },
    { isActive: options.isActive },
  );
  return { top, atEnd: top >= maxTop, scrollTo: (line) => move(line - Math.floor(height / 3)) };
}
