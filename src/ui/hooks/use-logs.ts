import { useEffect, useState } from 'react';
import type { ClusterSource, PodRef } from '../../kube/source.js';
import { appendLines, EMPTY_LOG, type LogBuffer } from '../log-buffer.js';
import { firstLine } from './use-async.js';

export interface LogState {
  buffer: LogBuffer;
  /** `reading`, `following`, `ended: <reason>`, or an error line. */
  status: string;
}

const TAIL_LINES = 500;

/** Previous logs are read once; current logs are followed until the view closes. */
export function useLogs(source: ClusterSource, ref: PodRef, container: string, previous: boolean): LogState {
  const [state, setState] = useState<LogState>({ buffer: EMPTY_LOG, status: 'reading' });
  const { context, namespace, name } = ref;
  useEffect(() => {
    const target = { context, namespace, name };
    let open = true;
    setState({ buffer: EMPTY_LOG, status: 'reading' });
    if (previous) {
      source.readLogs(target, { container, previous: true, tailLines: TAIL_LINES }).then(
        (lines) => open && setState({ buffer: appendLines(EMPTY_LOG, lines), status: 'previous container' }),
        (error: unknown) => open && setState({ buffer: EMPTY_LOG, status: firstLine(error) }),
      );
      return () => {
        open = false;
      };
    }
    const follower = source.followLogs(
      target,
      { container, previous: false, tailLines: TAIL_LINES },
      (lines) => open && setState((s) => ({ buffer: appendLines(s.buffer, lines), status: 'following' })),
      (reason) =>
        open && setState((s) => ({ ...s, status: `ended${reason ? `: ${firstLine(reason)}` : ''}` })),
    );
    setState((s) => ({ ...s, status: 'following' }));
    return () => {
      open = false;
      follower.stop();
    };
  }, [source, context, namespace, name, container, previous]);
  return state;
}
