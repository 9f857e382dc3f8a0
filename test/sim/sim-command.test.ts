import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { runSimCommand } from '../../src/cli/sim-command.js';
import { fixturePath } from './sim-fixture.js';

function capture() {
  const stream = new PassThrough();
  let text = '';
  stream.on('data', (chunk: Buffer) => {
    text += chunk.toString();
  });
  return { stream, text: () => text };
}

describe('crashtop sim', () => {
  it('prints a working kubeconfig, serves until stopped, then removes it', async () => {
    const out = capture();
    const err = capture();
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    const exit = runSimCommand(
      { pods: 30, crashing: 5 },
      { stdout: out.stream, stderr: err.stream },
      stopped,
    );
    for (let i = 0; i < 100 && !out.text().includes('kubeconfig:'); i++)
      await new Promise((r) => setTimeout(r, 20));
    const path = /kubeconfig: (\S+)/.exec(out.text())![1]!;
    expect(out.text()).toContain(`export KUBECONFIG=${path}`);
    expect(out.text()).toContain(`crashtop --kubeconfig ${path}`);
    expect(out.text()).toMatch(/30 pods in 1 namespaces/);
    const config = readFileSync(path, 'utf8');
    const server = /server: (\S+)/.exec(config)![1]!;
    const token = /token: (\S+)/.exec(config)![1]!;
    expect(server).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    expect(token.length).toBeGreaterThan(20);
    stop();
    expect(await exit).toBe(0);
    expect(existsSync(path)).toBe(false);
    expect(err.text()).toBe('');
  });

  it('--request-log writes one line per finished request: when, how long, status, bytes, path, user agent', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'crashtop-request-log-'));
    const log = join(dir, 'requests.log');
    const out = capture();
    let stop: () => void = () => {};
    const stopped = new Promise<void>((resolve) => {
      stop = resolve;
    });
    try {
      const exit = runSimCommand(
        { pods: 30, crashing: 5, requestLog: log },
        { stdout: out.stream, stderr: new PassThrough() },
        stopped,
      );
      for (let i = 0; i < 100 && !out.text().includes('kubeconfig:'); i++)
        await new Promise((r) => setTimeout(r, 20));
      const config = readFileSync(/kubeconfig: (\S+)/.exec(out.text())![1]!, 'utf8');
      const server = /server: (\S+)/.exec(config)![1]!;
      const token = /token: (\S+)/.exec(config)![1]!;
      const ca = Buffer.from(/certificate-authority-data: (\S+)/.exec(config)![1]!, 'base64').toString();
      const { Agent, request } = await import('node:https');
      const agent = new Agent({ ca });
      const get = (path: string) =>
        new Promise<number>((resolve, reject) => {
          request(
            `${server}${path}`,
            { agent, headers: { authorization: `Bearer ${token}`, 'user-agent': 'probe/1' } },
            (res) => {
              res.resume();
              res.on('end', () => resolve(res.statusCode ?? 0));
            },
          )
            .on('error', reject)
            .end();
        });
      expect(await get('/api/v1/pods?limit=10&resourceVersion=0')).toBe(200);
      expect(await get('/api/v1/nodes/nowhere')).toBe(404);
      agent.destroy();
      stop();
      expect(await exit).toBe(0);
      const lines = readFileSync(log, 'utf8').trim().split('\n');
      expect(lines).toHaveLength(2);
      expect(lines[0]).toMatch(
        /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z \d+ms 200 \d+ GET \/api\/v1\/pods\?limit=10&resourceVersion=0 "probe\/1"$/,
      );
      expect(lines[1]).toMatch(/ \d+ms 404 \d+ GET \/api\/v1\/nodes\/nowhere "probe\/1"$/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a --request-log it cannot write, exit 2, before starting', async () => {
    const err = capture();
    const out = capture();
    expect(
      await runSimCommand(
        { pods: 5, requestLog: '/nonexistent-dir/requests.log' },
        { stdout: out.stream, stderr: err.stream },
        Promise.resolve(),
      ),
    ).toBe(2);
    expect(err.text()).toMatch(/^crashtop: --request-log \/nonexistent-dir\/requests\.log: ENOENT[^\n]*\n$/);
    expect(out.text()).toBe('');
  });

  it.each([
    [{ scenario: 'x.yaml', pods: 10 }, '--scenario and --pods cannot be combined'],
    [{ crashing: 3 }, '--crashing needs --pods N'],
    [{ pods: 60_000 }, '--pods takes 1 to 50,000, not 60000'],
    [{ pods: 5, crashing: 6 }, '--crashing 6 is more than --pods 5'],
    [{ pods: 5, churn: -1 }, '--churn takes 0 to 10,000 changes a second, not -1'],
  ])('refuses %o with exit 2', async (opts, message) => {
    const err = capture();
    expect(
      await runSimCommand(opts, { stdout: new PassThrough(), stderr: err.stream }, Promise.resolve()),
    ).toBe(2);
    expect(err.text()).toBe(`crashtop: ${message} (see crashtop sim --help)\n`);
  });

  it('reports a bad scenario file with its line, exit 2', async () => {
    const err = capture();
    const bad = fixturePath('bad-scenario.yaml');
    expect(
      await runSimCommand(
        { scenario: bad },
        { stdout: new PassThrough(), stderr: err.stream },
        Promise.resolve(),
      ),
    ).toBe(2);
    expect(err.text()).toBe(
      `crashtop: ${bad}:7: unknown key "replica" in a workload (expected one of: name, kind, replicas, age, labels, metadata, restartPolicy, volumes, initContainers, containers, rollout)\n`,
    );
  });
});
