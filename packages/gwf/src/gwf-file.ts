/**
 * {@link GwfFile}: the public face of one open frame file. The work is done
 * in `internal/`: the index (`frame-index.ts`), the one structure walker
 * (`struct-walker.ts`), channel reads (`read-channel.ts`), frame reads
 * (`read-frame.ts`, `read-frame-data.ts`) and checksums (`checksums.ts`).
 */
import { closeSync, fstatSync, openSync, readSync } from 'node:fs';
import { GwfFormat } from './format.js';
import type { GwfSamples } from './format.js';
import { GwfFormatError } from './errors.js';
import type {
  GwfChannelData,
  GwfChannelKind,
  GwfChannelSummary,
  GwfChecksumResult,
  GwfEndOfFile,
  GwfFileHeader,
  GwfFrameContent,
  GwfFrameInfo,
  GwfToc,
  GwfVectorInfo,
  OpenGwfOptions,
} from './types.js';
import { verifyFileChecksum } from './internal/checksums.js';
import { checkHeader } from './internal/file-header.js';
import { FileWindow } from './internal/file-window.js';
import { buildFrameIndex } from './internal/frame-index.js';
import type { FrameIndex } from './internal/frame-index.js';
import { ReadContext } from './internal/read-context.js';
import { decode, readChannelData, readVectorBytes, summarizeChannels } from './internal/read-channel.js';
import { readFrame } from './internal/read-frame.js';
import { readFrameData } from './internal/read-frame-data.js';

/**
 * A GWF frame file opened for lazy reading: the header, the table of
 * contents (or an index built by one sequential scan when the file has
 * none) and positional reads of single channels. The file is never loaded
 * whole. Call {@link GwfFile.close} when done.
 */
export class GwfFile {
  /** Class id → structure name, from this file's dictionary (FrSH). */
  readonly dictionary: Map<number, string>;
  /** The frames in file order. */
  readonly frames: GwfFrameInfo[];
  /** The table of contents, when the file has one. */
  toc: GwfToc | undefined;
  /** FrEndOfFile, when the file ends with one. */
  endOfFile: GwfEndOfFile | undefined;
  /** Path of the file. */
  readonly path: string;
  /** Size in bytes. */
  readonly size: number;
  /** The file header. */
  readonly header: GwfFileHeader;

  private closed = false;

  private constructor(
    private readonly fd: number,
    private readonly ctx: ReadContext,
    private readonly index: FrameIndex,
  ) {
    this.dictionary = ctx.dictionary;
    this.frames = index.frames;
    this.toc = index.toc;
    this.endOfFile = index.endOfFile;
    this.path = ctx.path;
    this.size = ctx.size;
    this.header = ctx.header;
  }

  /** Format version (4, 6 or 8). */
  get version(): number {
    return this.ctx.version;
  }

  /** True when the file had a table of contents (reads seek straight to channels). */
  get hasToc(): boolean {
    return this.toc !== undefined;
  }

  /**
   * Open a frame file: check the header, read FrEndOfFile and the FrTOC (or
   * scan the file once when it has none) and every FrameH. Throws
   * {@link GwfFormatError} for a file that is not GWF or is damaged.
   */
  static async open(path: string, options: OpenGwfOptions = {}): Promise<GwfFile> {
    return GwfFile.openSync(path, options);
  }

  /** Synchronous {@link GwfFile.open} (reads are synchronous positional reads either way). */
  static openSync(path: string, options: OpenGwfOptions = {}): GwfFile {
    let fd: number;
    try {
      fd = openSync(path, 'r');
    } catch (error) {
      throw new GwfFormatError(`cannot open (${(error as Error).message})`, { code: 'GWF_IO', file: path, cause: error });
    }
    try {
      const size = fstatSync(fd).size;
      const head = new Uint8Array(GwfFormat.headerBytes);
      const bytesRead = readSync(fd, head, 0, head.length, 0);
      const header = checkHeader(path, head, bytesRead);
      const ctx = new ReadContext(path, size, header, new FileWindow(fd, size, options.windowBytes), options);
      return new GwfFile(fd, ctx, buildFrameIndex(ctx));
    } catch (error) {
      try {
        closeSync(fd);
      } catch {
        // already failing: keep the first error
      }
      if (error instanceof GwfFormatError) throw error;
      throw new GwfFormatError(`cannot read (${(error as Error).message})`, { code: 'GWF_IO', file: path, cause: error });
    }
  }

  /** Close the file handle. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    this.ctx.window.release();
    closeSync(this.fd);
  }

  /** Names of every channel of `kind` (all kinds when omitted), sorted. */
  channelNames(kind?: GwfChannelKind): string[] {
    return this.index.channelNames(kind);
  }

  /** Number of distinct channel names (all kinds). */
  get channelCount(): number {
    return this.index.channelCount;
  }

  /** Kind of channel `name`, or undefined when the file does not have it. */
  channelKind(name: string): GwfChannelKind | undefined {
    return this.index.channelKind(name);
  }

  /**
   * List the channels with sample rate, dtype and compression, reading only
   * the channel structures and vector headers of the first frame that has
   * each channel (no samples are decoded).
   */
  async listChannels(): Promise<GwfChannelSummary[]> {
    this.assertOpen();
    return summarizeChannels(this.ctx, this.index);
  }

  /**
   * Read and decode channel `name` in frame `frameIndex` (seeks with the
   * TOC). Throws `GWF_CHANNEL_NOT_FOUND` when the frame lacks it.
   */
  async readChannel(name: string, frameIndex: number, kind?: GwfChannelKind): Promise<GwfChannelData> {
    this.assertOpen();
    return readChannelData(this.ctx, this.index, name, frameIndex, kind);
  }

  /** True when frame `frameIndex` has channel `name`. */
  hasChannel(name: string, frameIndex: number): boolean {
    return this.index.hasChannel(name, frameIndex);
  }

  /**
   * Read every structure of frame `frameIndex` in file order (a sequential
   * scan of the frame), without decoding samples. Duplicated channel names
   * are all returned.
   */
  async readFrame(frameIndex: number): Promise<GwfFrameContent> {
    this.assertOpen();
    return readFrame(this.ctx, this.index, frameIndex);
  }

  /**
   * Read and decode the channels of frame `frameIndex` (all, or those named
   * in `channels`) in one pass over the frame (read whole, up to
   * `maxFrameBytes`, default 64 MiB, and requests for fewer than 1/8 of the
   * file's channels are read channel by channel instead, seeking with the TOC),
   * which is much faster than {@link GwfFile.readChannel} per channel when
   * many channels are wanted. Every result owns its samples. Channels
   * without a data vector are left out; duplicated names are all returned.
   */
  async readFrameData(
    frameIndex: number,
    options: { channels?: Iterable<string>; maxFrameBytes?: number } = {},
  ): Promise<GwfChannelData[]> {
    this.assertOpen();
    return readFrameData(this.ctx, this.index, frameIndex, options);
  }

  /**
   * Decode the samples of a vector found by {@link GwfFile.readFrame}.
   * `channel` names it in errors.
   */
  async readVectorData(vector: GwfVectorInfo, frameIndex: number, channel = vector.name): Promise<GwfSamples | string[]> {
    this.assertOpen();
    const h = this.ctx.readHeaderAt(vector.offset, frameIndex);
    const bytes = readVectorBytes(this.ctx, vector, h, frameIndex, channel);
    return decode(this.ctx, vector, bytes, frameIndex, channel);
  }

  /**
   * Compute the file checksum (POSIX cksum CRC, streamed) and compare with
   * the one stored in FrEndOfFile. v4 files are reported as not present.
   */
  async verifyFileChecksum(): Promise<GwfChecksumResult> {
    this.assertOpen();
    return verifyFileChecksum(this.ctx.window, this.size, this.version, this.endOfFile);
  }

  private assertOpen(): void {
    if (this.closed) throw this.ctx.error('the file is closed', 'GWF_IO', {});
  }
}
