/**
 * The SDK's one way to write a file that must never be seen half-written.
 *
 * Durability rule (every writer — FITS, GWF, HDF5, CSV, JSON, checkpoint
 * stores — follows it through this module):
 *
 * - the bytes go to a temporary name in the target's own directory
 *   ({@link tempNameFor}, recognised by {@link isTempFileName} so a rerun can
 *   sweep what a killed run left);
 * - on commit, with `durability: 'fsync'` (the default) the file is fsynced,
 *   renamed over the target, and the directory is fsynced, so after commit
 *   returns both the content and the name survive a power cut;
 * - `durability: 'none'` skips both fsyncs (scratch files, tests): the rename
 *   is still atomic, a reader sees the old file or the whole new one;
 * - on abort (or any error) the temporary file is removed.
 *
 * Many small files committed together (a VIRAC tile's light curves) use an
 * {@link AtomicGroup}: the same rule with one flush for the group.
 */
import { spawnSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import * as fs from 'node:fs';
import { promises as fsp } from 'node:fs';
import * as path from 'node:path';

/** Marker in the names of temporary files written by this module. */
export const TEMP_MARKER = '.astro-tmp-';

/**
 * How hard a commit works to survive a crash: `'fsync'` (default) syncs the
 * file before the rename and its directory after; `'none'` syncs nothing
 * (the rename is still atomic).
 */
export type Durability = 'fsync' | 'none';

/** Options of {@link openAtomicFile}, {@link writeFileAtomic} and their synchronous twins. */
export interface AtomicFileOptions {
  /** Default `'fsync'`; see {@link Durability}. */
  durability?: Durability;
  /** File mode (default 0o644). */
  mode?: number;
  /**
   * The temporary name to write (default {@link tempNameFor}(target)). It must
   * be in the target's directory and contain {@link TEMP_MARKER}.
   */
  tempPath?: string;
}

/** @deprecated Use {@link AtomicFileOptions}. */
export type WriteFileAtomicOptions = AtomicFileOptions;

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

/** An open temporary file that becomes `path` on {@link AtomicFile.commit}. */
export interface AtomicFile {
  /** The final path. */
  readonly path: string;
  /** The temporary path written until commit. */
  readonly tempPath: string;
  /** Append bytes (or UTF-8 text), or write them at `position` when given. */
  write(data: Uint8Array | string, position?: number): Promise<void>;
  /** Make the file durable (per the durability option) and rename it to `path`. */
  commit(): Promise<void>;
  /** Close and remove the temporary file (safe to call after a failed commit). */
  abort(): Promise<void>;
}

/** The synchronous twin of {@link AtomicFile}. */
export interface AtomicFileSync {
  readonly path: string;
  readonly tempPath: string;
  write(data: Uint8Array | string, position?: number): void;
  commit(): void;
  abort(): void;
}

function checkTempPath(target: string, temp: string): string {
  if (path.dirname(path.resolve(temp)) !== path.dirname(path.resolve(target)) || !isTempFileName(temp)) {
    throw new Error(`atomic file: temporary name ${temp} must be beside ${target} and contain ${TEMP_MARKER}`);
  }
  return temp;
}

/**
 * Open a temporary file beside `target` for streaming writes; `commit()`
 * makes it `target`, `abort()` removes it. Nothing ever appears under
 * `target` half-written.
 */
export async function openAtomicFile(target: string, options: AtomicFileOptions = {}): Promise<AtomicFile> {
  const durability = options.durability ?? 'fsync';
  const tempPath = options.tempPath === undefined ? tempNameFor(target) : checkTempPath(target, options.tempPath);
  const handle = await fsp.open(tempPath, 'w', options.mode ?? 0o644);
  let closed = false;
  let position = 0;
  const close = async (): Promise<void> => {
    if (closed) return;
    closed = true;
    await handle.close();
  };
  return {
    path: target,
    tempPath,
    async write(data, at) {
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = at ?? position;
      let done = 0;
      while (done < bytes.length) {
        const { bytesWritten } = await handle.write(bytes, done, bytes.length - done, offset);
        done += bytesWritten;
        offset += bytesWritten;
      }
      if (at === undefined) position = offset;
    },
    async commit() {
      try {
        if (durability === 'fsync') await handle.sync();
        await close();
        await fsp.rename(tempPath, target);
      } catch (error) {
        await close().catch(() => undefined);
        await fsp.rm(tempPath, { force: true });
        throw error;
      }
      if (durability === 'fsync') await fsyncDirectory(path.dirname(target));
    },
    async abort() {
      await close().catch(() => undefined);
      await fsp.rm(tempPath, { force: true });
    },
  };
}

/** The synchronous twin of {@link openAtomicFile} (for writers whose API is synchronous). */
export function openAtomicFileSync(target: string, options: AtomicFileOptions = {}): AtomicFileSync {
  const durability = options.durability ?? 'fsync';
  const tempPath = options.tempPath === undefined ? tempNameFor(target) : checkTempPath(target, options.tempPath);
  let fd: number | undefined = fs.openSync(tempPath, 'w', options.mode ?? 0o644);
  let position = 0;
  const close = (): void => {
    if (fd === undefined) return;
    const f = fd;
    fd = undefined;
    fs.closeSync(f);
  };
  return {
    path: target,
    tempPath,
    write(data, at) {
      if (fd === undefined) throw new Error(`atomic file ${target}: write after commit or abort`);
      const bytes = typeof data === 'string' ? Buffer.from(data, 'utf8') : data;
      let offset = at ?? position;
      let done = 0;
      while (done < bytes.length) {
        const n = fs.writeSync(fd, bytes, done, bytes.length - done, offset);
        done += n;
        offset += n;
      }
      if (at === undefined) position = offset;
    },
    commit() {
      try {
        if (durability === 'fsync' && fd !== undefined) fs.fsyncSync(fd);
        close();
        fs.renameSync(tempPath, target);
      } catch (error) {
        try {
          close();
        } catch {
          // already failing
        }
        fs.rmSync(tempPath, { force: true });
        throw error;
      }
      if (durability === 'fsync') fsyncDirectorySync(path.dirname(target));
    },
    abort() {
      try {
        close();
      } catch {
        // the file is removed below
      }
      fs.rmSync(tempPath, { force: true });
    },
  };
}

/**
 * Write `data` to `target` atomically ({@link openAtomicFile} in one call).
 * A reader sees either the old content or the whole new content; a crash
 * leaves at most a temporary file (see {@link isTempFileName}).
 */
export async function writeFileAtomic(target: string, data: string | Uint8Array, options: AtomicFileOptions = {}): Promise<void> {
  const file = await openAtomicFile(target, options);
  try {
    await file.write(data);
  } catch (error) {
    await file.abort();
    throw error;
  }
  await file.commit();
}

/** The synchronous twin of {@link writeFileAtomic}. */
export function writeFileAtomicSync(target: string, data: string | Uint8Array, options: AtomicFileOptions = {}): void {
  const file = openAtomicFileSync(target, options);
  try {
    file.write(data);
  } catch (error) {
    file.abort();
    throw error;
  }
  file.commit();
}

/**
 * Make a finished temporary file `tempPath` (written by another library, e.g.
 * an HDF5 file built in place by h5wasm) become `target` under the same rule
 * as {@link AtomicFile.commit}: fsync the file (with `'fsync'`), rename it over
 * the target, fsync the directory. `tempPath` must be beside `target` and
 * contain {@link TEMP_MARKER}; on failure it is removed.
 */
export async function commitFileAtomic(tempPath: string, target: string, options: Pick<AtomicFileOptions, 'durability'> = {}): Promise<void> {
  const durability = options.durability ?? 'fsync';
  checkTempPath(target, tempPath);
  try {
    if (durability === 'fsync') {
      const handle = await fsp.open(tempPath, 'r+');
      try {
        await handle.sync();
      } finally {
        await handle.close();
      }
    }
    await fsp.rename(tempPath, target);
  } catch (error) {
    await fsp.rm(tempPath, { force: true });
    throw error;
  }
  if (durability === 'fsync') await fsyncDirectory(path.dirname(target));
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

/** The synchronous twin of {@link fsyncDirectory}. */
export function fsyncDirectorySync(dir: string): void {
  let fd: number | undefined;
  try {
    fd = fs.openSync(dir, 'r');
    fs.fsyncSync(fd);
  } catch {
    // Some platforms cannot fsync a directory; the rename is still atomic.
  } finally {
    if (fd !== undefined) fs.closeSync(fd);
  }
}

/**
 * Durability of an {@link AtomicGroup}: `'fsync'` syncs each file, `'syncfs'`
 * flushes the whole file system once (`sync -f`, falling back to one fsync per
 * file), `'none'` syncs nothing. With `'fsync'` and `'syncfs'` each directory
 * is fsynced once after the renames.
 */
export type GroupDurability = Durability | 'syncfs';

/**
 * Many files that become visible together, as one durable step: each is
 * written under its temporary name ({@link AtomicGroup.add}), then
 * {@link AtomicGroup.commit} makes the data durable (one flush for all with
 * `'syncfs'`), renames every file and fsyncs each directory once. Used where
 * thousands of small files are written per unit of work (VIRAC light curves).
 */
export class AtomicGroup {
  private readonly pending: { target: string; temp: string }[] = [];
  private readonly dirs = new Set<string>();
  readonly durability: GroupDurability;

  constructor(options: { durability?: GroupDurability } = {}) {
    this.durability = options.durability ?? 'fsync';
  }

  /** Files added and not yet committed. */
  get size(): number {
    return this.pending.length;
  }

  /**
   * Write `data` (bytes `[0, length)`) to the temporary name of `target`
   * (default {@link tempNameFor}; a deterministic name lets a rerun overwrite
   * what a killed run left). Synced now with `'fsync'`.
   */
  add(target: string, data: Uint8Array, options: { tempPath?: string; length?: number } = {}): void {
    const temp = options.tempPath === undefined ? tempNameFor(target) : checkTempPath(target, options.tempPath);
    const fd = fs.openSync(temp, 'w', 0o644);
    this.pending.push({ target, temp });
    try {
      const length = options.length ?? data.length;
      let done = 0;
      while (done < length) done += fs.writeSync(fd, data, done, length - done, done);
      if (this.durability === 'fsync') fs.fsyncSync(fd);
    } finally {
      fs.closeSync(fd);
    }
    this.dirs.add(path.dirname(target));
  }

  /** Make every added file durable and visible under its final name. */
  commit(): void {
    if (this.pending.length === 0) return;
    if (this.durability === 'syncfs') {
      const root = [...this.dirs][0];
      const r = spawnSync('sync', ['-f', root], { stdio: 'ignore' });
      if (r.status !== 0) for (const { temp } of this.pending) fsyncPathSync(temp);
    }
    for (const { target, temp } of this.pending) fs.renameSync(temp, target);
    if (this.durability !== 'none') for (const dir of this.dirs) fsyncDirectorySync(dir);
    this.pending.length = 0;
    this.dirs.clear();
  }

  /** Remove every temporary file not yet committed. */
  abort(): void {
    for (const { temp } of this.pending.splice(0)) {
      try {
        fs.rmSync(temp, { force: true });
      } catch {
        // keep removing the others
      }
    }
    this.dirs.clear();
  }
}

function fsyncPathSync(p: string): void {
  const fd = fs.openSync(p, 'r');
  try {
    fs.fsyncSync(fd);
  } finally {
    fs.closeSync(fd);
  }
}
