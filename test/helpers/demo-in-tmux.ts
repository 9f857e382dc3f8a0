import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Backend, startBackend } from './backend.js';
import type { TmuxSession } from './tmux.js';

/** What a tmux e2e file shares: the frozen demo backend, and the session of the test that runs. */
export interface DemoInTmux {
  backend: Backend;
  session: TmuxSession | undefined;
}

/**
 * The demo scenario with the simulated kubelet's clock frozen (so rows hold still), served for the whole file by
 * the backend the run asks for; each test's tmux session is killed after it, also when the test fails.
 */
export function demoInTmux(): DemoInTmux {
  const shared = { session: undefined } as DemoInTmux;
  beforeAll(async () => {
    shared.backend = await startBackend({ speed: 0 });
  });
  afterAll(async () => {
    await shared.backend.close();
  });
  afterEach(async () => {
    await shared.session?.kill();
    shared.session = undefined;
  });
  return shared;
}
