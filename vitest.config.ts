import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts', 'test/**/*.test.tsx'],
    // Real-server-only files run in `npm run test:real` (vitest.real.config.ts).
    exclude: ['**/node_modules/**', 'test/**/*.real.test.ts'],
    testTimeout: 30_000,
    hookTimeout: 60_000,
    // expect.poll's own default (1 s) failed a reconnect under a load average of 11 on two cores: real servers,
    // real sockets and real retries are slower then, and a poll that passes waits no longer for it.
    expect: { poll: { timeout: 5_000 } },
    // Two cores: end-to-end files start real processes, so keep the pool small.
    maxWorkers: 2,
    // Component tests render Ink to fake terminals; with CI set, Ink would draw nothing until unmount.
    env: { CI: 'false', CONTINUOUS_INTEGRATION: 'false' },
  },
});
