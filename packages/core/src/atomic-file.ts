import { randomBytes } from 'node:crypto';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** Marker in the names of temporary files written by {@link writeFileAtomic}. */
export const TEMP_MARKER = '.astro-tmp-';

/** Options of {@link writeFileAtomic}. */
export interface WriteFileAtomicOptions {
  /** fsync the file before the rename (default true). */
  fsync?: boolean;
  /** File mode (default 0o644). */
  mode?: number;
}

/** A temporary name next to `target` that {@link isTempFileName} recognises. */
export function tempNameFor(target: string): string {
  const dir = path.dirname(target);
  const base = path.basename(target);
  return path.join(dir, `${base}${TEMP_MARKER}${process.pid}-${randomBytes(4).toString('hex')}`);
}

/** True when `name` is a temporary file written by this SDK. */
export function isTempFileName(name: string): boolean {
  return name.includes(TEMP_MARKER);
}

/**
 * Write `data` to `target` atomically: write a temporary file in the same
 * directory, fsync it, then rename it over `target`. A reader sees either the
 * old content or the whole new content, never a partial file; a crash leaves
 * at most a temporary file (see {@link isTempFileName}).
 */
export async function writeFileAtomic(
  target: string,
  data: string | Uint8Array,
  options: WriteFileAtomicOptions = {},
): Promise<void> {
  const temp = tempNameFor(target);
  const handle = await fsp.open(temp, 'w', options.mode ?? 0o644);
  try {
    await handle.writeFile(data);
    if (options.fsync !== false) await handle.sync();
  } catch (error) {
    await handle.close().catch(() => undefined);
    await fsp.rm(temp, { force: true });
    throw error;
  }
  await handle.close();
  try {
    await fsp.rename(temp, target);
  } catch (error) {
    await fsp.rm(temp, { force: true });
    throw error;
  }
}

/** fsync a directory so that renames into it are durable (no-op where unsupported). */
export async function fsyncDirectory(dir: string): Promise<void> {
  let handle: fsp.FileHandle | undefined;
  try {
    handle = await fsp.open(dir, 'r');
    await handle.sync();
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    await handle?.close().catch(() => undefined);
  }
}
