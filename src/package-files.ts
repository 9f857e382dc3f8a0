import { readFileSync } from 'node:fs';

// The package's own files that the program reads at run time. From src (vitest) and dist (tsc) they are read next
// to the package; the bundler (scripts/bundle.js) swaps this module for one with their text inlined, so the bundle
// and the single executable need no file beside them.

const packageRoot = new URL('../', import.meta.url);

const read = (path: string) => readFileSync(new URL(path, packageRoot), 'utf8');

export const packageVersion = (): string => (JSON.parse(read('package.json')) as { version: string }).version;

/** The built-in scenario behind `crashtop --demo` and `crashtop sim`. */
export const demoScenarioYaml = (): string => read('scenarios/demo.yaml');

/**
 * The built-in scenario as parseScenario reads it, in JSON; undefined here, where it is parsed from the YAML. The
 * bundles carry it parsed when built (scripts/bundle.js): the YAML parse was an eighth of `explain --demo`'s CPU.
 */
export const demoScenarioJson = (): string | undefined => undefined;

/** Where `demoScenarioYaml` comes from, for error messages. */
export const DEMO_SCENARIO_NAME = 'scenarios/demo.yaml';
