import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { type Backend, startBackend } from '../helpers/backend.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { renamedKubeconfig } from '../helpers/renamed-kubeconfig.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// Two simulators of the same demo behind one KUBECONFIG, as `KUBECONFIG=a.yaml:b.yaml crashtop --context A
// --context B -A`: the same pod names in the same namespaces. At 80 columns the built binary's table must tell
// the two clusters' rows apart, and every view must say which cluster it shows.

const EU = 'prod-eu-west-1';
const US = 'prod-us-east-1';
let eu: Backend;
let us: Backend;
let dir: string;
const tmux = sessionPerTest();

beforeAll(async () => {
  [eu, us] = await Promise.all([startBackend({ speed: 0 }), startBackend({ speed: 0 })]);
  dir = mkdtempSync(join(tmpdir(), 'crashtop-two-clusters-'));
});
afterAll(async () => {
  await Promise.all([eu?.close(), us?.close()]);
  rmSync(dir, { recursive: true, force: true });
});

describe('two clusters with the same pods at 80×24', () => {
  it('rows read apart by CONTEXT and NAMESPACE; l, d and e name the context', async () => {
    const kubeconfig = `${renamedKubeconfig(eu.kubeconfigPath, EU, dir)}:${renamedKubeconfig(us.kubeconfigPath, US, dir)}`;
    const session = await TmuxSession.start([process.execPath, BIN, '--context', EU, '--context', US, '-A'], {
      width: 80,
      height: 24,
      env: { KUBECONFIG: kubeconfig },
    });
    tmux.session = session;
    const screen = await session.waitForText(/us-east .*CrashLoopBackOff/);
    const rows = screen.split('\n').filter((l) => l.includes('CrashLoopBackOff'));
    expect(rows.length).toBeGreaterThanOrEqual(4);
    expect(new Set(rows.map((r) => r.slice(1))).size).toBe(rows.length);
    for (const row of rows) expect(row).toMatch(/^. (eu-west|us-east) {2}\S+ +\S+/);
    expect(screen).toContain('CONTEXT  NAMESPACE  NAME');

    const first = rows[0]!.includes('eu-west') ? EU : US;
    await session.keys('l');
    await session.waitForText(`Logs ${first}: `);
    await session.escape();
    await session.keys('d');
    await session.waitForText(`Describe ${first}: `);
    await session.escape();
    await session.keys('e');
    await session.waitForText(`Events of ${first}: namespace `);
  });
});
