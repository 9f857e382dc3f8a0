import { mkdtemp, rm, writeFile } from 'node:fs/promises';
import { createServer as createHttpServer, type Server as HttpServer, type ServerResponse } from 'node:http';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { sessionPerTest } from '../helpers/demo-in-tmux.js';
import { BIN } from '../helpers/run-cli.js';
import { TmuxSession } from '../helpers/tmux.js';

// A server that accepts the connection and then says nothing looks, for the first list's whole request timeout (a
// minute), like a slow one: `connecting · loading pods… 0 so far`. The built binary in an 80-column terminal must
// say, a few seconds into the silence, how long it has been waiting and for which server; and not while the
// server is still sending, however slowly.

const run = sessionPerTest();
let dir: string;
let closers: (() => Promise<void>)[] = [];

beforeAll(async () => {
  dir = await mkdtemp(join(tmpdir(), 'crashtop-silent-'));
});
afterEach(async () => {
  await Promise.all(closers.map((close) => close()));
  closers = [];
});
afterAll(async () => {
  await rm(dir, { recursive: true, force: true });
});

/** Listens on a free port of 127.0.0.1; the test's end closes it and every connection it took. */
async function listen(server: Server | HttpServer, sockets: Set<Socket>): Promise<number> {
  server.on('connection', (socket: Socket) => {
    sockets.add(socket);
    socket.on('close', () => sockets.delete(socket));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(async () => {
    for (const socket of sockets) socket.destroy();
    await new Promise((resolve) => server.close(resolve));
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('no port');
  return address.port;
}

/** crashtop -A on `server` (a kubeconfig of its own) in an 80×24 pane. */
async function crashtopOn(server: string): Promise<TmuxSession> {
  const kubeconfig = join(dir, `${Date.now()}.kubeconfig`);
  await writeFile(
    kubeconfig,
    [
      'apiVersion: v1',
      'kind: Config',
      'clusters:',
      `- name: silent\n  cluster:\n    server: ${server}\n    insecure-skip-tls-verify: true`,
      'users:',
      '- name: someone\n  user:\n    token: not-a-secret',
      'contexts:',
      '- name: silent\n  context:\n    cluster: silent\n    user: someone',
      'current-context: silent',
      '',
    ].join('\n'),
  );
  run.session = await TmuxSession.start([process.execPath, BIN, '--kubeconfig', kubeconfig, '-A'], {
    width: 80,
    height: 24,
  });
  return run.session;
}

/** The age the header gives the silence, in seconds; undefined while it gives none. */
const waitedSeconds = (screen: string, server: string) => {
  const match = new RegExp(`waiting (\\d+)s for ${server.replace(/[.[\]]/g, '\\$&')}`).exec(screen);
  return match === null ? undefined : Number(match[1]);
};

describe('a server that never answers', () => {
  it('accepts the connection, sends nothing: the header says how long it has waited, and counts on', async () => {
    const sockets = new Set<Socket>();
    const port = await listen(createServer(), sockets);
    const server = `https://127.0.0.1:${port}`;
    const session = await crashtopOn(server);
    const connecting = await session.waitForText('loading pods… 0 so far', 10_000);
    expect(sockets.size).toBeGreaterThan(0);
    expect(connecting).toMatch(/connecting {2}· {2}/);
    const first = await session.waitFor((s) => waitedSeconds(s, server) !== undefined, 15_000, 'waiting');
    const line = first.split('\n').find((l) => l.includes('waiting'))!;
    // All of it on an 80-column line: the state, how long, which server, and the count so far.
    expect(line.trimEnd()).toMatch(
      new RegExp(
        `^connecting {2}· {2}waiting \\d+s for ${server.replace(/\./g, '\\.')} {2}· {2}loading pods… 0 so far$`,
      ),
    );
    const age = waitedSeconds(first, server)!;
    expect(age).toBeGreaterThanOrEqual(3);
    await session.waitFor((s) => (waitedSeconds(s, server) ?? 0) >= age + 2, 10_000, 'the age counting on');
  });
});

describe('a server that answers slowly', () => {
  it('is not said to be silent while its bytes come, and is once they stop', async () => {
    const sockets = new Set<Socket>();
    let dripping = true;
    const answers: ServerResponse[] = [];
    // Every request (pods and events) gets the list's start, then a space (JSON's whitespace) every 400 ms.
    const http = createHttpServer((_, response) => {
      response.writeHead(200, { 'Content-Type': 'application/json' });
      response.write('{"kind":"List","apiVersion":"v1","metadata":{},"items":[');
      answers.push(response);
    });
    const drip = setInterval(() => {
      if (dripping) for (const answer of answers) answer.write(' ');
    }, 400);
    closers.push(async () => clearInterval(drip));
    const port = await listen(http, sockets);
    const server = `http://127.0.0.1:${port}`;
    const session = await crashtopOn(server);
    await session.waitForText('loading pods… 0 so far', 10_000);
    // Twice the silence it takes, bytes coming all along: no word of waiting.
    const until = Date.now() + 6_000;
    while (Date.now() < until) {
      const screen = await session.capture();
      expect(screen, screen).not.toContain('waiting');
      await new Promise((resolve) => setTimeout(resolve, 200));
    }
    expect(answers.length).toBeGreaterThan(0);
    dripping = false;
    const stopped = Date.now();
    const screen = await session.waitFor((s) => waitedSeconds(s, server) !== undefined, 15_000, 'waiting');
    expect(Date.now() - stopped).toBeGreaterThanOrEqual(2_500);
    expect(screen).toContain('loading pods… 0 so far');
  });
});
