#!/usr/bin/env node
/** The `fits-info` bin: see {@link runFitsInfo}. */
import { runFitsInfo } from './info.js';

process.exitCode = await runFitsInfo();
