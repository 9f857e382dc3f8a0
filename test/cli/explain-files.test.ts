import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { mkdtemp, writeFile } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { parse, stringify } from 'yaml';
import { runCli } from '../helpers/run-cli.js';
import { POD_FIXTURES, podFixtureNames } from '../model/classify/pod-fixture.js';

/** The argv a user would type to explain one fixture: the pod, its events and its logs by container. */
function fixtureArgs(name: string): string[] {
  const args = ['explain', '--pod', join(POD_FIXTURES, `${name}.yaml`)];
  const events = join(POD_FIXTURES, `${name}.events.yaml`);
  if (existsSync(events)) args.push('--events', events);
  for (const file of readdirSync(POD_FIXTURES)) {
    if (file.startsWith(`${name}.`) && file.endsWith('.log')) {
      args.push('--logs', `${file.slice(name.length + 1, -'.log'.length)}=${join(POD_FIXTURES, file)}`);
    }
  }
  return args;
}

describe('crashtop explain --pod FILE -o json, the built binary on every fixture', () => {
  // Fixture names start with the cause id the classifier must give: `<cause-id>--<case>`.
  it.each(podFixtureNames())('%s', async (name) => {
    const result = await runCli([...fixtureArgs(name), '-o', 'json']);
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const report = JSON.parse(result.stdout) as { pods: { cause?: { id: string } }[] };
    expect(report.pods[0]?.cause?.id).toBe(name.split('--')[0]);
  });
});

/** `crashtop explain` of a fixture pod whose crashed container's log is `log`. */
async function explainWithLog(log: string | Buffer, more: string[] = []) {
  const file = join(await mkdtemp(join(tmpdir(), 'crashtop-hostile-')), 'hostile.log');
  await writeFile(file, log);
  const pod = join(POD_FIXTURES, 'app-error--python-config-parse.yaml');
  return runCli(['explain', '--pod', pod, '--logs', `scheduler=${file}`, ...more]);
}

describe('the text report', () => {
  it('fits 80 columns and keeps the cause, evidence, fix and commands', async () => {
    const result = await runCli(fixtureArgs('oom-killed--exit-255'));
    expect(result.code).toBe(0);
    for (const line of result.stdout.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(80);
    expect(result.stdout).toMatch(/cause\s+oom-killed \(high\)/);
    expect(result.stdout).toMatch(/evidence\s+lastState\.terminated\.reason: OOMKilled/);
    expect(result.stdout).toMatch(/run\s+kubectl /);
    expect(result.stdout).not.toContain('\x1b');
  });

  it('--demo fits 80 columns, and says its commands name a kubeconfig now gone', async () => {
    const result = await runCli(['explain', '--demo']);
    expect(result.code).toBe(0);
    const lines = result.stdout.split('\n');
    expect(lines.some((line) => stringWidth(line) === 80)).toBe(true);
    // A quoted JSON patch wider than a line goes on from column 0 after a line continuation, not past the edge.
    expect(lines.filter((line) => stringWidth(line) > 80)).toEqual([]);
    expect(result.stdout).toMatch(/'\\\n'/);
    expect(result.stdout).toMatch(/kubeconfig\s+\/\S+\/kubeconfig/);
    expect(result.stdout).toMatch(
      /the kubeconfig that\n\s+the commands above name went with it[\s\S]*`crashtop sim`/,
    );
  });

  it('prints escape sequences and invalid UTF-8 from a log as harmless text', async () => {
    const hostile = Buffer.concat([
      Buffer.from('Error: boom \x1b]52;c;aGVsbG8=\x07 \x1b[2J \x1b]0;pwned\x07 \x9b31m bad byte: '),
      Buffer.from([0xff, 0xfe]),
      Buffer.from(' connect ECONNREFUSED 10.0.0.7:5432\n'),
    ]);
    const result = await explainWithLog(hostile);
    expect(result.code).toBe(0);
    expect(result.stdout).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]/);
    expect(result.stdout).toContain('ECONNREFUSED');
  });

  it('keeps escape sequences from the cluster out of every string of -o json (jq -r would print them)', async () => {
    const result = await explainWithLog(
      'Error: bad \x1b[31mred\x1b[0m msg \x1b]52;c;aGk=\x07 \x9b31m connect ECONNREFUSED\n',
      ['-o', 'json'],
    );
    expect(result.code).toBe(0);
    const strings: string[] = [];
    JSON.parse(result.stdout, (_key, value: unknown) => {
      if (typeof value === 'string') strings.push(value);
      return value;
    });
    expect(strings.join('\n')).toContain('ECONNREFUSED');
    for (const text of strings) expect(text).not.toMatch(/[\x00-\x08\x0b-\x1f\x7f-\x9f]|52;c;/);
  });
});

describe('explain --pod of `kubectl get rs,pods -o yaml`: the ReplicaSets say which one is new', () => {
  const drained = new URL('../fixtures/rollout/drained.yaml', import.meta.url);

  /** The failing pod's fix and evidence, explained from `file`. */
  async function failing(file: string) {
    const result = await runCli(['explain', '--pod', file, '-o', 'json']);
    expect(result.stderr).toBe('');
    const report = JSON.parse(result.stdout) as {
      pods: { name: string; cause?: { fix: string; evidence: string[] } }[];
    };
    return report.pods.find((p) => p.name === 'checkout-7b8d9c5f4-m9n8b')!.cause!;
  }

  it("a drain re-created the old pods: the file's revisions still tell the stuck rollout", async () => {
    const cause = await failing(fileURLToPath(drained));
    expect(cause.fix).toMatch(/^Roll back deployment\/checkout: its new ReplicaSet checkout-7b8d9c5f4 fails/);
    expect(cause.evidence).toContain(
      'ReplicaSet checkout-7b8d9c5f4 is the new one: revision 2 (deployment.kubernetes.io/revision), checkout-6d4cf56db6 is revision 1',
    );
  });

  it('the same pods without their ReplicaSets: no rollback from pod ages that point the other way', async () => {
    const list = parse(readFileSync(drained, 'utf8')) as { items: { kind: string }[] };
    const file = join(await mkdtemp(join(tmpdir(), 'crashtop-pods-only-')), 'pods.yaml');
    await writeFile(file, stringify({ ...list, items: list.items.filter((item) => item.kind === 'Pod') }));
    const cause = await failing(file);
    expect(cause.fix).not.toMatch(/roll/i);
  });
});
