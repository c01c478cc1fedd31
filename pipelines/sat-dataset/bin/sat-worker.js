#!/usr/bin/env node
// Launcher committed in git so that `pnpm install` links the command before
// the first build; the program itself is compiled to dist/cli/sat-worker.js.
import '../dist/cli/sat-worker.js';
