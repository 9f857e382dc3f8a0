import { spawnSync } from 'node:child_process';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { generateScenario, type RunningSim, startSim } from '../../src/sim/index.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// crashtop in a pod with no kubeconfig reads the service account (client-node's loadFromCluster: the API server
// from KUBERNETES_SERVICE_HOST/PORT, the token and CA from /var/run/secrets/kubernetes.io/serviceaccount, a
// path fixed in client-node). The built binary runs in a mount namespace of its own whose /run (/var/run links
// there) holds the simulator's token and CA, so nothing outside the test sees them; without the right to make
// one (unshare needs CAP_SYS_ADMIN) the test is skipped. The commands it shows must name no context: client-node
// calls it `inClusterContext`, which kubectl in the pod does not know.

const canUnshare = spawnSync('unshare', ['-m', '--propagation', 'private', 'true']).status === 0;
const SERVICE_ACCOUNT = '/run/secrets/kubernetes.io/serviceaccount';
// The files are copied in from the directory given as $1; the rest of the arguments run as they are.
const IN_POD = `mount -t tmpfs crashtop-sa /run && mkdir -p ${SERVICE_ACCOUNT} && cp "$1"/* ${SERVICE_ACCOUNT}/ && shift && exec "$@"`;

let sim: RunningSim;
let dir: string;
const run = sessionPerTest();

beforeAll(async () => {
  sim = await startSim({ scenario: generateScenario({ pods: 300, crashing: 30 }), speed: 0 });
  dir = await mkdtemp(join(tmpdir(), 'crashtop-in-cluster-'));
  const ca = /certificate-authority-data: (\S+)/.exec(await readFile(sim.kubeconfigPath, 'utf8'))![1]!;
  await writeFile(join(dir, 'ca.crt'), Buffer.from(ca, 'base64'));
  await writeFile(join(dir, 'token'), sim.token);
  await writeFile(join(dir, 'namespace'), 'team-01');
});
afterAll(async () => {
  await sim.close();
  await rm(dir, { recursive: true, force: true });
});

describe.skipIf(!canUnshare)('in a pod, on its service account', () => {
  it('`y` and the detail page show kubectl commands without --context', async () => {
    const url = new URL(sim.url);
    const session = await TmuxSession.start(
      [
        'unshare',
        '-m',
        '--propagation',
        'private',
        'sh',
        '-c',
        IN_POD,
        'sh',
        dir,
        'env',
        '-u',
        'KUBECONFIG',
        // No ~/.kube/config: crashtop looks for the service account only when there is no kubeconfig.
        `HOME=${dir}`,
        `KUBERNETES_SERVICE_HOST=${url.hostname}`,
        `KUBERNETES_SERVICE_PORT=${url.port}`,
        process.execPath,
        BIN,
        '-A',
      ],
      { width: 120, height: 30 },
    );
    run.session = session;
    const screen = await session.waitForText('CrashLoopBackOff', 20_000);
    // Named as the commands reach it: client-node's `inClusterContext` is a name no kubectl knows.
    expect(screen.split('\n')[0]).toMatch(/^crashtop {2}· {2}context in-cluster \(service account\)/);
    expect(screen).not.toContain('inClusterContext');

    await session.keys('y');
    const copied = await session.waitForText("sent to the terminal's clipboard (OSC 52):");
    const lines = copied.split('\n');
    const command = lines[lines.findIndex((line) => line.includes('(OSC 52):')) + 1]!.trim();
    expect(command).toMatch(/^kubectl \S/);
    expect(command).not.toMatch(/--context|--kubeconfig|inClusterContext/);

    await session.keys('Enter');
    const detail = await session.waitForText(/^ {2}\$ kubectl /m);
    const commands = detail.split('\n').filter((line) => line.startsWith('  $ '));
    expect(commands.length).toBeGreaterThan(0);
    for (const line of commands) expect(line).not.toMatch(/--context|--kubeconfig|inClusterContext/);
  }, 60_000);
});
