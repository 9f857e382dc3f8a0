// Which ConfigMaps and Secrets a pod volume mounts, so a FailedMount event can be tied to the spec that asks
// for the missing object; and which volume holds a path a log line names, so a fix can name the volume.
import type { Container, KeyToPath, Volume } from '../pod.js';

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

/** The pod volume that holds a path, as the container mounts it. */
export interface MountedVolume {
  volume: string;
  mountPath: string;
  /** The PersistentVolumeClaim the volume is, when it is one. */
  claim?: string;
}

/** The container's mount whose path holds `path`: the deepest one, as the kernel resolves nested mounts. */
export function volumeHolding(
  container: Container | undefined,
  volumes: readonly Volume[],
  path: string,
): MountedVolume | undefined {
  const holds = (mountPath: string) => {
    const root = mountPath.replace(/\/+$/, '');
    return path === root || path.startsWith(`${root}/`);
  };
  const mount = (container?.volumeMounts ?? [])
    .filter((m) => holds(m.mountPath))
    .sort((a, b) => b.mountPath.length - a.mountPath.length)[0];
  if (!mount) return undefined;
  const claim = volumes.find((v) => v.name === mount.name)?.persistentVolumeClaim?.claimName;
  return { volume: mount.name, mountPath: mount.mountPath, ...(claim ? { claim } : {}) };
}
