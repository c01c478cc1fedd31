/**
 * The command-line tools of `@astro/gwf` (`@astro/gwf/cli`), each a function
 * of its arguments that resolves to the exit code; the `gwf-dump` bin calls
 * it.
 *
 * @packageDocumentation
 */
export { runGwfDump } from './dump.js';
