import { DEMO_SCENARIO_NAME, demoScenarioJson, demoScenarioYaml } from '../package-files.js';
import type { Scenario } from './scenario.js';
import { parseScenario } from './scenario-loader.js';

/** The built-in scenario behind `crashtop --demo` and `crashtop sim`. */
export async function demoScenario(): Promise<Scenario> {
  const parsed = demoScenarioJson();
  return parsed === undefined
    ? parseScenario(DEMO_SCENARIO_NAME, demoScenarioYaml())
    : (JSON.parse(parsed) as Scenario);
}
