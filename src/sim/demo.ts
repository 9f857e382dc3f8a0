import { fileURLToPath } from 'node:url';
import type { Scenario } from './scenario.js';
import { loadScenario } from './scenario-loader.js';

// The built-in scenario behind `crashtop --demo` and `crashtop sim`. The URL is relative to this module, which
// resolves to the repository's scenarios/ folder from src/sim (vitest) and from dist/sim (the built package).

const DEMO_SCENARIO_URL = new URL('../../scenarios/demo.yaml', import.meta.url);

export function demoScenario(): Promise<Scenario> {
  return loadScenario(fileURLToPath(DEMO_SCENARIO_URL));
}
