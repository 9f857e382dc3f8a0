import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';

// The harness's own client for the real API server (plain node:https, not the code under test): it plays the
// kubelet and the controllers, so it must not share crashtop's bugs.

export class ApiError extends Error {
  constructor(
    readonly status: number,
    readonly body: string,
    what: string,
  ) {
    super(`${what}: HTTP ${status}: ${body.slice(0, 300)}`);
  }
}

export class Api {
  private readonly agent: Agent;

  constructor(
    readonly url: string,
    caFile: string,
    private readonly token: string,
  ) {
    this.agent = new Agent({ ca: readFileSync(caFile), keepAlive: true, maxSockets: 8 });
  }

  async call<T = unknown>(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<T> {
    const { status, text } = await this.raw(method, path, body, contentType);
    if (status < 200 || status >= 300) throw new ApiError(status, text, `${method} ${path}`);
    return (text ? JSON.parse(text) : undefined) as T;
  }

  /** Like `call`, but a 404 (or 409 on create) is an answer, not an error. */
  async tryCall(method: string, path: string, body?: unknown, contentType?: string): Promise<number> {
    const { status, text } = await this.raw(method, path, body, contentType);
    if (status >= 300 && status !== 404 && status !== 409)
      throw new ApiError(status, text, `${method} ${path}`);
    return status;
  }

  mergePatch<T = unknown>(path: string, body: unknown): Promise<T> {
    return this.call<T>('PATCH', path, body, 'application/merge-patch+json');
  }

  raw(
    method: string,
    path: string,
    body?: unknown,
    contentType = 'application/json',
  ): Promise<{ status: number; text: string }> {
    const payload = body === undefined ? undefined : JSON.stringify(body);
    return new Promise((resolve, reject) => {
      const req = request(
        `${this.url}${path}`,
        {
          method,
          agent: this.agent,
          headers: {
            Authorization: `Bearer ${this.token}`,
            Accept: 'application/json',
            ...(payload === undefined
              ? {}
              : { 'Content-Type': contentType, 'Content-Length': Buffer.byteLength(payload) }),
          },
          timeout: 30_000,
        },
        (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({ status: res.statusCode ?? 0, text: Buffer.concat(chunks).toString('utf8') }),
          );
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`${method} ${path}: timed out`)));
      req.on('error', reject);
      req.end(payload);
    });
  }

  close(): void {
    this.agent.destroy();
  }
}
