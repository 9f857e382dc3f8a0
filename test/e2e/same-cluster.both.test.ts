import { execFile, execFileSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { promisify } from 'node:util';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { QUESTION_READ_MS } from '../../src/ui/question-guard.js';
import { BACKEND, type Backend, realPrefix, startBackend } from '../helpers/backend.js';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN, runCli } from '../helpers/run-cli.js';
import { standInTools } from '../helpers/standin.js';
import { TmuxSession } from '../helpers/tmux.js';
import { Testenv } from '../real/testenv.js';

// Every command crashtop spawns, shows or copies must reach the cluster its row came from. Two clusters, both
// simulators or both real kube-apiservers (the shared one and one of this file's own, with the same namespace
// names: two real clusters, as prod and staging are; a simulator beside a real server would make the two differ
// in more than their address); the user's kubeconfig names them `prod` and `staging`, while ~/.kube/config and
// a later KUBECONFIG file define another `prod` that points at the wrong one. A kubectl (and helm) stand-in
// first on PATH records the argv and KUBECONFIG of every run; the real kubectl then says which server that argv
// and environment select (`config view --minify`), and it must be the row's.

const run = promisify(execFile);
const realKubectl = execFileSync('sh', ['-c', 'command -v kubectl'], { encoding: 'utf8' }).trim();

let prod: Backend;
let staging: Backend;
let second: Testenv | undefined;
let dir: string;
let home: string;
let standinDir: string;
let record: string;
let team: string;
let decoy: string;
const tmux = sessionPerTest();

interface Run {
  tool: string;
  argv: string[];
  kubeconfigEnv?: string;
}

/** The cluster (server, CA) and user (token) of a backend's own kubeconfig. */
function entriesOf(b: Backend) {
  const config = parse(readFileSync(b.kubeconfigPath, 'utf8')) as {
    clusters: { cluster: Record<string, string> }[];
    users: { user: Record<string, string> }[];
  };
  return { cluster: config.clusters[0]!.cluster, user: config.users[0]!.user };
}

function writeConfig(path: string, entries: { name: string; b: Backend }[], current?: string) {
  writeFileSync(
    path,
    stringify({
      apiVersion: 'v1',
      kind: 'Config',
      clusters: entries.map(({ name, b }) => ({ name, cluster: entriesOf(b).cluster })),
      users: entries.map(({ name, b }) => ({ name: `${name}-user`, user: entriesOf(b).user })),
      contexts: entries.map(({ name }) => ({ name, context: { cluster: name, user: `${name}-user` } })),
      ...(current ? { 'current-context': current } : {}),
    }),
    { mode: 0o600 },
  );
}

beforeAll(async () => {
  const prefix = realPrefix();
  if (BACKEND === 'real') second = await Testenv.create();
  [prod, staging] = await Promise.all([
    startBackend({ speed: 0, prefix }),
    startBackend({ speed: 0, prefix, ...(second ? { testenv: second.info() } : {}) }),
  ]);
  dir = mkdtempSync(join(tmpdir(), 'crashtop-same-cluster-'));
  home = join(dir, 'home');
  mkdirSync(join(home, '.kube'), { recursive: true });
  team = join(dir, 'team.yaml');
  writeConfig(team, [
    { name: 'prod', b: prod },
    { name: 'staging', b: staging },
  ]);
  // Same context name, wrong cluster: what `s` and `x` reached before.
  writeConfig(join(home, '.kube', 'config'), [{ name: 'prod', b: staging }], 'prod');
  decoy = join(dir, 'decoy.yaml');
  writeConfig(decoy, [{ name: 'prod', b: staging }], 'prod');

  record = join(dir, 'runs.jsonl');
  // sh, not node: explain's commands are pasted by the hundred. Fields end with NUL, runs with RS (036).
  standinDir = standInTools(
    join(dir, 'bin'),
    ['kubectl', 'helm'],
    `{ printf '%s\\0' "$(basename "$0")" "\${KUBECONFIG-}" "$@"; printf '\\036'; } >> '${record}'
echo 'stand-in: recorded' >&2
`,
  );
}, 180_000);

afterAll(async () => {
  await Promise.all([prod?.close(), staging?.close()]);
  await second?.destroy();
  rmSync(dir, { recursive: true, force: true });
});

function runs(): Run[] {
  let text = '';
  try {
    text = readFileSync(record, 'utf8');
  } catch {
    return [];
  }
  return text
    .split('\u001e')
    .filter((entry) => entry !== '')
    .map((entry) => {
      const [tool = '', kubeconfigEnv = '', ...argv] = entry.split('\0').slice(0, -1);
      return { tool, argv, ...(kubeconfigEnv ? { kubeconfigEnv } : {}) };
    });
}

const servers = new Map<string, string>();
/** The server a recorded run reaches: its connection flags and KUBECONFIG given to the real kubectl. */
function serverOf(r: Run): string {
  const args: string[] = [];
  for (let i = 0; i < r.argv.length; i++) {
    const word = r.argv[i]!;
    if (word === '--kubeconfig') args.push('--kubeconfig', r.argv[++i]!);
    else if (word === '--context' || word === '--kube-context') args.push('--context', r.argv[++i]!);
  }
  const key = JSON.stringify([args, r.kubeconfigEnv]);
  const known = servers.get(key);
  if (known !== undefined) return known;
  const server = execFileSync(
    realKubectl,
    [...args, 'config', 'view', '--minify', '-o', 'jsonpath={.clusters[0].cluster.server}'],
    {
      encoding: 'utf8',
      env: {
        PATH: process.env.PATH,
        HOME: home,
        ...(r.kubeconfigEnv ? { KUBECONFIG: r.kubeconfigEnv } : {}),
      },
    },
  );
  servers.set(key, server);
  return server;
}

const serverOfContext = (context: string) => entriesOf(context === 'prod' ? prod : staging).cluster.server;

/**
 * Shown or copied commands pasted into another shell: no KUBECONFIG, the stand-ins first on PATH, and each
 * placeholder filled in as the user would (`VALUE_OF_KEY=…`): unfilled, a placeholder stops the command.
 */
async function paste(...commands: string[]): Promise<Run[]> {
  const fill = Object.fromEntries(
    commands.flatMap((c) => [...c.matchAll(/\$\{(\w+):\?/g)].map((m) => [m[1]!, 'filled-in'])),
  );
  const before = runs().length;
  await run('sh', ['-c', commands.join('\n')], {
    env: { PATH: `${standinDir}:${process.env.PATH}`, HOME: home, ...fill },
  });
  const after = runs();
  expect(after.length, `ran: ${commands.join('\n')}`).toBe(before + commands.length);
  return after.slice(before);
}

const setups = [
  {
    name: '--kubeconfig',
    args: () => ['--kubeconfig', team],
    env: (): Record<string, string> => ({}),
  },
  {
    name: 'a KUBECONFIG list whose later file redefines prod',
    args: () => [],
    env: (): Record<string, string> => ({ KUBECONFIG: `${team}:${decoy}` }),
  },
];

describe.each(setups)('the same cluster, always ($name)', (setup) => {
  it('s, x, y and the detail page reach the cluster of the row, in a two-context view', async () => {
    rmSync(record, { force: true });
    // tmux sets PATH (and TERM) in a new pane itself, whatever -e says: `env` sets them for crashtop.
    const env = { HOME: home, PATH: `${standinDir}:${process.env.PATH}`, ...setup.env() };
    const session = await TmuxSession.start(
      [
        'env',
        ...Object.entries(env).map(([k, v]) => `${k}=${v}`),
        process.execPath,
        BIN,
        ...setup.args(),
        '--context',
        'prod',
        '--context',
        'staging',
        '-A',
      ],
      { width: 160, height: 45 },
    );
    tmux.session = session;
    await session.tmux('set-option', '-g', 'set-clipboard', 'on');
    await session.waitForText('CrashLoopBackOff');

    const filterTo = async (text: string, done: (screen: string) => boolean, what: string) => {
      // `/` edits the filter in place: start from none.
      await session.waitFor(
        (s) => {
          if (!s.includes('filter: ')) return true;
          void session.escape();
          return false;
        },
        10_000,
        'no filter',
      );
      await session.keys('/');
      await session.keys('-l', text);
      await session.keys('Enter');
      await session.waitFor((s) => !s.includes('Enter keeps the filter') && done(s), 10_000, what);
    };
    const selectedRow = (screen: string) => screen.split('\n').find((l) => l.startsWith('›')) ?? '';
    for (const context of ['staging', 'prod']) {
      const spawned = runs().length;
      // A shell needs a running container: postgres-0 (healthy, so all pods are shown), in this context.
      await session.keys('a');
      await filterTo('postgres-0', (s) => selectedRow(s).includes('postgres-0'), 'the postgres-0 rows');
      // Rows of the same name sort by context: prod first, staging last.
      await session.keys(context === 'prod' ? 'g' : 'G');
      await session.waitFor((s) => selectedRow(s).includes(context), 10_000, `postgres-0 of ${context}`);
      await session.keys('s');
      await session.waitForText(
        `shell in ${context}: ${prod.ns('payments')}/postgres-0 [postgres]: exited with 0`,
      );

      // The rest on the crash loops of this context.
      await session.keys('a');
      await session.escape();
      await filterTo(
        context,
        (s) =>
          s
            .split('\n')
            .filter((l) => /^[ ›] /.test(l) && l.includes('CrashLoopBackOff'))
            .every((l) => l.includes(context)),
        `only ${context} rows`,
      );
      await session.keys('x');
      await session.waitForText(`in context ${context}, namespace`);
      // A key within QUESTION_READ_MS of the question was typed before it could be read: ignored.
      await new Promise((resolve) => setTimeout(resolve, QUESTION_READ_MS));
      await session.keys('y');
      const debugDone = await session.waitForText(/debug copy .*exited with 0/);
      // The message is the last thing on screen: its command lines follow it, wrapped with ` \`.
      const messageAt = debugDone.lastIndexOf('exited with 0');
      const deleteCommand = debugDone
        .slice(debugDone.indexOf('\n', messageAt) + 1)
        .split('\n')
        .map((l) => l.trim().replace(/ \\$/, ''))
        .filter((l) => l !== '')
        .join(' ');
      expect(deleteCommand).toMatch(/ delete pod \S+-debug -n \S+$/);
      await session.escape();

      await session.keys('y');
      await session.waitForText("sent to the terminal's clipboard");
      const copied = (await session.tmux('show-buffer')).trim();
      expect(copied).toMatch(/kubectl|helm/);

      await session.keys('Enter');
      const detail = await session.waitForText(/Fix: /);
      expect(detail).toContain(`context ${context}: `);
      await session.escape();
      await session.escape();

      const mine = runs().slice(spawned);
      expect(mine.map((r) => r.argv.find((w) => w === 'exec' || w === 'debug'))).toEqual(['exec', 'debug']);
      expect(mine.find((r) => r.argv.includes('debug'))?.argv).toContain('--profile=general');
      const pasted = await paste(copied, deleteCommand);
      for (const r of [...mine, ...pasted]) {
        expect(serverOf(r), `${r.tool} ${r.argv.join(' ')} (KUBECONFIG=${r.kubeconfigEnv})`).toBe(
          serverOfContext(context),
        );
      }
    }
    await session.keys('q');
    expect(await session.waitForExit()).toBe(0);
  }, 90_000);

  it("explain's JSON commands, pasted into another shell, reach the pod's cluster", async () => {
    const result = await runCli(
      ['explain', ...setup.args(), '--context', 'prod', '--context', 'staging', '-A', '-o', 'json'],
      { HOME: home, ...setup.env() },
      30_000,
    );
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      pods: {
        context: string;
        cause?: { commands: string[] };
        containers: { cause?: { commands: string[] } }[];
      }[];
    };
    const contexts = new Set(report.pods.map((p) => p.context));
    expect(contexts).toEqual(new Set(['prod', 'staging']));
    const shown = report.pods.flatMap((pod) =>
      [
        ...new Set([
          ...(pod.cause?.commands ?? []),
          ...pod.containers.flatMap((c) => c.cause?.commands ?? []),
        ]),
      ].map((command) => ({ command, context: pod.context })),
    );
    expect(shown.length).toBeGreaterThan(20);
    // A placeholder left as is stops the command: nothing reaches kubectl.
    const placeholder = shown.find((s) => s.command.includes(':?fill in'))!.command;
    const before = runs().length;
    const unfilled = await run('sh', ['-c', placeholder], {
      env: { PATH: `${standinDir}:${process.env.PATH}`, HOME: home },
    }).catch((error: { code: number; stderr: string }) => error);
    expect(unfilled).toMatchObject({
      code: expect.any(Number),
      stderr: expect.stringContaining(': fill in <'),
    });
    expect(runs().length).toBe(before);
    const ran = await paste(...shown.map((s) => s.command));
    ran.forEach((r, i) => {
      expect(serverOf(r), shown[i]!.command).toBe(serverOfContext(shown[i]!.context));
    });
  }, 120_000);
});
