#!/usr/bin/env node
// Test-only child process: sat-worker with a fault injected through
// convertDay's `faults` option (the production CLI has no such flag).
//   node test/fault-worker.mjs --config day.toml --kill-at flush:5:1
import { parseArgs } from 'node:util';
import { convertDay, loadWorkerConfig } from '@astro/sat-dataset';

const { values } = parseArgs({ options: { config: { type: 'string' }, 'kill-at': { type: 'string' } } });
const config = loadWorkerConfig({ file: values.config });
const summary = await convertDay(config, { faults: { killAt: /** @type {import('@astro/sat-dataset').FaultPoint} */ (values['kill-at']) } });
console.log(JSON.stringify({ status: summary.status }));
