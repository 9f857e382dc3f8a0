import { useEffect, useState } from 'react';
import type { Message } from './use-pod-actions.js';

/** How long a status message stays in the footer before the key hints come back (errors stay longer). */
export const MESSAGE_MS = 4000;
export const ERROR_MESSAGE_MS = 10_000;

/**
 * A view's own status message (the log view's "saved to …"), cleared after MESSAGE_MS (ERROR_MESSAGE_MS for an
 * error) as the app's are; a newer one restarts the wait, a sticky one stays.
 */
export function useMessage(): [Message | undefined, (message: Message | undefined) => void] {
  const [message, setMessage] = useState<Message>();
  useEffect(() => {
    if (message === undefined || message.sticky) return;
    const timer = setTimeout(
      () => setMessage(undefined),
      message.tone === 'bad' ? ERROR_MESSAGE_MS : MESSAGE_MS,
    );
    return () => clearTimeout(timer);
  }, [message]);
  return [message, setMessage];
}
