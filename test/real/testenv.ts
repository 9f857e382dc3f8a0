import { type ChildProcess, execFile, spawn } from 'node:child_process';
import { generateKeyPairSync } from 'node:crypto';
import { createWriteStream, existsSync } from 'node:fs';
import { mkdtemp, readFile, rm, writeFile } from 'node:fs/promises';
import { request } from 'node:https';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { promisify } from 'node:util';

// A real kube-apiserver v1.36.3 with embedded etcd (test/kube-testenv), started as one process on loopback ports:
// static tokens for an admin and a namespace-limited user, RBAC on, no controllers, no kubelet (the harness plays
// the kubelet: it writes pods/status and events, and serves logs from a fake kubelet endpoint).

const BUILD_SCRIPT = fileURLToPath(new URL('./build-testenv.sh', import.meta.url));
/** The server's parent: it stops the server and removes its folder when this process dies (watchdog.js). */
const WATCHDOG = fileURLToPath(new URL('./watchdog.js', import.meta.url));

export const TOKENS = {
  /** system:masters: passes RBAC, as a cluster-admin kubeconfig does. */
  admin: 'crashtop-admin-token',
  /** No group: may do only what a RoleBinding in a test namespace grants it. */
  limited: 'crashtop-limited-token',
} as const;
export const LIMITED_USER = 'crashtop-limited';

export interface TestenvInfo {
  url: string;
  port: number;
  dir: string;
  /** The serving certificate the apiserver made in its cert dir; reused on restart, so it can be trusted as CA. */
  caFile: string;
  pid: number;
  /** The embedded etcd's client URL (plain HTTP on loopback), for tests that compact it. */
  etcdUrl: string;
}

/** Builds the binary if needed (cached outside the repository) and returns its path. */
export async function testenvBinary(): Promise<string> {
  const { stdout } = await promisify(execFile)('bash', [BUILD_SCRIPT], {
    maxBuffer: 1 << 20,
    timeout: 3_600_000,
  });
  return stdout.trim().split('\n').pop() ?? '';
}

export async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const address = server.address();
      const port = typeof address === 'object' && address ? address.port : 0;
      server.close(() => resolve(port));
    });
  });
}

export interface TestenvOptions {
  /** Extra kube-apiserver flags, e.g. `--watch-cache=false`. */
  extraArgs?: readonly string[];
  /** The kube-testenv binary (default: built or found in the cache by build-testenv.sh). */
  binary?: string;
}

/** One kube-apiserver process; `stop` + `start` restarts it on the same data dir and port. */
export class Testenv {
  private child: ChildProcess | undefined;
  private exited: Promise<void> = Promise.resolve();

  private constructor(
    readonly binary: string,
    readonly dir: string,
    readonly port: number,
    private readonly etcdPorts: [number, number],
    private readonly options: TestenvOptions,
  ) {}

  static async create(options: TestenvOptions = {}): Promise<Testenv> {
    const binary = options.binary ?? (await testenvBinary());
    const dir = await mkdtemp(join(tmpdir(), 'crashtop-testenv-'));
    const { privateKey } = generateKeyPairSync('rsa', {
      modulusLength: 2048,
      privateKeyEncoding: { type: 'pkcs1', format: 'pem' },
      publicKeyEncoding: { type: 'spki', format: 'pem' },
    });
    await writeFile(join(dir, 'sa.key'), privateKey, { mode: 0o600 });
    await writeFile(
      join(dir, 'tokens.csv'),
      `${TOKENS.admin},crashtop-admin,admin-uid,system:masters\n${TOKENS.limited},${LIMITED_USER},limited-uid\n`,
      { mode: 0o600 },
    );
    const env = new Testenv(binary, dir, await freePort(), [await freePort(), await freePort()], options);
    await env.start();
    return env;
  }

  get url(): string {
    return `https://127.0.0.1:${this.port}`;
  }

  get caFile(): string {
    return join(this.dir, 'pki', 'apiserver.crt');
  }

  get etcdUrl(): string {
    return `http://127.0.0.1:${this.etcdPorts[0]}`;
  }

  /** The pid of the server's watchdog (its parent, which passes signals on). */
  get pid(): number {
    return this.child?.pid ?? 0;
  }

  info(): TestenvInfo {
    return {
      url: this.url,
      port: this.port,
      dir: this.dir,
      caFile: this.caFile,
      pid: this.pid,
      etcdUrl: this.etcdUrl,
    };
  }

  /** Starts the process and waits for `/readyz`; returns the milliseconds that took. */
  async start(): Promise<number> {
    const started = Date.now();
    const d = this.dir;
    const args = [
      '--bind-address=127.0.0.1',
      '--advertise-address=127.0.0.1',
      `--secure-port=${this.port}`,
      `--cert-dir=${d}/pki`,
      '--service-cluster-ip-range=10.0.0.0/24',
      '--endpoint-reconciler-type=none',
      '--service-account-issuer=https://kubernetes.default.svc.cluster.local',
      `--service-account-key-file=${d}/sa.key`,
      `--service-account-signing-key-file=${d}/sa.key`,
      `--token-auth-file=${d}/tokens.csv`,
      '--authorization-mode=RBAC',
      '--disable-admission-plugins=ServiceAccount',
      '--allow-privileged=true',
      '--kubelet-preferred-address-types=InternalIP',
      // Without it SIGTERM waits ~60 s for every open watch to time out.
      '--shutdown-watch-termination-grace-period=2s',
      '--profiling=false',
      ...(this.options.extraArgs ?? []),
    ];
    const log = createWriteStream(join(d, 'apiserver.log'), { flags: 'a' });
    // Through the watchdog: a test run killed with SIGKILL runs no teardown, and would leave the server behind.
    // Its stdin is a pipe we never write to and never close: it closes when this process ends, however it ends.
    const child = spawn(process.execPath, [WATCHDOG, d, this.binary, ...args], {
      env: {
        ...process.env,
        TESTENV_DIR: d,
        TESTENV_ETCD_CLIENT_PORT: String(this.etcdPorts[0]),
        TESTENV_ETCD_PEER_PORT: String(this.etcdPorts[1]),
      },
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    child.stdout?.pipe(log);
    child.stderr?.pipe(log);
    this.child = child;
    this.exited = new Promise((resolve) => child.once('exit', () => resolve()));
    const deadline = Date.now() + 120_000;
    while (Date.now() < deadline) {
      if (child.exitCode !== null) {
        const tail = (await readFile(join(d, 'apiserver.log'), 'utf8')).split('\n').slice(-15).join('\n');
        throw new Error(`kube-apiserver exited with ${child.exitCode} before it was ready:\n${tail}`);
      }
      if ((await readyz(this.port)) === 200 && existsSync(this.caFile)) return Date.now() - started;
      await new Promise((r) => setTimeout(r, 200));
    }
    throw new Error(`kube-apiserver not ready after 120 s (log: ${join(d, 'apiserver.log')})`);
  }

  /** SIGTERM and wait for the process to end (the apiserver drains for about 2 s). */
  async stop(): Promise<void> {
    const child = this.child;
    if (!child || child.exitCode !== null) return;
    child.kill('SIGTERM');
    const timer = setTimeout(() => child.kill('SIGKILL'), 20_000);
    await this.exited;
    clearTimeout(timer);
  }

  async destroy(): Promise<void> {
    await this.stop();
    await rm(this.dir, { recursive: true, force: true });
  }
}

function readyz(port: number): Promise<number> {
  return new Promise((resolve) => {
    const req = request(
      { host: '127.0.0.1', port, path: '/readyz', rejectUnauthorized: false, timeout: 2000 },
      (res) => {
        res.resume();
        resolve(res.statusCode ?? 0);
      },
    );
    req.on('error', () => resolve(0));
    req.on('timeout', () => req.destroy());
    req.end();
  });
}
