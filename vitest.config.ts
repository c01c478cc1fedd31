import { defineConfig } from 'vitest/config';

// Vitest resolves the "source" export condition so tests run against src/
// without a watch build (as h5web and zod do); plain node and users get dist/.
export default defineConfig({
  resolve: { conditions: ['source'] },
  ssr: { resolve: { conditions: ['source'] } },
  test: {
    projects: ['packages/*/vitest.config.ts', 'pipelines/*/vitest.config.ts', 'examples/*/vitest.config.ts'],
    reporters: process.env.CI ? ['default'] : ['default'],
  },
});
