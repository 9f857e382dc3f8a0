import { execFileSync } from 'node:child_process';
import fc from 'fast-check';
import stringWidth from 'string-width';
import { describe, expect, it } from 'vitest';
import { renderTextReport } from '../../src/cli/report-text.js';
import { commandLine } from '../../src/model/kubectl.js';
import { buildPodReport } from '../../src/model/report.js';
import { loadPodFixture, loadRealFixture } from '../model/classify/pod-fixture.js';

// Evidence is never cut in the JSON, which carries each line whole; the text report wraps it to the terminal,
// breaking a name in the middle only when it is wider than a line. Commands break so that a paste still runs them.
const PULL_ERROR =
  'event Warning Failed: Failed to pull image "local/dummy": rpc error: code = Unknown desc = Error response from daemon: pull access denied for local/dummy, repository does not exist or may require \'docker login\': denied: requested access to the resource is denied';

function report(slug: string) {
  return { pods: [buildPodReport({ ...loadRealFixture(slug), context: '' })] };
}

describe('evidence in the report', () => {
  it('is whole in the JSON, however long', () => {
    expect(report('keda-example-local-dummy-image').pods[0]!.cause?.evidence).toContain(PULL_ERROR);
    const startError = report(
      'splunk-fluentd-aks-serviceaccount-mount-read-only',
    ).pods[0]!.cause!.evidence.find((e) => e.startsWith('event Warning Failed: '));
    expect(startError?.length).toBeGreaterThan(500);
    expect(startError).toMatch(
      /kube-api-access-b6vs7.*rootfs\/run\/secrets: read-only file system: unknown$/,
    );
  });

  it.each([80, 60, 40])('wraps at %i columns without cutting or splitting a name', (width) => {
    const text = renderTextReport(report('keda-example-local-dummy-image'), {
      width,
      color: false,
      nowMs: 0,
    });
    const lines = text.split('\n');
    const names = PULL_ERROR.match(/[a-z0-9][a-z0-9.-]*[a-z0-9]/g) ?? [];
    for (const name of names) expect(lines.some((line) => line.includes(name))).toBe(true);
    const joined = lines.map((line) => line.trim()).join(' ');
    expect(joined.replace(/\s+/g, '')).toContain(PULL_ERROR.replace(/\s+/g, ''));
  });

  it('breaks a word longer than the line after a separator, else at the edge: no line is wider', () => {
    const long = 'registry.example.com/team/very-long-image-name-that-does-not-fit:1.2.3';
    const name = 'a-very-long-pod-name-0123456789-abcdefghij-klmnopqrstuv';
    const pod = report('keda-example-local-dummy-image').pods[0]!;
    pod.cause!.evidence = [`image ${long}`, `pod ${name}`];
    const text = renderTextReport({ pods: [pod] }, { width: 40, color: false, nowMs: 0 });
    expect(text).toContain('registry.example.com/');
    expect(Math.max(...text.split('\n').map((line) => stringWidth(line)))).toBeLessThanOrEqual(40);
    const joined = text.replace(/\s+/g, '');
    expect(joined).toContain(long);
    expect(joined).toContain(name);
  });
});

const IMAGE_200 = `registry.example.com/${'a'.repeat(120)}/${'b'.repeat(40)}:v1.2.3-${'c'.repeat(11)}`;

/** The `run` field's lines as a reader selects them: from the first command on, label column and all. */
function runLines(text: string): string[] {
  const lines = text.split('\n');
  const start = lines.findIndex((line) => line.startsWith('  run '));
  const end = lines.findIndex((line, i) => i > start && line === '');
  return lines.slice(start, end).map((line, i) => (i === 0 ? line.replace(/^ {2}run +/, '') : line));
}

/** What a POSIX shell passes as argv for these lines: each word on its own line, in brackets. */
function argvOf(script: string): string {
  return execFileSync('sh', ['-c', `kubectl() { printf '[%s]\\n' "$@"; }\n${script}`], {
    encoding: 'utf8',
    env: { PATH: process.env.PATH, VALUE_OF_GATEWAY_URL: 'https://gw' },
  });
}

describe('a report with a 200-character image name', () => {
  const pod = report('keda-example-local-dummy-image').pods[0]!;
  pod.cause!.evidence = [`event Warning Failed: Failed to pull image "${IMAGE_200}": not found`];
  pod.cause!.fix = `Fix the image ${IMAGE_200} of container dummy.`;
  pod.cause!.commands = [
    commandLine(['kubectl', 'set', 'image', 'deployment/dummy', '-n', 'default', `dummy=${IMAGE_200}`]),
    commandLine(['kubectl', 'patch', 'deployment/dummy', '-p', JSON.stringify({ spec: { x: IMAGE_200 } })]),
    // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
    'kubectl create configmap c --from-literal=gateway_url="${VALUE_OF_GATEWAY_URL:?fill in <value of gateway_url>}"',
  ];

  it.each([80, 60, 40])('has no line wider than %i columns', (width) => {
    const text = renderTextReport({ pods: [pod] }, { width, color: false, nowMs: 0 });
    expect(Math.max(...text.split('\n').map((line) => stringWidth(line)))).toBeLessThanOrEqual(width);
    expect(text.replace(/\s+/g, '')).toContain(IMAGE_200);
  });

  it.each([80, 40])(
    'prints commands that, selected and pasted at %i columns, run as printed whole',
    (width) => {
      const text = renderTextReport({ pods: [pod] }, { width, color: false, nowMs: 0 });
      const pasted = runLines(text).join('\n');
      expect(pasted).toMatch(/'\\\n'/);
      expect(argvOf(pasted)).toBe(argvOf(pod.cause!.commands.join('\n')));
    },
  );
});

/** Shell-ish words, quoting characters included, as commandLine gets them from a cluster. */
const word = fc.string({
  unit: fc.oneof(
    fc.constantFrom(...'abz09-_/.:=,;&?()[]{}"\'$\\ '),
    fc.constantFrom('日', 'ポ', '🚀', 'é', 'Ж'),
  ),
  minLength: 1,
  maxLength: 250,
});

describe('any report', () => {
  it('has no line wider than the terminal, whatever its words', () => {
    fc.assert(
      fc.property(
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.array(word, { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 32, max: 200 }),
        (evidence, argv, width) => {
          const pod = report('keda-example-local-dummy-image').pods[0]!;
          pod.cause!.evidence = evidence;
          pod.cause!.fix = evidence.join(' ');
          pod.cause!.commands = [commandLine(['kubectl', ...argv])];
          const text = renderTextReport({ pods: [pod] }, { width, color: false, nowMs: 0 });
          for (const line of text.split('\n')) expect(stringWidth(line)).toBeLessThanOrEqual(width);
        },
      ),
    );
  });
});

describe('an empty report', () => {
  it('does not say it looked in a context that could not be read', () => {
    const unreachable = 'cannot reach https://127.0.0.1:1 (context east): connect ECONNREFUSED';
    const text = renderTextReport(
      {
        pods: [],
        scope: [
          { context: 'east', namespaces: ['shop'], pods: 0, notes: [unreachable], failed: true },
          { context: 'west', namespaces: ['shop'], pods: 12, notes: [] },
        ],
      },
      { width: 80, color: false, nowMs: 0 },
    );
    expect(text).toBe(
      `note: ${unreachable}\nNo unhealthy pods found in namespace shop of context west, but see the notes above.\n`,
    );
  });
});

describe('the exit msg field', () => {
  /** A Python job whose termination message holds a progress bar, a DSN with its password and a long line. */
  function podWithMessage(message: string) {
    const input = loadPodFixture('app-error--termination-message-fallback');
    input.pod.status!.containerStatuses![0]!.lastState!.terminated!.message = message;
    return buildPodReport({ ...input, context: 'dev' });
  }
  const MESSAGE = [
    'starting scorer 5.2.0',
    'loading rules 10%\rloading rules 60%\r\u001b[K',
    `connecting to postgres://scorer:Sc0rer-pw@db.finance:5432/rules?${'x'.repeat(150)}`,
    'Traceback (most recent call last):',
    '  File "/app/scorer/main.py", line 22, in <module>',
    'psycopg2.OperationalError: FATAL:  password authentication failed for user "scorer"',
    '',
  ].join('\n');

  it.each([80, 50])('shows the last lines of the message, redacted, each cut at %i columns', (width) => {
    const text = renderTextReport({ pods: [podWithMessage(MESSAGE)] }, { width, color: false, nowMs: 0 });
    const lines = text.split('\n');
    const start = lines.findIndex((line) => line.startsWith('  exit msg  '));
    // The label column takes 12 columns; a line longer than the rest ends with an ellipsis.
    const cut = (line: string) => (line.length > width - 12 ? `${line.slice(0, width - 13)}…` : line);
    expect(lines.slice(start, start + 5).map((line) => line.slice(12))).toEqual([
      cut('loading rules 60%'),
      cut(`connecting to postgres://scorer:<hidden>@db.finance:5432/rules?${'x'.repeat(150)}`),
      cut('Traceback (most recent call last):'),
      cut('  File "/app/scorer/main.py", line 22, in <module>'),
      cut('psycopg2.OperationalError: FATAL:  password authentication failed for user "scorer"'),
    ]);
    expect(lines[start + 5]).not.toMatch(/^ {12}/);
    expect(text).not.toContain('Sc0rer-pw');
    for (const line of lines) expect(stringWidth(line)).toBeLessThanOrEqual(width);
  });

  it('names the container of each line when several containers left one', () => {
    const pod = podWithMessage('boom');
    pod.containers.push({
      ...pod.containers[0]!,
      name: 'sidecar',
      lastExit: { exitCode: 2, terminationMessage: ['bang'] },
    });
    const text = renderTextReport({ pods: [pod] }, { width: 80, color: false, nowMs: 0 });
    expect(text).toContain('  exit msg  scorer: boom\n            sidecar: bang\n');
  });

  it('is not there when no exit left a message', () => {
    const text = renderTextReport(report('keda-example-local-dummy-image'), {
      width: 80,
      color: false,
      nowMs: 0,
    });
    expect(text).not.toContain('exit msg');
  });
});
