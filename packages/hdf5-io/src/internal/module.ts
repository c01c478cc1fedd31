/**
 * The single h5wasm module instance and the guarded way to call into it.
 *
 * Why not `activate_throwing_error_handler()`: with h5wasm 0.10.3 every HDF5
 * error raised through the throwing handler leaks one emscripten stream (the
 * `tmpfile()` the handler prints into is never closed because the JS throw
 * unwinds past `fclose`) and part of the WASM stack. Measured: after ~2,260
 * failed opens the module aborts ("bad_cast was thrown in -fno-exceptions
 * mode") and every later call fails. A batch job over thousands of files must
 * not die that way, so we keep HDF5's default (printing) handler and capture
 * what it prints to the module's fd 2 instead: no throw crosses WASM frames,
 * nothing leaks, and the HDF5 error stack becomes the `cause` of our error.
 */
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import type h5wasm from 'h5wasm/node';

/** The h5wasm module type (not exported by h5wasm under a name). */
export type H5Module = Awaited<typeof h5wasm.ready>;

let modulePromise: Promise<H5Module> | undefined;
let moduleInstance: H5Module | undefined;
let captured = '';

interface EmscriptenStream {
  fd?: number;
}
type FsWrite = (
  stream: EmscriptenStream,
  buffer: Uint8Array,
  offset: number,
  length: number,
  position?: number,
  canOwn?: boolean,
) => number;

function installStderrCapture(M: H5Module): void {
  const fs = M.FS as unknown as { write: FsWrite };
  const original = fs.write;
  fs.write = function (this: unknown, stream, buffer, offset, length, position, canOwn) {
    if (stream !== undefined && stream !== null && stream.fd === 2) {
      captured += Buffer.from(buffer.buffer, buffer.byteOffset + offset, length).toString('utf8');
      // Bound the buffer in case a caller never collects it.
      if (captured.length > 1_000_000) captured = captured.slice(-100_000);
      return length;
    }
    return original.call(this, stream, buffer, offset, length, position, canOwn);
  };
}

/**
 * Let HDF5 find the filter plugins of the `h5wasm-plugins` package (lzf,
 * blosc, zstd, lz4, bitshuffle, ...) so that files compressed with them can be
 * read. With NODERAWFS the plugin directory is read straight from disk.
 * Without the package, datasets using those filters fail with HDF5_READ.
 */
function installFilterPlugins(M: H5Module): void {
  let dir: string;
  try {
    dir = fileURLToPath(new URL('./plugins/', import.meta.resolve('h5wasm-plugins')));
  } catch {
    return;
  }
  if (!existsSync(dir)) return;
  clearCaptured();
  try {
    M.insert_plugin_search_path(dir, 0);
  } catch {
    // Reading plugin-filtered data then fails with a clear HDF5_READ.
  }
  takeCaptured();
}

/**
 * Load (once) and return the h5wasm module with stderr capture installed.
 * h5wasm is imported here, on the first open, not when this package is
 * imported: instantiating its 4 MB WebAssembly module costs ~0.2 s of CPU,
 * which programs that import us without reading HDF5 (a monitor, the main
 * thread of a worker pool) should not pay.
 */
export function loadModule(): Promise<H5Module> {
  if (modulePromise === undefined) {
    modulePromise = import('h5wasm/node').then(({ default: h5 }) => h5.ready).then((M) => {
      // Make sure HDF5's default printing handler is active (see file comment).
      M.deactivate_throwing_error_handler();
      installStderrCapture(M);
      installFilterPlugins(M);
      moduleInstance = M;
      return M;
    });
  }
  return modulePromise;
}

/** The loaded module (only valid after {@link loadModule} resolved). */
export function mod(): H5Module {
  if (moduleInstance === undefined) throw new Error('h5wasm module used before it was loaded');
  return moduleInstance;
}

/** Clear the captured HDF5 error text. */
export function clearCaptured(): void {
  captured = '';
}

/** Take (and clear) the HDF5 error text printed since the last clear. */
export function takeCaptured(): string {
  const text = captured;
  captured = '';
  return text;
}

/**
 * One-line summary of an HDF5 error stack: the innermost "in FUNC(): text"
 * (the root cause, e.g. "file signature not found") and the outermost one.
 */
export function summarizeHdf5Stack(text: string): string {
  const lines = [...text.matchAll(/#\d+: .*? in ([A-Za-z0-9_]+)\(\): (.*)$/gm)];
  if (lines.length === 0) return text.trim().split('\n')[0] ?? '';
  const inner = lines[lines.length - 1];
  const outer = lines[0];
  if (inner === outer) return `${inner[2]} (${inner[1]})`;
  return `${inner[2]} (${inner[1]}; ${outer[1]}: ${outer[2]})`;
}
