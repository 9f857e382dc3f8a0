import type { Command, OptionValues } from 'commander';
import { shellQuote } from '../model/kubectl.js';
import { UsageError } from './usage-error.js';

/**
 * The options a subcommand runs with, wherever they were typed: with positional options, a flag before the
 * subcommand's name is parsed by the program, one after it by the subcommand. Both take the shared flags from
 * one definition (main.ts); here the program's are carried over. A flag the subcommand does not take, or one
 * given on both sides with different values, is a usage error: dropping either silently would read another
 * cluster or namespace than the one typed.
 */
export function placedOptions<T extends OptionValues>(command: Command): T {
  const merged: OptionValues = { ...command.opts() };
  const program = command.parent;
  if (!program) return merged as T;
  for (const option of program.options) {
    const key = option.attributeName();
    if (program.getOptionValueSource(key) !== 'cli') continue;
    const flag = option.long ?? option.short ?? key;
    const name = command.name();
    if (!command.options.some((own) => own.attributeName() === key)) {
      throw new UsageError(`${flag} does not go with ${name} (see crashtop ${name} --help)`);
    }
    const before: unknown = program.getOptionValue(key);
    const after: unknown = merged[key];
    if (command.getOptionValueSource(key) === 'cli' && JSON.stringify(before) !== JSON.stringify(after)) {
      throw new UsageError(
        `${flag} is given before and after ${name} with different values (${shown(before)}, then ${shown(after)}): give it once`,
      );
    }
    merged[key] = before;
  }
  return merged as T;
}

function shown(value: unknown): string {
  return Array.isArray(value) ? value.join(' ') : String(value);
}

/**
 * Commander's "unknown option 'X'" from the program for an option one of its subcommands takes (`crashtop --demo
 * -o json`): which subcommand, and the command line that gives it there, when the subcommand takes every option
 * typed. Undefined for any other error.
 */
export function subcommandOptionHint(
  program: Command,
  error: string,
  argv: readonly string[],
): string | undefined {
  const typed = /^error: unknown option '([^']+)'/.exec(error)?.[1];
  if (typed === undefined) return undefined;
  const flag = optionName(typed);
  const owner = program.commands.find((command) => takes(command, flag));
  if (!owner) return undefined;
  const name = owner.name();
  const hint = `${flag} is an option of \`crashtop ${name}\``;
  // The subcommand's name typed after the option (`crashtop -o json explain`) moves to the front.
  const at = argv.indexOf(name);
  const rest = at < 0 ? argv : [...argv.slice(0, at), ...argv.slice(at + 1)];
  const takesAll = rest.filter((arg) => arg.startsWith('-')).every((arg) => takes(owner, optionName(arg)));
  return takesAll ? `${hint}: ${['crashtop', name, ...rest].map(shellQuote).join(' ')}` : hint;
}

/** `--output=json` and `-ojson` name their option before the value. */
function optionName(arg: string): string {
  return arg.startsWith('--') ? arg.split('=')[0]! : arg.slice(0, 2);
}

function takes(command: Command, flag: string): boolean {
  return command.options.some((option) => option.short === flag || option.long === flag);
}
