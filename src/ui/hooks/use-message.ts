import { useState } from 'react';
import { useClockReached } from './use-clock.js';
import type { Message } from './use-pod-actions.js';

/** How long a status message stays in the footer before the key hints come back (errors stay longer). */
export const MESSAGE_MS = 4000;
export const ERROR_MESSAGE_MS = 10_000;

/**
 * The app's one status message, whichever view said it: gone after MESSAGE_MS (ERROR_MESSAGE_MS for an error),
 * a newer one restarting the wait, unless it is `sticky` or `untilKey`. The keys take it away (use-keys.ts): the
 * next key, or Esc alone for a sticky one. Timed by the shared clock, so a message ends with a tick's frame.
 * `first` is shown from the first frame on (what `:ctx` changed, said in the view it opened).
 */
export function useMessage(first?: Message): [Message | undefined, (message: Message | undefined) => void] {
  const [shown, setShown] = useState(() => (first ? { message: first, at: Date.now() } : undefined));
  const ms = shown?.message.tone === 'bad' ? ERROR_MESSAGE_MS : MESSAGE_MS;
  const timed = shown !== undefined && !shown.message.sticky && !shown.message.untilKey;
  const over = useClockReached(timed ? shown.at + ms : Number.POSITIVE_INFINITY);
  return [
    shown && !over ? shown.message : undefined,
    (message) => setShown(message && { message, at: Date.now() }),
  ];
}
