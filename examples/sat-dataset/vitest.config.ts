import { defineProject } from 'vitest/config';

export default defineProject({
  test: {
    name: 'example-sat-dataset',
    include: ['test/**/*.test.ts'],
    // The example runs the compiled packages, as a user's script does.
    globalSetup: ['../../pipelines/sat-dataset/test/global-setup.ts'],
    testTimeout: 120_000,
  },
});
