// The real server's embedded etcd, reached over its plain-HTTP JSON gateway on loopback.

/** Compacts etcd at its current revision (the apiserver does this itself every 5 minutes). */
export async function compactEtcd(etcdUrl: string): Promise<void> {
  const range = (await (
    await fetch(`${etcdUrl}/v3/kv/range`, {
      method: 'POST',
      body: JSON.stringify({ key: Buffer.from('/').toString('base64') }),
    })
  ).json()) as { header: { revision: string } };
  const response = await fetch(`${etcdUrl}/v3/kv/compaction`, {
    method: 'POST',
    body: JSON.stringify({ revision: range.header.revision, physical: true }),
  });
  if (response.status !== 200) throw new Error(`etcd compaction: HTTP ${response.status}`);
}
