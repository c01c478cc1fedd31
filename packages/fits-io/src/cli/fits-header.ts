#!/usr/bin/env node
/** The `fits-header` bin: see {@link runFitsHeader}. */
import { runFitsHeader } from './header.js';

process.exitCode = await runFitsHeader();
