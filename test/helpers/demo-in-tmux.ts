import { afterAll, afterEach, beforeAll } from 'vitest';
import { type Backend, type BackendOptions, startBackend } from './backend.js';
import { BIN } from './run-cli.js';
import { TmuxSession } from './tmux.js';

/** The tmux session of the test that runs: the test starts it, the hook kills it. */
export interface InTmux {
  session: TmuxSession | undefined;
}

/** What a tmux e2e file on one backend shares: the backend, and the session of the test that runs. */
export interface BackendInTmux extends InTmux {
  backend: Backend;
}

/** Each test's tmux session is killed after it, also when the test fails. */
export function sessionPerTest(): InTmux {
  const shared: InTmux = { session: undefined };
  afterEach(async () => {
    await shared.session?.kill();
    shared.session = undefined;
  });
  return shared;
}

/**
 * A backend (the one the run asks for: simulator or real server) served for the whole file, or the describe
 * block that calls this, and each test's tmux session (sessionPerTest).
 */
export function backendInTmux(options: BackendOptions): BackendInTmux {
  const shared = sessionPerTest() as BackendInTmux;
  beforeAll(async () => {
    shared.backend = await startBackend(options);
  });
  afterAll(async () => {
    await shared.backend.close();
  });
  return shared;
}

/** The demo scenario with the simulated kubelet's clock frozen, so that rows hold still (backendInTmux). */
export function demoInTmux(): BackendInTmux {
  return backendInTmux({ speed: 0 });
}

/** `crashtop --demo` (the built binary) in an 80×24 tmux pane, its table drawn; `shared` kills it after the test. */
export async function demoAt80x24(shared: InTmux): Promise<TmuxSession> {
  const session = await TmuxSession.start([process.execPath, BIN, '--demo'], { width: 80, height: 24 });
  shared.session = session;
  await session.waitForText('CrashLoopBackOff');
  return session;
}

/** crashtop on `b`'s pods in all namespaces, in a 120×30 tmux pane, with this PATH (kubectl stood in, or none). */
export async function withPathInTmux(b: Backend, path: string): Promise<TmuxSession> {
  // tmux sets PATH in a new pane itself, whatever -e says: `env` sets it for crashtop.
  return TmuxSession.start(
    ['env', `PATH=${path}`, process.execPath, BIN, '--kubeconfig', b.kubeconfigPath, '-A'],
    { width: 120, height: 30 },
  );
}
