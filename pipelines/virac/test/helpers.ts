import { spawn, type ChildProcess } from 'node:child_process';
import { createHash } from 'node:crypto';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { tempDir as makeTempDir } from '@astro/test-support/temp-dir';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

export const PACKAGE_DIR = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');
export const CLI = (name: string) => path.join(PACKAGE_DIR, 'dist', 'cli', `${name}.js`);

/** A temporary directory `virac-<prefix>-XXXXXX`, removed after the calling test file. */
export function tempDir(prefix: string): string {
  return makeTempDir(`virac-${prefix}-`);
}

/** Every file under `dir` (relative paths), recursively. */
export function listFiles(dir: string, base = dir): string[] {
  const out: string[] = [];
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    const p = path.join(dir, e.name);
    if (e.isDirectory()) out.push(...listFiles(p, base));
    else out.push(path.relative(base, p));
  }
  return out.sort();
}

/** sha256 of every CSV under `dir`, keyed by relative path. */
export function csvDigests(dir: string): Map<string, string> {
  const m = new Map<string, string>();
  for (const f of listFiles(dir)) {
    if (f.startsWith('checkpoints') || f.startsWith('logs')) continue;
    m.set(f, createHash('sha256').update(readFileSync(path.join(dir, f))).digest('hex'));
  }
  return m;
}

export function sha256(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

export function size(file: string): number {
  return statSync(file).size;
}

export interface RunResult {
  code: number | null;
  signal: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
}

/** Run a CLI of this package with node; resolves when it exits. */
export function runCli(name: string, args: string[], env: NodeJS.ProcessEnv = {}): { child: ChildProcess; done: Promise<RunResult> } {
  const child = spawn(process.execPath, [CLI(name), ...args], {
    env: { ...process.env, ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout!.on('data', (d) => (stdout += d));
  child.stderr!.on('data', (d) => (stderr += d));
  const done = new Promise<RunResult>((resolve) => child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr })));
  return { child, done };
}
