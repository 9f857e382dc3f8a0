import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';

// bench/flags.js, the benchmarks' one flag reader, run as the scripts run it: on a process's own command line.

const FLAGS = fileURLToPath(new URL('../../bench/flags.js', import.meta.url));

/** `expression` (over flagValue, numberFlag, hasFlag) printed as JSON by a node given `args`. */
function read(expression: string, args: string[]) {
  const script = `import { flagValue, numberFlag, hasFlag } from ${JSON.stringify(FLAGS)};
    console.log(JSON.stringify(${expression}));`;
  // With -e there is no script path: argv[1] stands in for it (the scripts read from argv[2] on).
  const result = spawnSync(
    process.execPath,
    ['--input-type=module', '-e', script, 'bench/script.js', ...args],
    {
      encoding: 'utf8',
    },
  );
  return {
    code: result.status,
    value: result.stdout ? JSON.parse(result.stdout) : undefined,
    stderr: result.stderr,
  };
}

describe('the benchmarks flag reader', () => {
  it('reads values, numbers and switches, with defaults for what is not given', () => {
    const { code, value } = read(
      "[flagValue('--json', 'out.json'), flagValue('--server', 'sim'), numberFlag('--pods', 10000), numberFlag('--runs', 3), hasFlag('--quick'), hasFlag('--churn-only')]",
      ['--server', 'real', '--pods', '50000', '--churn-only'],
    );
    expect(code).toBe(0);
    expect(value).toEqual(['out.json', 'real', 50_000, 3, false, true]);
  });

  it.each([
    [['--pods', 'ten'], 'bench: --pods takes a number, not "ten"'],
    [['--pods', ''], 'bench: --pods takes a number, not ""'],
    [['--pods'], 'bench: --pods takes a value'],
  ])('stops with a usage line and exit 2 on %j', (args, line) => {
    const { code, stderr } = read("numberFlag('--pods', 10000)", args);
    expect(code).toBe(2);
    expect(stderr.trim()).toBe(line);
  });
});
