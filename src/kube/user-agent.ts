import { packageVersion } from '../package-files.js';

// How crashtop names itself to the API server, so cluster admins can tell its requests apart in the audit
// log and in apiserver metrics, the way kubectl sends `kubectl/v1.32.4 (linux/amd64) kubernetes/6b3a5ac`.
// The architecture is spelled as Go spells it (amd64, 386), since that is what admins read next to it.

export const crashtopVersion = packageVersion();

const goArch: Readonly<Record<string, string>> = { x64: 'amd64', ia32: '386' };

export function userAgentOf(
  version: string,
  platform: string = process.platform,
  arch: string = process.arch,
  node: string = process.version,
): string {
  return `crashtop/${version} (${platform}/${goArch[arch] ?? arch}) node/${node}`;
}

export const userAgent = userAgentOf(crashtopVersion);
