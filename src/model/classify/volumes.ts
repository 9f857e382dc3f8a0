// Which ConfigMaps and Secrets a pod volume mounts, so a FailedMount event can be tied to the spec that asks
// for the missing object.
import type { KeyToPath, Volume } from '../pod.js';

export interface ConfigSource {
  kind: 'configmap' | 'secret';
  name: string;
  /** The keys mounted as files; empty when the whole object is mounted. */
  items: readonly KeyToPath[];
  /** Where the spec names it, for evidence: `spec.volumes[cfg].configMap.name`. */
  field: string;
}

/** A volume's own configMap/secret, or the configMap/secret sources of a projected volume. */
export function configSources(volume: Volume): ConfigSource[] {
  const at = `spec.volumes[${volume.name}]`;
  const sources: ConfigSource[] = [];
  if (volume.configMap) {
    const { name, items = [] } = volume.configMap;
    sources.push({ kind: 'configmap', name, items, field: `${at}.configMap.name` });
  }
  if (volume.secret) {
    const { secretName, items = [] } = volume.secret;
    sources.push({ kind: 'secret', name: secretName, items, field: `${at}.secret.secretName` });
  }
  for (const source of volume.projected?.sources ?? []) {
    if (source.configMap) {
      const { name, items = [] } = source.configMap;
      sources.push({ kind: 'configmap', name, items, field: `${at}.projected.sources[].configMap.name` });
    }
    if (source.secret) {
      const { name, items = [] } = source.secret;
      sources.push({ kind: 'secret', name, items, field: `${at}.projected.sources[].secret.name` });
    }
  }
  return sources;
}
