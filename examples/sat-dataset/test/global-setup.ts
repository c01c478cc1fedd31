import { buildOnce } from '@astro/test-support/build-once';

/**
 * The worker and launcher run as child processes with plain node, which
 * resolves @astro/* to dist/: build those packages first.
 */
export default function setup(): void {
  buildOnce(['packages/core', 'packages/gwf', 'packages/hdf5-io', 'packages/checkpoint']);
}
