import { readFile, writeFile } from 'node:fs/promises';
import { connect, createServer, type Server, type Socket } from 'node:net';
import { parse, stringify } from 'yaml';

// A TCP proxy on 127.0.0.1 in front of an API server, to break the path between client and server the
// ways real networks do, without either end noticing at once:
// - stall(): every connection open now stops forwarding in both directions and stays open (a load balancer
//   or NAT that dropped the flow, a proxy that hangs): no FIN, no RST, the kernel still ACKs, so TCP
//   keepalive sees nothing wrong either. New connections are forwarded as usual, unless stallNew(true): then
//   they are accepted and stalled too (the link is down); stallNew(false) brings the link back for new
//   connections only, as after a NAT lost its state: the old ones stay dead.
// - refuseNew(true): new connections are reset as soon as they are accepted (the server down, as a proxy in
//   front of it sees it); resetOpen() drops every open one.
// TLS goes through untouched (the proxy never reads it), so a kubeconfig that trusts the server's
// certificate for 127.0.0.1 works through the proxy with only the port changed.

export interface TcpProxy {
  port: number;
  /** Epoch ms of every connection a client opened through the proxy, refused ones included. */
  readonly attempts: readonly number[];
  /** Client connections open now (stalled ones included). */
  openConnections(): number;
  /** Stalled connections the client has not closed yet. */
  stalledOpen(): number;
  /** Bytes forwarded from the server to clients so far, all connections together: what crossed the wire. */
  bytesToClients(): number;
  stall(): void;
  stallNew(stall: boolean): void;
  refuseNew(refuse: boolean): void;
  resetOpen(): void;
  close(): Promise<void>;
}

interface Pair {
  client: Socket;
  upstream: Socket;
  stalled: boolean;
}

export async function startTcpProxy(target: { host?: string; port: number }): Promise<TcpProxy> {
  const pairs = new Set<Pair>();
  const attempts: number[] = [];
  let refusing = false;
  let stallingNew = false;
  let toClients = 0;

  const server: Server = createServer((client) => {
    attempts.push(Date.now());
    if (refusing) {
      client.resetAndDestroy();
      return;
    }
    const upstream = connect(target.port, target.host ?? '127.0.0.1');
    const pair: Pair = { client, upstream, stalled: stallingNew };
    pairs.add(pair);
    const forward = (from: Socket, to: Socket) => {
      from.on('data', (chunk: Buffer) => {
        // A stalled path swallows what arrives: nothing reaches the other end, nothing is closed.
        if (pair.stalled) return;
        if (to === client) toClients += chunk.length;
        to.write(chunk);
      });
      from.on('end', () => {
        if (!pair.stalled) to.end();
      });
    };
    forward(client, upstream);
    forward(upstream, client);
    const drop = () => {
      pairs.delete(pair);
      client.destroy();
      upstream.destroy();
    };
    client.on('error', drop);
    upstream.on('error', drop);
    // A stalled pair stays listed when the client gives up on it, so close() can still free its upstream.
    client.on('close', () => {
      if (!pair.stalled) drop();
    });
    upstream.on('close', () => {
      if (!pair.stalled) drop();
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => resolve());
  });
  const address = server.address();
  if (address === null || typeof address === 'string') throw new Error('the proxy has no TCP address');

  return {
    port: address.port,
    attempts,
    openConnections: () => [...pairs].filter((pair) => !pair.client.destroyed).length,
    stalledOpen: () => [...pairs].filter((pair) => pair.stalled && !pair.client.destroyed).length,
    bytesToClients: () => toClients,
    stall() {
      for (const pair of pairs) pair.stalled = true;
    },
    stallNew(stall) {
      stallingNew = stall;
    },
    refuseNew(refuse) {
      refusing = refuse;
    },
    resetOpen() {
      for (const pair of [...pairs]) {
        pairs.delete(pair);
        pair.client.resetAndDestroy();
        pair.upstream.destroy();
      }
    },
    async close() {
      for (const pair of pairs) {
        pair.client.destroy();
        pair.upstream.destroy();
      }
      pairs.clear();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
  };
}

/** A copy of a one-cluster kubeconfig (beside it) whose server is the proxy: the same certificate and token. */
export async function proxiedKubeconfig(kubeconfigPath: string, proxy: TcpProxy): Promise<string> {
  const config = parse(await readFile(kubeconfigPath, 'utf8')) as {
    clusters: { cluster: { server: string } }[];
  };
  config.clusters[0]!.cluster.server = `https://127.0.0.1:${proxy.port}`;
  const proxied = `${kubeconfigPath}.proxied-${proxy.port}`;
  await writeFile(proxied, stringify(config), { mode: 0o600 });
  return proxied;
}
