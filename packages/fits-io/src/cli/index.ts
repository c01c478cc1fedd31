/**
 * The command-line tools of `@astro/fits-io` (`@astro/fits-io/cli`), each a
 * function of its arguments that resolves to the exit code; the `fits-info`
 * and `fits-header` bins call them.
 *
 * @packageDocumentation
 */
export { runFitsInfo } from './info.js';
export { runFitsHeader } from './header.js';
