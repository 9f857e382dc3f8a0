import { useEffect, useState } from 'react';
import type { Message } from './use-pod-actions.js';

/** How long a status message stays (DESIGN.md §4: status messages expire). */
export const MESSAGE_MS = 6000;

/**
 * A status message that clears itself after MESSAGE_MS (a newer one restarts the wait); a sticky one (a command
 * to select by hand, a failed kubectl's error) stays until Esc.
 */
export function useMessage(): [Message | undefined, (message: Message | undefined) => void] {
  const [message, setMessage] = useState<Message>();
  useEffect(() => {
    if (message === undefined || message.sticky) return;
    const timer = setTimeout(() => setMessage(undefined), MESSAGE_MS);
    return () => clearTimeout(timer);
  }, [message]);
  return [message, setMessage];
}
