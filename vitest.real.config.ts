import { defineConfig } from 'vitest/config';
import base from './vitest.config.js';

// `npm run test:real`: the two-backend files against a real kube-apiserver (test/kube-testenv), plus the tests
// only a real server can run (kubectl's own printers, faults). Files run one at a time: they share one server.
export default defineConfig({
  test: {
    ...base.test,
    include: ['test/**/*.real.test.ts', 'test/**/*.both.test.ts'],
    exclude: ['**/node_modules/**'],
    globalSetup: ['test/real/global-setup.ts'],
    fileParallelism: false,
    testTimeout: 120_000,
    hookTimeout: 180_000,
    env: { ...base.test?.env, CRASHTOP_BACKEND: 'real' },
  },
});
