import { request } from 'node:https';
import { gunzipSync } from 'node:zlib';
import { KubeConfig } from '@kubernetes/client-node';
import { afterAll, beforeAll, describe, expect, inject, it } from 'vitest';
import { BACKEND, type Backend, startBackend } from '../helpers/backend.js';
import { compactEtcd } from '../real/etcd.js';

// What a client can see of the API server on the wire, with the same expectations for the simulator (`npm test`)
// and a real kube-apiserver v1.36.3 (`npm run test:real`): how an error is encoded, the headers every answer
// carries, when a body is gzipped, how a watch from a compacted resourceVersion is refused, when bookmarks come.
// Raw HTTPS, so that nothing between the test and the server decodes or retries anything.

const PODS = 100;

let b: Backend;
let kc: KubeConfig;
let namespace: string;

beforeAll(async () => {
  b = await startBackend({ pods: PODS, crashing: 5, speed: 1 });
  kc = new KubeConfig();
  kc.loadFromFile(b.kubeconfigPath);
  namespace = b.ns(b.cluster.scenario.namespaces[0]!.name);
}, 300_000);

afterAll(async () => {
  await b.close();
});

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: Buffer;
  /** Each line of the body with the ms since the request when its chunk arrived. */
  lines: { at: number; text: string }[];
  endedAt: number;
}

async function get(
  path: string,
  headers: Record<string, string> = {},
  onResponse?: () => void,
): Promise<Answer> {
  const options: { headers: Record<string, string> } = {
    headers: { Accept: 'application/json', 'User-Agent': 'crashtop-contract-test', ...headers },
  };
  await kc.applyToHTTPSOptions(options);
  const url = `${kc.getCurrentCluster()!.server}${path}`;
  const began = performance.now();
  return new Promise((resolve, reject) => {
    const req = request(url, options, (res) => {
      onResponse?.();
      const chunks: Buffer[] = [];
      const lines: Answer['lines'] = [];
      let partial = '';
      res.on('data', (chunk: Buffer) => {
        chunks.push(chunk);
        if (res.headers['content-encoding'] !== undefined) return;
        const parts = (partial + chunk.toString('utf8')).split('\n');
        partial = parts.pop()!;
        for (const text of parts) lines.push({ at: performance.now() - began, text });
      });
      res.on('end', () =>
        resolve({
          status: res.statusCode ?? 0,
          headers: res.headers,
          body: Buffer.concat(chunks),
          lines,
          endedAt: performance.now() - began,
        }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function listRv(resource: 'pods' | 'events'): Promise<string> {
  const list = await get(`/api/v1/namespaces/${namespace}/${resource}?limit=1`);
  return (JSON.parse(list.body.toString()) as { metadata: { resourceVersion: string } }).metadata
    .resourceVersion;
}

/** A change the server sees: a pod deleted (its ReplicaSet's pod, so the simulated cluster goes on as before). */
async function changeSomething(): Promise<void> {
  const pod = b.cluster.pods.list().find((p) => p.namespace === b.cluster.scenario.namespaces[0]!.name)!;
  b.cluster.deletePod(pod.namespace, pod.name);
  await b.synced();
}

describe(`the API surface clients see, on ${BACKEND === 'real' ? 'a real kube-apiserver' : 'the simulator'}`, () => {
  it('encodes an error Status byte for byte as the apiserver does, with the headers every answer carries', async () => {
    const answer = await get(`/api/v1/namespaces/${namespace}/pods/nope`);
    expect(answer.status).toBe(404);
    expect(answer.body.toString()).toBe(
      '{"kind":"Status","apiVersion":"v1","metadata":{},"status":"Failure","message":"pods \\"nope\\" not found",' +
        '"reason":"NotFound","details":{"name":"nope","kind":"pods"},"code":404}\n',
    );
    for (const path of [
      `/api/v1/namespaces/${namespace}/pods/nope`,
      `/api/v1/namespaces/${namespace}/pods`,
    ]) {
      const { headers } = path.endsWith('nope') ? answer : await get(path);
      expect(headers['content-type']).toBe('application/json');
      expect(headers['cache-control']).toBe('no-cache, private');
      expect(headers['audit-id']).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
      // Go's server keeps an idle connection 90 s and says nothing; a hint shorter than that would make a Node
      // client drop its idle connections early.
      const hint = /timeout=(\d+)/.exec(String(headers['keep-alive'] ?? ''))?.[1];
      expect(hint === undefined || Number(hint) >= 90, `keep-alive: ${headers['keep-alive']}`).toBe(true);
    }
  });

  it('writes /version indented and without a final newline, API objects compact with one', async () => {
    const version = (await get('/version')).body.toString();
    expect(version).toMatch(/^\{\n {2}"major": "1",\n[\s\S]*\n\}$/);
    expect((await get('/api')).body.toString()).toMatch(/^\{"kind":"APIVersions",[^\n]*\}\n$/);
  });

  it('gzips a body over 128 KiB for a client that asks for gzip, and nothing else', async () => {
    const path = `/api/v1/namespaces/${namespace}/pods`;
    const plain = await get(path);
    expect(plain.body.length).toBeGreaterThan(128 * 1024);
    expect(plain.headers['content-encoding']).toBeUndefined();

    const zipped = await get(path, { 'Accept-Encoding': 'gzip' });
    expect(zipped.headers['content-encoding']).toBe('gzip');
    expect(zipped.headers.vary).toBe('Accept-Encoding');
    expect(zipped.headers['content-length']).toBeUndefined();
    expect(zipped.body.length).toBeLessThan(plain.body.length / 4);
    const names = (body: Buffer) =>
      (JSON.parse(body.toString()) as { items: { metadata: { name: string } }[] }).items.map(
        (p) => p.metadata.name,
      );
    expect(names(gunzipSync(zipped.body))).toEqual(names(plain.body));

    // Among other encodings too; but a token with a q-value is not `gzip` (ContentEncodingSupported).
    expect((await get(path, { 'Accept-Encoding': 'deflate, gzip' })).headers['content-encoding']).toBe(
      'gzip',
    );
    expect(
      (await get(path, { 'Accept-Encoding': 'gzip;q=1.0' })).headers['content-encoding'],
    ).toBeUndefined();
    // Small bodies are not worth it; watch streams never are.
    expect(
      (await get(`${path}?limit=1`, { 'Accept-Encoding': 'gzip' })).headers['content-encoding'],
    ).toBeUndefined();
    const watch = await get(`${path}?watch=true&timeoutSeconds=1`, { 'Accept-Encoding': 'gzip' });
    expect(watch.headers['content-encoding']).toBeUndefined();
    expect(watch.body.length).toBeGreaterThan(128 * 1024);
  });

  it('names the kind once in a list, and in every watch event and single object', async () => {
    const path = `/api/v1/namespaces/${namespace}/pods`;
    const list = JSON.parse((await get(`${path}?limit=2`)).body.toString());
    expect([list.kind, list.apiVersion, list.items.length]).toEqual(['PodList', 'v1', 2]);
    for (const item of list.items) expect(Object.keys(item)).toEqual(['metadata', 'spec', 'status']);
    const one = JSON.parse((await get(`${path}/${list.items[0].metadata.name}`)).body.toString());
    expect([one.kind, one.apiVersion]).toEqual(['Pod', 'v1']);
    const watch = await get(`${path}?watch=true&timeoutSeconds=1`);
    for (const line of watch.lines) {
      const { object } = JSON.parse(line.text);
      expect([object.kind, object.apiVersion]).toEqual(['Pod', 'v1']);
    }
    expect(watch.lines.length).toBeGreaterThan(0);
  });

  it('answers a watch from a compacted resourceVersion with 200 and one ERROR event: 410 Expired', async () => {
    const rv = await listRv('events');
    await changeSomething();
    if (b.kind === 'real') await compactEtcd(inject('testenv').etcdUrl);
    else b.cluster.compactHistory();
    const watch = await get(`/api/v1/namespaces/${namespace}/events?watch=true&resourceVersion=${rv}`);
    expect(watch.status).toBe(200);
    expect(watch.lines.map((line) => JSON.parse(line.text))).toEqual([
      {
        type: 'ERROR',
        object: {
          kind: 'Status',
          apiVersion: 'v1',
          metadata: {},
          status: 'Failure',
          message: 'The resourceVersion for the provided watch is too old.',
          reason: 'Expired',
          code: 410,
        },
      },
    ]);
  });

  it('sends the bookmarks of a short watch just before its end, none at the end, and none to a watch of 2 s', async () => {
    const rv = await listRv('pods');
    const path = `/api/v1/namespaces/${namespace}/pods?watch=true&allowWatchBookmarks=true&resourceVersion=${rv}`;
    const short = get(`${path}&timeoutSeconds=2`);
    // The change comes while the watch is open: one it replays would raise the bar for its bookmarks.
    let opened: () => void = () => {};
    const open = new Promise<void>((resolve) => {
      opened = resolve;
    });
    const watch = get(`${path}&timeoutSeconds=6`, {}, () => opened());
    await open;
    await changeSomething();
    const bookmarks = (await watch).lines.filter((line) => JSON.parse(line.text).type === 'BOOKMARK');
    expect(bookmarks.length).toBeGreaterThan(0);
    for (const { at } of bookmarks) {
      // Due 2 s before the deadline, sent on a 1–1.25 s dispatch tick by whole-second buckets.
      expect(at).toBeGreaterThan(6000 - 3500);
      expect(at).toBeLessThan(6000 - 500);
    }
    expect((await watch).endedAt).toBeGreaterThan(5900);
    expect((await short).lines.filter((line) => JSON.parse(line.text).type === 'BOOKMARK')).toEqual([]);
  });

  it('answers a list at a resourceVersion the server has not reached after 3 s: 504, retry after 1 s', async () => {
    const future = Number(await listRv('pods')) + 1_000_000;
    const list = await get(`/api/v1/namespaces/${namespace}/pods?resourceVersion=${future}`);
    expect(list.status).toBe(504);
    expect(list.headers['retry-after']).toBe('1');
    expect(JSON.parse(list.body.toString())).toMatchObject({
      reason: 'Timeout',
      details: { causes: [{ reason: 'ResourceVersionTooLarge' }], retryAfterSeconds: 1 },
      code: 504,
    });
    expect(list.endedAt).toBeGreaterThan(2900);
  });

  it('keeps a watch from a resourceVersion the server has not reached silent until its end', async () => {
    const watch = await get(
      `/api/v1/namespaces/${namespace}/pods?watch=true&resourceVersion=${Number(await listRv('pods')) + 1_000_000}&timeoutSeconds=2`,
    );
    expect([watch.status, watch.body.length]).toEqual([200, 0]);
    expect(watch.endedAt).toBeGreaterThan(1900);
  });

  // The messages are the real kube-apiserver's (labels.Parse and its validation of keys and values).
  it.each([
    ['app=(', "unable to parse requirement: found '(', expected: identifier"],
    ['app in (a', "unable to parse requirement: found '', expected: ',' or ')'"],
    ['app notin a', "unable to parse requirement: found 'a' expected: '('"],
    ['a b', "unable to parse requirement: found 'b', expected: in, notin, =, ==, !=, gt, lt"],
    ['app=a b', "found 'b', expected: ',' or 'end of string'"],
    ['=x', "found '=', expected: !, identifier, or 'end of string'"],
    ['app,', "found '', expected: identifier after ','"],
    [
      'app=-bad',
      `unable to parse requirement: values[0][app]: Invalid value: "-bad": a valid label must be an empty string or consist of alphanumeric characters, '-', '_' or '.', and must start and end with an alphanumeric character (e.g. 'MyValue',  or 'my_value',  or '12345', regex used for validation is '(([A-Za-z0-9][-A-Za-z0-9_.]*)?[A-Za-z0-9])?')`,
    ],
    [
      'Bad_Key/x=1',
      `unable to parse requirement: <nil>: Invalid value: "Bad_Key/x": prefix part a lowercase RFC 1123 subdomain must consist of lower case alphanumeric characters, '-' or '.', and must start and end with an alphanumeric character (e.g. 'example.com', regex used for validation is '[a-z0-9]([-a-z0-9]*[a-z0-9])?(\\.[a-z0-9]([-a-z0-9]*[a-z0-9])?)*')`,
    ],
  ])('refuses the label selector %j of a list and a watch with 400 BadRequest', async (selector, message) => {
    const query = `labelSelector=${encodeURIComponent(selector)}`;
    for (const path of [
      `/api/v1/pods?${query}&limit=1`,
      `/api/v1/namespaces/${namespace}/pods?${query}&watch=1`,
    ]) {
      const answer = await get(path);
      expect(answer.status).toBe(400);
      expect(JSON.parse(answer.body.toString())).toEqual({
        kind: 'Status',
        apiVersion: 'v1',
        metadata: {},
        status: 'Failure',
        message,
        reason: 'BadRequest',
        code: 400,
      });
    }
  });

  it.each([
    ['metadata.name', "invalid selector: 'metadata.name'; can't understand 'metadata.name'"],
    [
      'metadata.name in (a)',
      "invalid selector: 'metadata.name in (a)'; can't understand 'metadata.name in (a)'",
    ],
    ['foo=bar', 'field label not supported: foo'],
  ])('refuses the field selector %j of a list with 400 BadRequest', async (selector, message) => {
    const answer = await get(`/api/v1/pods?fieldSelector=${encodeURIComponent(selector)}&limit=1`);
    expect(answer.status).toBe(400);
    expect(JSON.parse(answer.body.toString())).toMatchObject({ message, reason: 'BadRequest', code: 400 });
  });

  it.each(['app in ()', 'app>1', 'tier notin (,web)', '!app,tier', 'example.com/app==x'])(
    'takes the label selector %j as the apiserver does',
    async (selector) => {
      const answer = await get(`/api/v1/pods?labelSelector=${encodeURIComponent(selector)}&limit=1`);
      expect(answer.status).toBe(200);
    },
  );
});
