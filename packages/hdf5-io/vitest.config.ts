import { defineProject } from 'vitest/config';

export default defineProject({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    name: 'hdf5-io',
    include: ['test/**/*.test.ts'],
    benchmark: { include: ['bench/**/*.bench.ts'] },
    typecheck: { enabled: true, include: ['test/**/*.test-d.ts'] },
    testTimeout: 120_000,
    hookTimeout: 120_000,
  },
});
