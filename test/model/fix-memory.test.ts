import { describe, expect, it } from 'vitest';
import { parse } from 'yaml';
import { diagnose } from '../../src/model/classify/index.js';
import type { Container } from '../../src/model/pod.js';
import { loadPodFixture } from './classify/pod-fixture.js';

// The OOM-killed payments-api pod (deployment/payments-api, container app), its container's resources and
// heap settings replaced by each case's YAML, as `kubectl get pod -o yaml` shows a container.
function oomFix(containerYaml: string) {
  const input = loadPodFixture('oom-killed--java-heap');
  const app = input.pod.spec.containers[0]!;
  delete app.env;
  Object.assign(app, parse(containerYaml) as Partial<Container>);
  const cause = diagnose({ ...input, context: 'prod' }).cause!;
  expect(cause.id).toBe('oom-killed');
  return { fix: cause.fix, commands: cause.commands.filter((c) => !/ (logs|describe) /.test(c)) };
}

const kubectl = 'kubectl --context prod';

describe('the OOM fix reads the heap settings', () => {
  it.each([
    {
      name: '-Xmx above the limit: the cause, then the limit raised to fit it or the heap lowered',
      container: `
resources: {limits: {memory: 1Gi}}
env:
- name: JAVA_OPTS
  value: -Xms256m -Xmx2g -Dfile.encoding=UTF-8`,
      fix: [
        '-Xmx2g on a 1Gi limit: the JVM may grow past the limit.',
        'Raise the memory limit of container app in deployment/payments-api to 2560Mi to fit -Xmx2g (kubectl set resources), or lower the heap to -Xmx768m in JAVA_OPTS to fit the 1Gi limit (kubectl set env).',
      ],
      commands: [
        `${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=2560Mi`,
        `${kubectl} set env deployment/payments-api -n shop -c app 'JAVA_OPTS=-Xms256m -Xmx768m -Dfile.encoding=UTF-8'`,
      ],
    },
    {
      name: 'a heap just under the limit leaves too little outside it',
      container: `
resources: {limits: {memory: 1Gi}}
env: [{name: JAVA_TOOL_OPTIONS, value: -Xmx900m}]`,
      fix: [
        '-Xmx900m on a 1Gi limit leaves 124Mi outside the heap, and the JVM needs about 25% more than its heap.',
      ],
      commands: [
        `${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=1152Mi`,
        `${kubectl} set env deployment/payments-api -n shop -c app JAVA_TOOL_OPTIONS=-Xmx768m`,
      ],
    },
    {
      name: 'a heap that fits: limit and heap doubled together',
      container: `
resources: {limits: {memory: 1Gi}}
env: [{name: JAVA_OPTS, value: -Xmx512m}]`,
      fix: [
        'Raise the memory limit of container app in deployment/payments-api from 1Gi to 2Gi (2×) and -Xmx512m to -Xmx1g with it, so the heap keeps its share.',
      ],
      commands: [
        `${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=2Gi`,
        `${kubectl} set env deployment/payments-api -n shop -c app JAVA_OPTS=-Xmx1g`,
      ],
    },
    {
      name: 'MaxRAMPercentage 75.0 grows with the limit',
      container: `
resources: {limits: {memory: 2Gi}}
env: [{name: JAVA_TOOL_OPTIONS, value: -XX:MaxRAMPercentage=75.0}]`,
      fix: ['from 2Gi to 4Gi (2×): -XX:MaxRAMPercentage=75.0 grows the heap with it.'],
      commands: [`${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=4Gi`],
    },
    {
      name: 'MaxRAMPercentage 90 leaves too little: lowered to 75.0',
      container: `
resources: {limits: {memory: 2Gi}}
env: [{name: JAVA_TOOL_OPTIONS, value: -XX:+UseG1GC -XX:MaxRAMPercentage=90}]`,
      fix: [
        '-XX:MaxRAMPercentage=90 on a 2Gi limit leaves 205Mi outside the heap',
        'Set -XX:MaxRAMPercentage=75.0 in JAVA_TOOL_OPTIONS for container app in deployment/payments-api',
      ],
      commands: [
        `${kubectl} set env deployment/payments-api -n shop -c app 'JAVA_TOOL_OPTIONS=-XX:+UseG1GC -XX:MaxRAMPercentage=75.0'`,
      ],
    },
    {
      name: 'Node: --max-old-space-size above the limit',
      container: `
resources: {limits: {memory: 2Gi}}
env: [{name: NODE_OPTIONS, value: --max-old-space-size=4096}]`,
      fix: ['--max-old-space-size=4096 on a 2Gi limit: the Node.js process may grow past the limit.'],
      commands: [
        `${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=5Gi`,
        `${kubectl} set env deployment/payments-api -n shop -c app NODE_OPTIONS=--max-old-space-size=1600`,
      ],
    },
    {
      name: 'Go: GOMEMLIMIT equal to the limit',
      container: `
resources: {limits: {memory: 1Gi}}
env: [{name: GOMEMLIMIT, value: 1GiB}]`,
      fix: ['GOMEMLIMIT=1GiB on a 1Gi limit: the Go runtime may grow past the limit.'],
      commands: [
        `${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=1152Mi`,
        `${kubectl} set env deployment/payments-api -n shop -c app GOMEMLIMIT=896MiB`,
      ],
    },
    {
      name: 'Go: GOMEMLIMIT following the limit cannot be fixed by raising it',
      container: `
resources: {limits: {memory: 1Gi}}
env: [{name: GOMEMLIMIT, valueFrom: {resourceFieldRef: {resource: limits.memory}}}]`,
      fix: [
        'GOMEMLIMIT (from limits.memory) on a 1Gi limit: the Go runtime may grow past the limit. Set GOMEMLIMIT=896MiB for container app',
      ],
      commands: [`${kubectl} set env deployment/payments-api -n shop -c app GOMEMLIMIT=896MiB`],
    },
    {
      name: 'a heap in the args: named, no command to edit args',
      container: `
resources: {limits: {memory: 1Gi}}
args: [-Xmx2g, -jar, /app/payments.jar]`,
      fix: ["or lower the heap to -Xmx768m in the container's args to fit the 1Gi limit."],
      commands: [`${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=2560Mi`],
    },
    {
      name: 'a variable that looks like it holds a secret is not copied: a placeholder stops the paste',
      container: `
resources: {limits: {memory: 1Gi}}
env: [{name: JAVA_OPTS, value: -Xmx2g -Djavax.net.ssl.trustStorePassword=hunter2}]`,
      fix: ['-Xmx2g on a 1Gi limit'],
      commands: [
        `${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=2560Mi`,
        `${kubectl} set env deployment/payments-api -n shop -c app JAVA_OPTS="\${VALUE_OF_JAVA_OPTS_WITH_XMX768M:?fill in <value of JAVA_OPTS with -Xmx768m>}"`,
      ],
    },
    {
      name: 'a heap variable from a ConfigMap or a Secret: said, not guessed, Secret by name only',
      container: `
resources: {limits: {memory: 512Mi}}
env:
- {name: JAVA_OPTS, valueFrom: {configMapKeyRef: {name: jvm-settings, key: java-opts}}}
- {name: _JAVA_OPTIONS, valueFrom: {secretKeyRef: {name: app-env, key: jvm}}}`,
      fix: [
        'from 512Mi to 1Gi (2×), or reduce its memory use.',
        'JAVA_OPTS comes from ConfigMap jvm-settings (key java-opts), which crashtop does not read: if it sets a heap size, keep it below the limit.',
        '_JAVA_OPTIONS comes from Secret app-env, which crashtop does not read',
      ],
      commands: [`${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=1Gi`],
    },
    {
      name: 'no limit: the proposed one fits the heap',
      container: `
resources: {requests: {memory: 256Mi}}
env: [{name: JAVA_OPTS, value: -Xmx2g}]`,
      fix: ['to 2560Mi (it has no memory limit; 2560Mi is a starting point that fits -Xmx2g'],
      commands: [`${kubectl} set resources deployment/payments-api -n shop -c app --limits=memory=2560Mi`],
    },
  ])('$name', ({ container, fix, commands }) => {
    const result = oomFix(container);
    for (const part of fix) expect(result.fix).toContain(part);
    expect(result.commands).toEqual(commands);
  });

  it('never shows a Secret key', () => {
    const { fix, commands } = oomFix(`
resources: {limits: {memory: 512Mi}}
env: [{name: NODE_OPTIONS, valueFrom: {secretKeyRef: {name: node-env, key: hunter2}}}]`);
    expect(JSON.stringify({ fix, commands })).not.toContain('hunter2');
  });
});
