import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import {
  heapSetting,
  hiddenSettings,
  parseGoMemLimit,
  parseJvmSize,
  parsePercent,
  replacedValue,
  withSize,
} from '../../src/model/heap.js';
import type { Container } from '../../src/model/pod.js';

const MiB = 2 ** 20;
const GiB = 2 ** 30;

describe('parseJvmSize', () => {
  it.each([
    ['2g', 2 * GiB],
    ['2G', 2 * GiB],
    ['2048m', 2 * GiB],
    ['1536M', 1536 * MiB],
    ['262144k', 256 * MiB],
    ['2147483648', 2 * GiB],
    ['1t', 2 ** 40],
  ])('%s', (text, bytes) => {
    expect(parseJvmSize(text)).toBe(bytes);
  });

  it.each(['', 'g', '1.5g', '2gb', '-1g', '0', '2 g', '2MiB'])(
    'rejects %j (the JVM refuses it too)',
    (text) => {
      expect(parseJvmSize(text)).toBeUndefined();
    },
  );

  it('reads any count in any unit, either case', () => {
    fc.assert(
      fc.property(
        fc.integer({ min: 1, max: 2 ** 20 }),
        fc.constantFrom(['', 1], ['k', 2 ** 10], ['m', MiB], ['g', GiB]),
        fc.boolean(),
        (count, [unit, size], upper) => {
          const text = `${count}${upper ? unit.toUpperCase() : unit}`;
          expect(parseJvmSize(text)).toBe(count * size);
        },
      ),
    );
  });
});

describe('parsePercent', () => {
  it.each([
    ['75', 75],
    ['75.0', 75],
    ['12.5', 12.5],
    ['100', 100],
  ])('%s', (text, percent) => {
    expect(parsePercent(text)).toBe(percent);
  });

  it.each(['0', '0.0', '101', '75%', '7.5.0', '-5', '', '.5'])('rejects %j', (text) => {
    expect(parsePercent(text)).toBeUndefined();
  });

  it('reads every tenth of a percent as written with toFixed', () => {
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1000 }), (tenths) => {
        expect(parsePercent((tenths / 10).toFixed(1))).toBeCloseTo(tenths / 10, 10);
      }),
    );
  });
});

describe('parseGoMemLimit', () => {
  it.each([
    ['900MiB', 900 * MiB],
    ['1GiB', GiB],
    ['536870912', 512 * MiB],
    ['1024B', 1024],
  ])('%s', (text, bytes) => {
    expect(parseGoMemLimit(text)).toBe(bytes);
  });

  it.each(['off', '1G', '1.5GiB', '1gib', '', '-1MiB'])('rejects %j', (text) => {
    expect(parseGoMemLimit(text)).toBeUndefined();
  });
});

const container = (yaml: string): Container => ({ name: 'app', ...(parse(yaml) as object) });

describe('heapSetting: the setting the runtime obeys', () => {
  it.each([
    ['JAVA_OPTS', 'env: [{name: JAVA_OPTS, value: "-Xms256m -Xmx768m"}]', '-Xmx768m', 'JAVA_OPTS'],
    [
      'the last -Xmx of a variable',
      'env: [{name: JAVA_TOOL_OPTIONS, value: "-Xmx1g -Dx=y -Xmx2g"}]',
      '-Xmx2g',
      'JAVA_TOOL_OPTIONS',
    ],
    [
      'the command line over JAVA_TOOL_OPTIONS',
      'env: [{name: JAVA_TOOL_OPTIONS, value: "-Xmx1g"}]\nargs: ["-Xmx3g", "-jar", "app.jar"]',
      '-Xmx3g',
      'args',
    ],
    [
      '_JAVA_OPTIONS over the command line',
      'env: [{name: _JAVA_OPTIONS, value: "-Xmx512m"}]\ncommand: ["java", "-Xmx3g", "-jar", "app.jar"]',
      '-Xmx512m',
      '_JAVA_OPTIONS',
    ],
    [
      'an explicit heap over MaxRAMPercentage, whatever the order',
      'env: [{name: JAVA_TOOL_OPTIONS, value: "-Xmx1g"}, {name: _JAVA_OPTIONS, value: "-XX:MaxRAMPercentage=90.0"}]',
      '-Xmx1g',
      'JAVA_TOOL_OPTIONS',
    ],
    [
      'MaxRAMPercentage alone',
      'env: [{name: JAVA_TOOL_OPTIONS, value: "-XX:+UseG1GC -XX:MaxRAMPercentage=75.0"}]',
      '-XX:MaxRAMPercentage=75.0',
      'JAVA_TOOL_OPTIONS',
    ],
    [
      '-XX:MaxHeapSize',
      'env: [{name: JAVA_OPTS, value: "-XX:MaxHeapSize=2g"}]',
      '-XX:MaxHeapSize=2g',
      'JAVA_OPTS',
    ],
    ['a shell command line', 'command: ["sh", "-c", "exec java -Xmx2g -jar /app.jar"]', '-Xmx2g', 'command'],
    [
      'NODE_OPTIONS',
      'env: [{name: NODE_OPTIONS, value: "--enable-source-maps --max-old-space-size=4096"}]',
      '--max-old-space-size=4096',
      'NODE_OPTIONS',
    ],
    [
      'node args over NODE_OPTIONS, underscores',
      'env: [{name: NODE_OPTIONS, value: "--max-old-space-size=4096"}]\nargs: ["--max_old_space_size=1024", "server.js"]',
      '--max_old_space_size=1024',
      'args',
    ],
    ['GOMEMLIMIT', 'env: [{name: GOMEMLIMIT, value: "900MiB"}]', 'GOMEMLIMIT=900MiB', 'GOMEMLIMIT'],
    [
      'GOMEMLIMIT from the limit itself',
      'env: [{name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}]',
      'GOMEMLIMIT (from limits.memory)',
      'GOMEMLIMIT',
    ],
  ])('%s', (_, yaml, flag, from) => {
    const setting = heapSetting(container(yaml), GiB);
    expect(setting?.flag).toBe(flag);
    expect('env' in setting!.from ? setting!.from.env : setting!.from.field).toBe(from);
  });

  it.each([
    ['no heap options', 'env: [{name: JAVA_OPTS, value: "-Dfile.encoding=UTF-8"}]'],
    ['an invalid size', 'env: [{name: JAVA_OPTS, value: "-Xmx1.5g"}]'],
    ['an unexpanded reference', 'env: [{name: JAVA_OPTS, value: "-Xmx$(HEAP)"}]'],
    ['GOMEMLIMIT off', 'env: [{name: GOMEMLIMIT, value: "off"}]'],
    [
      'a heap variable from a ConfigMap',
      'env: [{name: JAVA_OPTS, valueFrom: {configMapKeyRef: {name: jvm, key: opts}}}]',
    ],
  ])('none for %s', (_, yaml) => {
    expect(heapSetting(container(yaml), GiB)).toBeUndefined();
  });
});

describe('hiddenSettings', () => {
  it('names where a heap variable comes from, never a Secret key or value', () => {
    const hidden = hiddenSettings(
      container(`env:
- {name: JAVA_OPTS, valueFrom: {configMapKeyRef: {name: jvm-settings, key: opts}}}
- {name: NODE_OPTIONS, valueFrom: {secretKeyRef: {name: node-env, key: hunter2-key}}}
- {name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}
- {name: DB_PASSWORD, valueFrom: {secretKeyRef: {name: db, key: password}}}`),
    );
    expect(hidden).toEqual([
      { env: 'JAVA_OPTS', source: 'ConfigMap jvm-settings (key opts)' },
      { env: 'NODE_OPTIONS', source: 'Secret node-env' },
    ]);
  });
});

describe('rewriting a setting', () => {
  it('writes any MiB-aligned size back in a form the JVM reads as the same size', () => {
    const setting = heapSetting(container('env: [{name: JAVA_OPTS, value: "-Xmx1g"}]'))!;
    fc.assert(
      fc.property(fc.integer({ min: 1, max: 1 << 20 }), (mib) => {
        const flag = withSize(setting, { bytes: mib * MiB });
        expect(parseJvmSize(flag.slice('-Xmx'.length))).toBe(mib * MiB);
      }),
    );
  });

  it('replaces only the setting in the variable, every other option kept as written', () => {
    fc.assert(
      fc.property(
        fc.array(fc.constantFrom('-Dfile.encoding=UTF-8', '-XX:+UseG1GC', '-Xms256m', '-verbose:gc'), {
          maxLength: 4,
        }),
        fc.array(fc.constantFrom('-Duser.timezone=UTC', '-XX:+ExitOnOutOfMemoryError'), { maxLength: 3 }),
        (before, after) => {
          const value = [...before, '-Xmx2g', ...after].join(' ');
          const setting = heapSetting(container(`env: [{name: JAVA_OPTS, value: "${value}"}]`))!;
          expect(replacedValue(setting, '-Xmx768m')).toBe([...before, '-Xmx768m', ...after].join(' '));
        },
      ),
    );
  });

  it.each([
    [
      'env: [{name: JAVA_OPTS, value: "-XX:MaxRAMPercentage=90"}]',
      { percent: 75 },
      '-XX:MaxRAMPercentage=75.0',
    ],
    [
      'env: [{name: NODE_OPTIONS, value: "--max-old-space-size=4096"}]',
      { bytes: 768 * MiB },
      '--max-old-space-size=768',
    ],
    ['env: [{name: GOMEMLIMIT, value: "2GiB"}]', { bytes: 896 * MiB }, 'GOMEMLIMIT=896MiB'],
    ['env: [{name: JAVA_OPTS, value: "-Xmx2g"}]', { bytes: 4 * GiB }, '-Xmx4g'],
  ])('%s → %s', (yaml, size, flag) => {
    expect(withSize(heapSetting(container(yaml))!, size)).toBe(flag);
  });
});
