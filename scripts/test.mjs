#!/usr/bin/env node
// `pnpm test`: runs vitest (all projects, or the arguments given) and ends
// with one plain summary line, "Tests: N passed, N failed, N skipped", that
// CI systems read. Exits with vitest's exit code.
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
const dir = mkdtempSync(path.join(tmpdir(), 'astro-test-'));
const report = path.join(dir, 'vitest.json');
const vitest = path.join(root, 'node_modules', 'vitest', 'vitest.mjs');
const args = ['run', '--reporter=default', '--reporter=json', `--outputFile.json=${report}`, ...process.argv.slice(2)];
const child = spawn(process.execPath, [vitest, ...args], { cwd: root, stdio: 'inherit' });
child.on('close', (code, signal) => {
  let line = 'Tests: 0 passed, 0 failed (no report: vitest did not finish)';
  try {
    const r = JSON.parse(readFileSync(report, 'utf8'));
    const skipped = (r.numPendingTests ?? 0) + (r.numTodoTests ?? 0);
    line = `Tests: ${r.numPassedTests} passed, ${r.numFailedTests} failed, ${skipped} skipped`;
  } catch {
    // keep the fallback line
  }
  rmSync(dir, { recursive: true, force: true });
  process.stdout.write(`\n${line}\n`);
  process.exit(code ?? (signal ? 1 : 0));
});
