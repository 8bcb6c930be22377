import { defineConfig } from 'vitest/config';

export default defineConfig({
  test: {
    include: ['test/**/*.test.ts'],
    // DynamoDB Local starts once per run (test/support/global-setup.ts); each test file makes its own table.
    globalSetup: ['test/support/global-setup.ts'],
    setupFiles: ['test/support/test-env.ts'],
    pool: 'forks',
    // Generous: on a busy 2-core CI machine (load average above 4) tests that take 3 s on a quiet
    // one have taken over 20 s. No test waits on a timer to order events, so a long limit costs
    // nothing when all is well; it only stops a run that really hangs.
    testTimeout: 90_000,
    hookTimeout: 180_000,
    teardownTimeout: 60_000,
  },
});
