import type { Command, OptionValues } from 'commander';
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
