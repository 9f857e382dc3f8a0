// The fix for an OOM kill, from what the process was told: a heap setting at or near the memory limit is the
// cause (the runtime grows past the limit before it collects hard), and the fix keeps heap and limit
// consistent; otherwise the limit is doubled, with an explicit heap raised alongside so it keeps its share.
import type { ContainerFacts } from './classify/signals.js';
import {
  heapSetting,
  hiddenSettings,
  OVERHEAD,
  RUNTIME_NAME,
  replacedValue,
  showable,
  withSize,
} from './heap.js';
import { commandLine, type KubectlCluster, kubectlArgv } from './kubectl.js';
import { type Owner, workloadRef } from './owner.js';
import { doubleQuantity, formatQuantity, parseQuantity } from './quantity.js';

/** Proposed when the container has no memory limit: enough for a typical service, and said to be a guess. */
const DEFAULT_MEMORY_LIMIT = '512Mi';
/** MaxRAMPercentage that leaves the JVM its usual quarter outside the heap. */
const SAFE_JVM_PERCENT = 75;

export interface MemoryFixInput {
  facts: ContainerFacts;
  /** Set when the owner rolls its pods out again on a template change (so `kubectl set` commands apply). */
  owner?: Owner;
  /** `deployment/x` or `pod p`: where the text says to change things. */
  where: string;
  cluster?: KubectlCluster;
  namespace: string;
}

/** Rounded so a proposed size reads well: 64Mi steps from 1Gi up, 16Mi below (100M steps for decimal limits). */
function step(bytes: number, like: string): number {
  if (!/i$|^\d+$/.test(like)) return 1e8;
  return bytes >= 2 ** 30 ? 64 * 2 ** 20 : 16 * 2 ** 20;
}

function roundUp(bytes: number, like: string): string {
  const unit = step(bytes, like);
  return formatQuantity(Math.ceil(bytes / unit) * unit, like);
}

/** Rounded down in the steps of the limit it must fit. */
function roundDown(bytes: number, limitBytes: number): number {
  const unit = step(limitBytes, 'Mi');
  return Math.floor(bytes / unit) * unit;
}

function mebibytes(bytes: number): string {
  return formatQuantity(Math.round(bytes / 2 ** 20) * 2 ** 20, 'Mi');
}

export function memoryFix(input: MemoryFixInput): { fix: string; commands: string[] } {
  const { facts, owner, where, cluster, namespace: ns } = input;
  const kubectl = (args: string[]) => commandLine(kubectlArgv(cluster, args));
  const setLimit = (limit: string) =>
    owner
      ? [
          kubectl([
            'set',
            'resources',
            workloadRef(owner),
            '-n',
            ns,
            '-c',
            facts.name,
            `--limits=memory=${limit}`,
          ]),
        ]
      : [];
  const limit = facts.spec?.resources?.limits?.memory;
  const limitBytes = limit === undefined ? undefined : parseQuantity(limit);
  const setting = facts.spec ? heapSetting(facts.spec, limitBytes) : undefined;
  const hidden = (facts.spec ? hiddenSettings(facts.spec) : []).map(
    (h) =>
      ` ${h.env} comes from ${h.source}, which crashtop does not read: if it sets a heap size, keep it below the limit.`,
  );
  const container = `container ${facts.name} in ${where}`;

  if (!limit || !limitBytes || !setting) {
    const request = facts.spec?.resources?.requests?.memory;
    const requestBytes = request ? parseQuantity(request) : undefined;
    const heapNeeds =
      setting && 'bytes' in setting.size ? setting.size.bytes * (1 + OVERHEAD[setting.runtime]) : 0;
    const guess = Math.max(requestBytes ? requestBytes * 2 : 0, heapNeeds);
    const proposed =
      (limit && doubleQuantity(limit)) ??
      (guess > 0 ? roundUp(Math.max(guess, 2 ** 29), request ?? 'Mi') : DEFAULT_MEMORY_LIMIT);
    const why = limit
      ? `from ${limit} to ${proposed} (2×)`
      : `to ${proposed} (it has no memory limit; ${proposed} is a starting point${heapNeeds > 0 ? ` that fits ${setting!.flag}` : ''}, size it from kubectl top pod)`;
    return {
      fix: `Raise the memory limit of ${container} ${why}, or reduce its memory use.${hidden.join('')}`,
      commands: setLimit(proposed),
    };
  }

  const runtime = RUNTIME_NAME[setting.runtime];
  const overhead = OVERHEAD[setting.runtime];
  const heapBytes = 'bytes' in setting.size ? setting.size.bytes : (setting.size.percent / 100) * limitBytes;
  const setEnv = (replacement: string): string[] => {
    const value = replacedValue(setting, replacement);
    if (!owner || value === undefined || !('env' in setting.from)) return [];
    const { env } = setting.from;
    // The rest of the variable is copied as written unless it looks like it carries a secret: then the user
    // fills it in (the placeholder makes a pasted command stop rather than set a half value).
    const assignment = showable(value) ? `${env}=${value}` : `${env}=<value of ${env} with ${replacement}>`;
    return [kubectl(['set', 'env', workloadRef(owner), '-n', ns, '-c', facts.name, assignment])];
  };
  const place = 'env' in setting.from ? setting.from.env : `the container's ${setting.from.field}`;
  // GOMEMLIMIT=… names its variable already.
  const inPlace = setting.runtime === 'go' ? '' : ` in ${place}`;

  if (heapBytes * (1 + overhead) > limitBytes) {
    const cause =
      heapBytes >= limitBytes
        ? `${setting.flag} on a ${limit} limit: the ${runtime} may grow past the limit.`
        : `${setting.flag} on a ${limit} limit leaves ${mebibytes(limitBytes - heapBytes)} outside the heap, and the ${runtime} needs about ${overhead * 100}% more than its heap.`;
    if ('percent' in setting.size) {
      const fitting =
        setting.runtime === 'jvm'
          ? withSize(setting, { percent: SAFE_JVM_PERCENT })
          : withSize(setting, { bytes: roundDown(limitBytes / (1 + overhead), limitBytes) });
      const commands = setEnv(fitting);
      return {
        fix: `${cause} Set ${fitting}${inPlace} for ${container}, so that the heap and the rest fit in the limit.${hidden.join('')}`,
        commands,
      };
    }
    const raised = roundUp(heapBytes * (1 + overhead), limit);
    const fittingBytes = roundDown(limitBytes / (1 + overhead), limitBytes);
    const lower = fittingBytes > 0 ? setEnv(withSize(setting, { bytes: fittingBytes })) : [];
    const lowerText =
      fittingBytes > 0
        ? `, or lower the heap to ${withSize(setting, { bytes: fittingBytes })}${inPlace} to fit the ${limit} limit${lower.length > 0 ? ' (kubectl set env)' : ''}`
        : '';
    return {
      fix: `${cause} Raise the memory limit of ${container} to ${raised} to fit ${setting.flag}${owner ? ' (kubectl set resources)' : ''}${lowerText}.${hidden.join('')}`,
      commands: [...setLimit(raised), ...lower],
    };
  }

  const doubled = doubleQuantity(limit)!;
  if ('percent' in setting.size) {
    return {
      fix: `Raise the memory limit of ${container} from ${limit} to ${doubled} (2×): ${setting.flag} grows the heap with it. Or reduce its memory use.${hidden.join('')}`,
      commands: setLimit(doubled),
    };
  }
  const raisedHeap = withSize(setting, { bytes: heapBytes * 2 });
  const heapCommand = setEnv(raisedHeap);
  const how = heapCommand.length > 0 ? '' : inPlace && ` (${inPlace.trim()})`;
  return {
    fix: `Raise the memory limit of ${container} from ${limit} to ${doubled} (2×) and ${setting.flag} to ${raisedHeap}${how} with it, so the heap keeps its share. Or reduce its memory use.${hidden.join('')}`,
    commands: [...setLimit(doubled), ...heapCommand],
  };
}
