import { DEMO_SCENARIO_NAME, demoScenarioYaml } from '../package-files.js';
import type { Scenario } from './scenario.js';
import { parseScenario } from './scenario-loader.js';

/** The built-in scenario behind `crashtop --demo` and `crashtop sim`. */
export async function demoScenario(): Promise<Scenario> {
  return parseScenario(DEMO_SCENARIO_NAME, demoScenarioYaml());
}
