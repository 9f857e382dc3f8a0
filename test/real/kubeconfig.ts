import { stringify } from 'yaml';
import type { TestenvInfo } from './testenv.js';

/** The context name of every kubeconfig written for the real API server. */
export const REAL_CONTEXT = 'crashtop-real';

/** A kubeconfig for the real server: its self-made serving certificate as CA, a static token as the user. */
export function kubeconfigYaml(
  env: Pick<TestenvInfo, 'url' | 'caFile'>,
  token: string,
  namespace: string,
): string {
  return stringify({
    apiVersion: 'v1',
    kind: 'Config',
    clusters: [{ name: REAL_CONTEXT, cluster: { server: env.url, 'certificate-authority': env.caFile } }],
    users: [{ name: REAL_CONTEXT, user: { token } }],
    contexts: [{ name: REAL_CONTEXT, context: { cluster: REAL_CONTEXT, user: REAL_CONTEXT, namespace } }],
    'current-context': REAL_CONTEXT,
  });
}
