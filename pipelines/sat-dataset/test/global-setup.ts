import { buildOnce } from '@astro/test-support/build-once';

/**
 * The worker and launcher run as child processes with plain node, which
 * resolves @astro/* to dist/: build this package and what it depends on first.
 */
export default function setup(): void {
  buildOnce(['pipelines/sat-dataset']);
}
