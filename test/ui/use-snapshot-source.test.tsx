import { Text } from 'ink';
import { render } from 'ink-testing-library';
import { afterEach, beforeEach, expect, it, vi } from 'vitest';
import { createClusterSource } from '../../src/kube/cluster-source.js';
import type { ClusterSource } from '../../src/kube/source.js';
import { ClockContext } from '../../src/ui/hooks/use-clock.js';
import { type OnScreen, useSnapshot } from '../../src/ui/hooks/use-snapshot.js';
import {
  type FakeApiServer,
  fakePod,
  fastSourceOptions,
  startFakeApiServer,
} from '../kube/fake-apiserver.js';
import { manualClock } from './render-app.js';

// The view's snapshots from the real cluster source, with another consumer of the same source (what
// run-follower.ts is while a log view is open: a snapshot on every notification) listening first.

let server: FakeApiServer;
let source: ClusterSource | undefined;

beforeEach(async () => {
  server = await startFakeApiServer();
});

afterEach(async () => {
  await source?.close();
  source = undefined;
  await server.close();
});

const WATCHED = 'fake/shop/web-1';

function Phase(props: { source: ClusterSource; onScreen: { current: OnScreen } }) {
  const snapshot = useSnapshot(props.source, props.onScreen);
  return <Text>phase {snapshot.pods.get(WATCHED)?.pod.status?.phase ?? 'none'}</Text>;
}

it("draws a change to a row on screen within the urgent interval when another consumer took the snapshot first (not on the clock's tick)", async () => {
  server.put('pods', fakePod('shop', 'web-1', { status: { phase: 'Running' } }));
  server.put('pods', fakePod('shop', 'db-1'));
  const live = await createClusterSource({ kubeconfig: server.kubeconfigPath }, fastSourceOptions);
  source = live;
  live.subscribe(() => live.getSnapshot());
  // The clock never ticks: a change that waits for the tick waits the throttle's latest, 1.5 s.
  const { lastFrame, unmount } = render(
    <ClockContext.Provider value={manualClock()}>
      <Phase source={live} onScreen={{ current: { keys: new Set([WATCHED]), room: false } }} />
    </ClockContext.Provider>,
  );
  try {
    await vi.waitFor(() => expect(lastFrame()).toBe('phase Running'), { timeout: 5000 });
    await new Promise((resolve) => setTimeout(resolve, 400));
    // Off screen, after a quiet spell: it waits for the tick, and the change on screen right after it does not.
    server.put('pods', fakePod('shop', 'db-1', { status: { phase: 'Pending' } }));
    await new Promise((resolve) => setTimeout(resolve, 30));
    const changed = performance.now();
    server.put('pods', fakePod('shop', 'web-1', { status: { phase: 'Failed' } }));
    await vi.waitFor(() => expect(lastFrame()).toBe('phase Failed'), { timeout: 3000, interval: 5 });
    expect(performance.now() - changed).toBeLessThan(900);
  } finally {
    unmount();
  }
});
