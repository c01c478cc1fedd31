#!/usr/bin/env node
/** The `gwf-dump` bin: see {@link runGwfDump}. */
import { runGwfDump } from './dump.js';

process.exitCode = await runGwfDump();
