import type { TestProject } from 'vitest/node';
import { Testenv } from './testenv.js';

// One real kube-apiserver for the whole `npm run test:real` run: starting it costs ~5 s and ~300 MB, so test files
// share it (each in namespaces of its own, see test/helpers/backend.ts). Fault tests that stop or reconfigure a
// server start a private one.
let env: Testenv | undefined;

export async function setup(project: TestProject): Promise<void> {
  env = await Testenv.create();
  project.provide('testenv', env.info());
}

export async function teardown(): Promise<void> {
  await env?.destroy();
}
