import { spawnSync } from 'node:child_process';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { wrapCommand } from '../../src/model/command-wrap.js';
import {
  commandLine,
  debugArgv,
  deleteDebugCopyArgv,
  describeArgv,
  execArgv,
  fluxArgv,
  helmArgv,
  kubectlArgv,
  logsArgv,
  shellQuote,
} from '../../src/model/kubectl.js';
import { sanitizeLine } from '../../src/ui/sanitize.js';

const target = { context: 'prod', namespace: 'shop', pod: 'payments-api-7d9f8-abc12', container: 'app' };

describe('the cluster a command reaches', () => {
  it.each([
    {
      name: "no file (kubectl's default)",
      kubeconfig: undefined,
      prefix: ['kubectl', '--context', 'prod'],
    },
    {
      name: 'one file (--kubeconfig, or KUBECONFIG with one file)',
      kubeconfig: ['/home/me/.kube/prod.yaml'],
      prefix: ['kubectl', '--kubeconfig', '/home/me/.kube/prod.yaml', '--context', 'prod'],
    },
    {
      name: 'a KUBECONFIG list, merged as kubectl merges it',
      kubeconfig: ['/a/one.yaml', '/b/two.yaml'],
      prefix: ['env', 'KUBECONFIG=/a/one.yaml:/b/two.yaml', 'kubectl', '--context', 'prod'],
    },
  ])('$name', ({ kubeconfig, prefix }) => {
    const args = ['get', 'pods'];
    expect(kubectlArgv({ context: 'prod', kubeconfig }, args)).toEqual([...prefix, ...args]);
    expect(helmArgv({ context: 'prod', kubeconfig }, ['history', 'web'])).toEqual([
      ...prefix.map((word) => (word === 'kubectl' ? 'helm' : word === '--context' ? '--kube-context' : word)),
      'history',
      'web',
    ]);
    expect(execArgv({ ...target, kubeconfig }).slice(0, prefix.length)).toEqual(prefix);
    expect(debugArgv({ ...target, kubeconfig }).slice(0, prefix.length)).toEqual(prefix);
  });

  it("the pod's service account (in-cluster config): no context, no kubeconfig, for every tool", () => {
    // client-node names the in-cluster context `inClusterContext`; kubectl in the pod knows no such context.
    const cluster = { context: 'inClusterContext', inCluster: true };
    expect(kubectlArgv(cluster, ['get', 'pods'])).toEqual(['kubectl', 'get', 'pods']);
    expect(helmArgv(cluster, ['history', 'web'])).toEqual(['helm', 'history', 'web']);
    expect(fluxArgv(cluster, ['suspend', 'kustomization', 'web'])).toEqual([
      'flux',
      'suspend',
      'kustomization',
      'web',
    ]);
    const inPod = { ...target, ...cluster };
    for (const argv of [execArgv(inPod), debugArgv(inPod), deleteDebugCopyArgv(inPod), describeArgv(inPod)]) {
      expect(argv.slice(0, 2)).toEqual(['kubectl', argv[1]]);
      expect(argv.join(' ')).not.toMatch(/--context|--kubeconfig|KUBECONFIG|inClusterContext/);
    }
    expect(commandLine(logsArgv(inPod, { previous: true }))).toBe(
      'kubectl logs payments-api-7d9f8-abc12 -n shop -c app --previous',
    );
  });

  it('a pasted list still names the files as one shell word', () => {
    const line = commandLine(
      kubectlArgv({ context: 'prod', kubeconfig: ['/my dir/a', '/b'] }, ['get', 'pods']),
    );
    expect(line).toBe("env 'KUBECONFIG=/my dir/a:/b' kubectl --context prod get pods");
  });

  it('the debug copy is deleted in the same cluster', () => {
    expect(deleteDebugCopyArgv({ ...target, kubeconfig: ['/k'] })).toEqual([
      'kubectl',
      '--kubeconfig',
      '/k',
      '--context',
      'prod',
      'delete',
      'pod',
      'payments-api-7d9f8-abc12-debug',
      '-n',
      'shop',
    ]);
  });
});

describe('argv builders', () => {
  it('exec prefers bash and falls back to sh', () => {
    expect(execArgv(target)).toEqual([
      'kubectl',
      '--context',
      'prod',
      'exec',
      '-it',
      '-n',
      'shop',
      'payments-api-7d9f8-abc12',
      '-c',
      'app',
      '--',
      'sh',
      '-c',
      'command -v bash >/dev/null && exec bash || exec sh',
    ]);
  });

  it('debug makes a copy whose container runs sh', () => {
    expect(debugArgv(target)).toEqual([
      'kubectl',
      '--context',
      'prod',
      'debug',
      'payments-api-7d9f8-abc12',
      '-it',
      '--copy-to=payments-api-7d9f8-abc12-debug',
      '--container=app',
      '--profile=general',
      '-n',
      'shop',
      '--',
      'sh',
    ]);
  });

  it('describe and logs, without a context when there is none', () => {
    const local = { namespace: 'shop', pod: 'p', container: 'app' };
    expect(describeArgv(local)).toEqual(['kubectl', 'describe', 'pod', 'p', '-n', 'shop']);
    expect(logsArgv(local, { previous: true, tail: 200 })).toEqual([
      'kubectl',
      'logs',
      'p',
      '-n',
      'shop',
      '-c',
      'app',
      '--previous',
      '--tail=200',
    ]);
    expect(logsArgv({ namespace: 'shop', pod: 'p' }, { follow: true })).toEqual([
      'kubectl',
      'logs',
      'p',
      '-n',
      'shop',
      '-f',
    ]);
  });
});

const utf8 = (text: string) => Buffer.from(text, 'utf8').toString('latin1');

function closing(word: string, from: number): number {
  const end = word.indexOf("'", from);
  if (end < 0) throw new Error(`unterminated quote in ${word}`);
  return end;
}

/**
 * Reads back one shell word made only of bare characters, single-quoted runs and shellQuote's `$'…'` (with `\\`
 * and `\xHH`), as bash would: its UTF-8 bytes, one latin1 character each (a `\xHH` is a byte, not a character).
 */
function unquote(word: string): string {
  let out = '';
  for (let i = 0; i < word.length; ) {
    if (word.startsWith("$'", i)) {
      const end = closing(word, i + 2);
      out += word
        .slice(i + 2, end)
        .split(/(\\x[0-9a-f]{2}|\\\\)/)
        .map((part) =>
          part === '\\\\'
            ? '\\'
            : part.startsWith('\\x')
              ? String.fromCharCode(Number.parseInt(part.slice(2), 16))
              : utf8(part),
        )
        .join('');
      i = end + 1;
    } else if (word[i] === "'") {
      const end = closing(word, i + 1);
      out += utf8(word.slice(i + 1, end));
      i = end + 1;
    } else if (word[i] === '\\') {
      out += utf8(word[i + 1]!);
      i += 2;
    } else {
      const char = String.fromCodePoint(word.codePointAt(i)!);
      out += utf8(char);
      i += char.length;
    }
  }
  return out;
}

// What a terminal must never get: C0 and C1 controls (escape sequences start with one), DEL, bidi overrides.
const RAW = /[\u0000-\u001F\u007F-\u009F\u061C\u200E\u200F\u202A-\u202E\u2066-\u2069]/;

// A context name as a hand-merged kubeconfig can spell it: control bytes, escape sequences, bidi overrides, zero
// widths, quotes, backslashes, non-ASCII, lone surrogates.
const contextName = fc.string({
  unit: fc.oneof(
    fc.constantFrom(
      '\u001b',
      '\u009b',
      '\u0007',
      '\t',
      '\n',
      '\r',
      '\u007f',
      '\u202e',
      '\u200b',
      '\u2028',
      '\ud800',
    ),
    fc.constantFrom("'", '"', '\\', '$', '`', ' ', '[', ';', 'x', '3', '1', 'b', 'é', '日', '🚀'),
    fc.string({ unit: 'binary', minLength: 1, maxLength: 1 }),
  ),
  minLength: 1,
  maxLength: 24,
});

describe('commandLine', () => {
  it.each([
    [['kubectl', 'logs', 'p', '-n', 'shop'], 'kubectl logs p -n shop'],
    [
      ['kubectl', 'set', 'resources', 'deployment/x', '--limits=memory=1Gi'],
      'kubectl set resources deployment/x --limits=memory=1Gi',
    ],
    [
      ['sh', '-c', 'command -v bash >/dev/null && exec bash || exec sh'],
      "sh -c 'command -v bash >/dev/null && exec bash || exec sh'",
    ],
    [['kubectl', 'patch', '-p', '{"a":1}'], `kubectl patch -p '{"a":1}'`],
    [['echo', "it's"], `echo 'it'\\''s'`],
    [['echo', ''], "echo ''"],
    [['echo', '~root', '=cmd', '$HOME', '*', 'a b'], "echo '~root' '=cmd' '$HOME' '*' 'a b'"],
  ])('%j', (argv, line) => {
    expect(commandLine(argv)).toBe(line);
  });

  it('quotes every word that holds a shell metacharacter, and the quoting reads back to the same word', () => {
    const meta = /[\s'"`$\\|&;<>(){}[\]*?!#~^]/;
    fc.assert(
      fc.property(fc.string({ unit: 'binary' }), (arg) => {
        const quoted = shellQuote(arg);
        if (meta.test(arg) || arg === '') expect(quoted).toMatch(/^\$?'/);
        expect(unquote(quoted)).toBe(utf8(arg));
      }),
    );
  });

  it.each([
    ['an escape sequence', 'prod\u001b[31m', "$'prod\\x1b[31m'"],
    ['a C1 CSI and a bell', 'a\u009b2Jb\u0007', "$'a\\xc2\\x9b2Jb\\x07'"],
    ['a bidi override, a quote and a backslash', "eu\u202e'\\", "$'eu\\xe2\\x80\\xae\\x27\\\\'"],
    ['a tab and a newline', 'a\tb\nc', "$'a\\x09b\\x0ac'"],
  ])('a context name with %s is shown ANSI-C quoted, the same text as copied', (_, name, word) => {
    const line = commandLine(kubectlArgv({ context: name }, ['get', 'pods']));
    expect(line).toBe(`kubectl --context ${word} get pods`);
    expect(sanitizeLine(line)).toBe(line);
  });

  it('for any context name: no raw control reaches the screen, shown and copied are one text, and it reads back', () => {
    fc.assert(
      fc.property(contextName, (name) => {
        const line = commandLine(kubectlArgv({ context: name, kubeconfig: ['/k'] }, ['get', 'pods']));
        expect(line).not.toMatch(RAW);
        // The detail view and `y`'s message show the command through the sanitiser; OSC 52 copies it as is.
        expect(sanitizeLine(line)).toBe(line);
        const word = shellQuote(name);
        expect(line).toBe(`kubectl --kubeconfig /k --context ${word} get pods`);
        expect(unquote(word)).toBe(utf8(name));
      }),
    );
  });

  it('bash reads the quoted name back byte for byte, and crashtop runs kubectl with the name itself', () => {
    // No NUL: no argv can carry one (the kernel's strings end there), for kubectl no more than for bash.
    const names = fc.sample(
      contextName.filter((name) => !name.includes('\u0000')),
      { numRuns: 300, seed: 42 },
    );
    const script = names.map((name) => `printf '%s\\0' ${shellQuote(name)}`).join('\n');
    const read = spawnSync('bash', ['-c', script], { env: { PATH: process.env.PATH, LC_ALL: 'C' } });
    expect(read.status).toBe(0);
    expect(read.stdout.toString('latin1').split('\u0000').slice(0, -1)).toEqual(names.map(utf8));
    for (const name of names)
      expect(execArgv({ ...target, context: name }).slice(0, 3)).toEqual(['kubectl', '--context', name]);
  });
});

describe('placeholders', () => {
  const run = (line: string, env: Record<string, string> = {}) =>
    spawnSync('sh', ['-c', line], { encoding: 'utf8', env: { PATH: process.env.PATH, ...env } });

  it.each([
    [
      '--from-literal=DB_URL=<value of DB_URL>',
      'VALUE_OF_DB_URL',
      'postgres://db',
      '--from-literal=DB_URL=postgres://db',
    ],
    [
      JSON.stringify({ stringData: { 'api-key': '<value of api-key>' } }),
      'VALUE_OF_API_KEY',
      "it's",
      JSON.stringify({ stringData: { 'api-key': "it's" } }),
    ],
    [
      '--from-file=app.yaml=<file for app.yaml>',
      'FILE_FOR_APP_YAML',
      '/tmp/a b.yaml',
      '--from-file=app.yaml=/tmp/a b.yaml',
    ],
  ])('%s fails loudly when pasted as is, and runs once %s is set', (word, variable, value, filled) => {
    const line = commandLine(['printf', '%s\\n', word]);
    const unfilled = run(line);
    expect(unfilled.status).not.toBe(0);
    expect(unfilled.stdout).toBe('');
    expect(unfilled.stderr).toContain(`${variable}: fill in <`);
    const done = run(line, { [variable]: value });
    expect(done.stdout).toBe(`${filled}\n`);
  });

  it('a wrapped command keeps a placeholder in one piece', () => {
    const line = commandLine([
      'kubectl',
      'create',
      'configmap',
      'app',
      '--from-literal=DB_URL=<value of DB_URL>',
    ]);
    expect(
      wrapCommand(line, 40)
        .map((l) => l.replace(/ \\$/, ''))
        .join(' '),
    ).toBe(line);
    expect(
      // biome-ignore lint/suspicious/noTemplateCurlyInString: a shell parameter expansion, not a template
      wrapCommand(line, 40).some((l) => l.includes('"${VALUE_OF_DB_URL:?fill in <value of DB_URL>}"')),
    ).toBe(true);
  });
});

describe('a wrapped command', () => {
  it.each([
    [
      'a kubeconfig path with a quote in it',
      ['kubectl', '--kubeconfig', "/tmp/my kc/con'fig", 'get', 'pods'],
    ],
    ['words with quotes and spaces', ['sh', '-c', "echo 'it''s' \\ done", "a'b", 'x y']],
  ])('pasted line by line runs the same argv: %s', (_, argv) => {
    const lines = wrapCommand(commandLine(['printf', '[%s]', ...argv]), 30);
    const pasted = spawnSync('sh', ['-c', lines.join('\n')], { encoding: 'utf8' });
    expect(pasted.stdout).toBe(argv.map((a) => `[${a}]`).join(''));
  });

  it('keeps every character of the command, at any width', () => {
    fc.assert(
      fc.property(
        fc.array(fc.string(), { minLength: 1, maxLength: 6 }),
        fc.integer({ min: 10, max: 80 }),
        (argv, width) => {
          const line = commandLine(argv);
          expect(
            wrapCommand(line, width)
              .map((l) => l.replace(/ \\$/, ''))
              .join(' '),
          ).toBe(line);
        },
      ),
    );
  });
});
