import { get, type RequestOptions } from 'node:https';
import { resolveContexts } from '../../src/kube/kubeconfig.js';
import type { Pod } from '../../src/model/pod.js';

/**
 * The server's own answer, read without the watchers under test (one unpaged list over plain node:https, with the
 * kubeconfig's CA and token): `context/namespace/name` of every pod of one namespace, or of all of them.
 */
export async function serverPodKeys(kubeconfig: string, namespace: string | undefined): Promise<string[]> {
  const [context] = await resolveContexts({ kubeconfig });
  const path = namespace === undefined ? '/api/v1/pods' : `/api/v1/namespaces/${namespace}/pods`;
  const options: RequestOptions = {};
  await context!.config.applyToHTTPSOptions(options);
  const body = await new Promise<string>((resolve, reject) => {
    get(`${context!.server}${path}`, options, (response) => {
      const chunks: Buffer[] = [];
      response.on('data', (chunk: Buffer) => chunks.push(chunk));
      response.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    }).on('error', reject);
  });
  const list = JSON.parse(body) as { items: Pod[] };
  return list.items.map((pod) => `${context!.name}/${pod.metadata.namespace}/${pod.metadata.name}`).sort();
}
