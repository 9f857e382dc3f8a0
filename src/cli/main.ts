import { Command, CommanderError, InvalidArgumentError, Option } from 'commander';
import { KubeError } from '../kube/errors.js';
import { packageVersion } from '../package-files.js';
import type { ExplainFlags } from './explain-command.js';
import type { Io } from './flags.js';
import type { LiveFlags } from './live-command.js';
import { placedOptions, subcommandOptionHint } from './placed-options.js';
import type { SimCommandOptions } from './sim-command.js';
import { UsageError } from './usage-error.js';

// argv → options → one of the commands of DESIGN.md §1. Every failure ends here as one line on stderr
// and an exit code: 0 success, 1 runtime failure, 2 usage or input error.
// Each command's module is imported when that command runs: the live view's Ink and React and the cluster
// client are most of the program, and `--version`, `--help` or a usage error should not wait for them.

const collect = (value: string, previous: string[]) => [...previous, value];

/** A flag that may be given several times; its help says what applies when it is not given at all. */
function repeatable(flags: string, description: string, whenAbsent: string): Option {
  return new Option(flags, description).argParser(collect).default([], whenAbsent);
}

/**
 * Commander's own "unknown command 'x'" with its "(Did you mean …?)": it gives that only to a program without an
 * action, and the live view is the program's action, so a mistyped command would be an excess argument.
 */
function refuseUnknownCommand(program: Command): never {
  return (program as unknown as { unknownCommand(): never }).unknownCommand();
}

function addCommonOptions(command: Command): Command {
  return command
    .option('--kubeconfig <file>', 'kubeconfig file (default: $KUBECONFIG or ~/.kube/config)')
    .addOption(
      repeatable(
        '--context <name>',
        'kubeconfig context; repeat for several clusters in one view',
        "the kubeconfig's current context",
      ),
    )
    .addOption(repeatable('-n, --namespace <ns>', 'namespace; repeatable', "the context's namespace"))
    .option('-A, --all-namespaces', 'all namespaces')
    .option('-l, --selector <query>', 'label selector, as kubectl takes it (e.g. app=web,tier!=db)')
    .option('--demo', 'use the built-in simulated cluster (no cluster needed)')
    .option('--no-color', 'no colour (also NO_COLOR=1 or TERM=dumb)')
    .option('--ascii', 'no Unicode glyphs (bars, arrows, ellipsis)')
    .addOption(
      new Option('--backoff-initial <duration>', "the kubelet's initial back-off, for estimates").default(
        '10s',
      ),
    )
    .addOption(
      new Option('--backoff-max <duration>', "the kubelet's maximum back-off, for estimates").default('5m'),
    )
    .option('--debug', 'print stack traces on errors');
}

function buildProgram(io: Io, setExit: (code: number) => void, argv: readonly string[]): Command {
  const program = new Command('crashtop')
    .description('Live terminal monitor for Kubernetes pods that crash-loop.')
    .version(packageVersion(), '--version')
    .enablePositionalOptions()
    .showHelpAfterError(false)
    .exitOverride()
    .configureOutput({
      writeOut: (text) => io.stdout.write(text),
      writeErr: (text) => io.stderr.write(text),
      outputError: (text, write) =>
        write(
          `crashtop: ${
            subcommandOptionHint(program, text, argv) ??
            `${text
              .replace(/^error: /, '')
              .trim()
              .replace(/\s*\n\s*/g, ' ')} (see crashtop --help)`
          }\n`,
        ),
    });
  addCommonOptions(program)
    .option('--log-lines <n>', 'lines the log view keeps before dropping the oldest (default 5000)')
    .option('--log-bytes <size>', 'bytes the log view keeps, as a quantity (default 2Mi)')
    .action(async (flags: LiveFlags) => {
      if (program.args.length > 0) refuseUnknownCommand(program);
      const { runLive } = await import('./live-command.js');
      setExit(await runLive(flags, io));
    });

  addCommonOptions(
    program
      .command('explain')
      .description('report why unhealthy pods crash: from the cluster, or from files')
      .argument('[pod]', 'only this pod')
      .addOption(
        new Option('-o, --output <format>', 'output format').choices(['text', 'json']).default('text'),
      )
      .option('--pod <file>', 'read a Pod or a List of Pods (JSON or YAML) instead of the cluster')
      .option('--events <file>', 'with --pod: an EventList (JSON or YAML)')
      .addOption(
        repeatable(
          '--logs <[container=]file>',
          "with --pod: the previous container's log; repeatable",
          'none',
        ),
      ),
  ).action(async (pod: string | undefined, _flags: unknown, command: Command) => {
    const { runExplain } = await import('./explain-command.js');
    setExit(await runExplain(pod, placedOptions<ExplainFlags>(command), io));
  });

  program
    .command('sim')
    .description('serve the simulated cluster on 127.0.0.1 and print a kubeconfig for it')
    .option('--port <n>', 'port (default: a free one)', parseIntFlag('--port'))
    .option('--scenario <file>', 'scenario YAML (default: the built-in demo)')
    .option('--pods <n>', 'generate N pods instead of a scenario', parseIntFlag('--pods'))
    .option('--crashing <m>', 'with --pods: how many of them crash-loop', parseIntFlag('--crashing'))
    .option('--speed <x>', 'time runs X times faster', parseFloatFlag('--speed'))
    .option(
      '--churn <n>',
      'N readiness flips a second over running pods; prints when each flip of one probe pod is sent',
      parseIntFlag('--churn'),
    )
    .option('--request-log <file>', 'write one line per request to FILE: when, how long, status, bytes, path')
    .action(async (_flags: unknown, command: Command) => {
      const { runSimCommand } = await import('./sim-command.js');
      setExit(await runSimCommand(placedOptions<SimCommandOptions>(command), io));
    });
  // Set after the subcommands, which copy the program's settings when made: only the program's operands are
  // looked at, by its action, as a mistyped command.
  return program.allowExcessArguments();
}

function parseIntFlag(flag: string) {
  return (text: string) => {
    if (!/^\d+$/.test(text)) throw new InvalidArgumentError(`${flag} takes a whole number`);
    return Number(text);
  };
}

function parseFloatFlag(flag: string) {
  return (text: string) => {
    const value = Number(text);
    if (!Number.isFinite(value) || value <= 0)
      throw new InvalidArgumentError(`${flag} takes a positive number`);
    return value;
  };
}

export async function main(
  argv: readonly string[],
  io: Io = { stdout: process.stdout, stderr: process.stderr, env: process.env },
): Promise<number> {
  let code = 0;
  const program = buildProgram(
    io,
    (value) => {
      code = value;
    },
    argv,
  );
  try {
    await program.parseAsync([...argv], { from: 'user' });
    return code;
  } catch (error) {
    if (error instanceof CommanderError) {
      return error.code === 'commander.helpDisplayed' || error.code === 'commander.version' ? 0 : 2;
    }
    const debug = argv.includes('--debug');
    if (error instanceof UsageError || error instanceof KubeError) {
      io.stderr.write(`crashtop: ${error.message}\n`);
      if (debug) io.stderr.write(`${error.stack}\n`);
      return error.exitCode;
    }
    const message = error instanceof Error ? error.message : String(error);
    io.stderr.write(
      `crashtop: unexpected error: ${message.split('\n')[0]}${debug ? '' : ' (run with --debug for details)'}\n`,
    );
    if (debug && error instanceof Error) io.stderr.write(`${error.stack}\n`);
    return 1;
  }
}
