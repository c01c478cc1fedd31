import { buildOnce } from '@astro/test-support/build-once';

/**
 * CLI, worker-thread and kill tests run the compiled JavaScript (as users
 * do), so build this package and what it depends on first.
 */
export default function setup(): void {
  buildOnce(['pipelines/virac']);
}
