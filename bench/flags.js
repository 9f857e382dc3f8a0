// The benchmarks' command lines: `--name VALUE` and `--name` flags of this process, one reader for every script.

const args = () => process.argv.slice(2);

function usageError(message) {
  process.stderr.write(`bench: ${message}\n`);
  process.exit(2);
}

/** `--name VALUE` on the command line, or `fallback` when `--name` is not there. */
export function flagValue(name, fallback) {
  const i = args().indexOf(name);
  if (i < 0) return fallback;
  const value = args()[i + 1];
  if (value === undefined) usageError(`${name} takes a value`);
  return value;
}

/** `--name N` as a number, or `fallback` when `--name` is not there. */
export function numberFlag(name, fallback) {
  const text = flagValue(name, undefined);
  if (text === undefined) return fallback;
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value)) usageError(`${name} takes a number, not "${text}"`);
  return value;
}

/** Whether `--name` is on the command line. */
export const hasFlag = (name) => args().includes(name);
