import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'photometry',
    include: ['test/**/*.test.ts'],
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    benchmark: { include: ['bench/**/*.bench.ts'] },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
