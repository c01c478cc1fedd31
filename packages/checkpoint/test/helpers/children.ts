/**
 * Child processes for the multi-process tests. Node 20 cannot run the
 * TypeScript sources directly, so the sources of @astro/core and
 * @astro/checkpoint are transpiled once (typescript.transpileModule, no type
 * check) into a temporary directory that `child.mjs` imports: the children run the
 * current src/, never a stale dist/.
 */
import { spawn } from 'node:child_process';
import type { ChildProcess } from 'node:child_process';
import { mkdtempSync, promises as fsp } from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import ts from 'typescript';
import { afterAll, afterEach } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const packagesDir = path.resolve(here, '../../..');

let built: Promise<string> | undefined;
let builtDir: string | undefined;

// Registered in the suite of the test (or bench) file that imports this module.
afterAll(async () => {
  if (builtDir !== undefined) await fsp.rm(builtDir, { recursive: true, force: true });
});

async function transpileTree(srcDir: string, outDir: string, coreIndex: string | undefined): Promise<void> {
  for (const entry of await fsp.readdir(srcDir, { withFileTypes: true })) {
    const src = path.join(srcDir, entry.name);
    if (entry.isDirectory()) {
      await transpileTree(src, path.join(outDir, entry.name), coreIndex);
      continue;
    }
    if (!entry.name.endsWith('.ts')) continue;
    const out = path.join(outDir, entry.name.replace(/\.ts$/, '.js'));
    let { outputText } = ts.transpileModule(await fsp.readFile(src, 'utf8'), {
      compilerOptions: { module: ts.ModuleKind.ESNext, target: ts.ScriptTarget.ES2022, verbatimModuleSyntax: true },
      fileName: src,
    });
    if (coreIndex !== undefined) {
      let rel = path.relative(path.dirname(out), coreIndex).split(path.sep).join('/');
      if (!rel.startsWith('.')) rel = `./${rel}`;
      outputText = outputText.replaceAll(`'@astro/core'`, `'${rel}'`).replaceAll(`"@astro/core"`, `"${rel}"`);
    }
    await fsp.mkdir(path.dirname(out), { recursive: true });
    await fsp.writeFile(out, outputText);
  }
}

/** Path of the transpiled @astro/checkpoint index.js (built once per test file). */
export function buildForChildren(): Promise<string> {
  built ??= (async () => {
    // Inside core's node_modules so that core's own dependencies (papaparse)
    // resolve from the transpiled files as they do from core's sources.
    const out = mkdtempSync(path.join(packagesDir, 'core', 'node_modules', '.ckpt-child-build-'));
    builtDir = out;
    await fsp.writeFile(path.join(out, 'package.json'), '{"type":"module"}');
    const coreIndex = path.join(out, 'core', 'index.js');
    await transpileTree(path.join(packagesDir, 'core', 'src'), path.join(out, 'core'), undefined);
    await transpileTree(path.join(packagesDir, 'checkpoint', 'src'), path.join(out, 'checkpoint'), coreIndex);
    return path.join(out, 'checkpoint', 'index.js');
  })();
  return built;
}

/** A running child: its stdout lines (JSON parsed) as they come. */
export interface Child {
  proc: ChildProcess;
  messages: Record<string, unknown>[];
  stderr: () => string;
  /** Resolve with the first message satisfying `pred` (rejects on exit or timeout). */
  waitFor(pred: (m: Record<string, unknown>) => boolean, timeoutMs?: number): Promise<Record<string, unknown>>;
  exited: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
  kill(signal: NodeJS.Signals): Promise<void>;
}

/** Start `child.mjs <mode>` with `config` (JSON in argv). */
export async function startChild(mode: string, config: Record<string, unknown>): Promise<Child> {
  const modulePath = await buildForChildren();
  const proc = spawn(process.execPath, [path.join(here, 'child.mjs'), mode, JSON.stringify(config)], {
    env: { ...process.env, CKPT_MODULE: modulePath },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const messages: Record<string, unknown>[] = [];
  const waiters = new Set<() => void>();
  let err = '';
  let buffer = '';
  proc.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
    buffer += chunk;
    let nl: number;
    while ((nl = buffer.indexOf('\n')) >= 0) {
      const line = buffer.slice(0, nl);
      buffer = buffer.slice(nl + 1);
      if (line.trim() !== '') messages.push(JSON.parse(line) as Record<string, unknown>);
    }
    for (const w of waiters) w();
  });
  proc.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    err += chunk;
  });
  let done = false;
  const exited = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) => {
    proc.on('exit', (code, signal) => {
      done = true;
      for (const w of waiters) w();
      resolve({ code, signal });
    });
  });
  const child: Child = {
    proc,
    messages,
    stderr: () => err,
    exited,
    waitFor(pred, timeoutMs = 20_000) {
      return new Promise((resolve, reject) => {
        const check = (): void => {
          const found = messages.find(pred);
          if (found) {
            cleanup();
            resolve(found);
          } else if (done) {
            cleanup();
            reject(new Error(`child ${mode} exited before the awaited message; stderr: ${err}`));
          }
        };
        const timer = setTimeout(() => {
          cleanup();
          reject(new Error(`child ${mode}: timed out after ${timeoutMs} ms; messages ${JSON.stringify(messages)}; stderr: ${err}`));
        }, timeoutMs);
        const cleanup = (): void => {
          clearTimeout(timer);
          waiters.delete(check);
        };
        waiters.add(check);
        check();
      });
    },
    async kill(signal) {
      if (proc.exitCode === null && proc.signalCode === null) proc.kill(signal);
      if (signal === 'SIGKILL') await exited;
    },
  };
  return child;
}

/**
 * Per-test temporary directories and child processes, cleaned up after each
 * test of the calling file (children SIGKILLed, directories removed).
 */
export function useTestScope(prefix: string): {
  tempDir(): string;
  child(mode: string, config: Record<string, unknown>): Promise<Child>;
} {
  const dirs: string[] = [];
  const children: Child[] = [];
  afterEach(async () => {
    for (const c of children.splice(0)) await c.kill('SIGKILL');
    for (const d of dirs.splice(0)) await fsp.rm(d, { recursive: true, force: true });
  });
  return {
    tempDir() {
      const dir = mkdtempSync(path.join(os.tmpdir(), prefix));
      dirs.push(dir);
      return dir;
    },
    async child(mode, config) {
      const c = await startChild(mode, config);
      children.push(c);
      return c;
    },
  };
}
