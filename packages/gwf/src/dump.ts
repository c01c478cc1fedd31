import { GwfFile } from './gwf-file.js';
import type { GwfFileHeader } from './types.js';
import type { GwfSamples } from './format.js';
import { computeSampleStats } from './sample-stats.js';
import type { GwfSampleStats } from './sample-stats.js';

/** Options of {@link dumpGwf}. */
export interface DumpGwfOptions {
  /** Only channels with these names (default all). */
  channels?: readonly string[];
  /** Verify structure CRCs and the file CRC. */
  verifyChecksums?: boolean;
}

/** One channel of one frame in a dump. */
export interface GwfDumpChannel {
  /** adc, proc, sim or ser. */
  kind: string;
  /** Channel name. */
  name: string;
  /** Samples per second. */
  sampleRate: number;
  /** FrVect type name. */
  typeName: string;
  /** Compression code as stored. */
  compress: number;
  /** Samples. */
  nData: number;
  /** Unit of the samples. */
  unit: string;
  /** Statistics of the decoded samples (absent for STRING vectors or channels without data). */
  stats?: GwfSampleStats;
}

/** Result of {@link dumpGwf}: what FrDump prints. */
export interface GwfDump {
  /** Path of the file. */
  file: string;
  /** Size in bytes. */
  size: number;
  /** The file header. */
  header: GwfFileHeader;
  /** True when the file has a table of contents. */
  hasToc: boolean;
  /** File checksum check (when verifying). */
  fileChecksum?: { stored: number; computed: number; ok: boolean };
  /** Frames with their channels in file order. */
  frames: {
    index: number;
    name: string;
    run: number;
    frame: number;
    gpsStart: number;
    GTimeS: number;
    GTimeN: number;
    durationSeconds: number;
    channels: GwfDumpChannel[];
  }[];
}

/**
 * Read every frame of a file and summarise each channel with statistics of
 * its decoded samples (min, max, sum, NaN count, CRC-32 of the samples as
 * little-endian bytes). Used by the `gwf-dump` CLI.
 */
export async function dumpGwf(path: string, options: DumpGwfOptions = {}): Promise<GwfDump> {
  const file = await GwfFile.open(path, { verifyChecksums: options.verifyChecksums });
  try {
    const wanted = options.channels && options.channels.length ? new Set(options.channels) : undefined;
    const dump: GwfDump = { file: path, size: file.size, header: file.header, hasToc: file.hasToc, frames: [] };
    if (options.verifyChecksums) {
      const c = await file.verifyFileChecksum();
      if (c.present) dump.fileChecksum = { stored: c.stored, computed: c.computed, ok: c.ok };
    }
    for (const info of file.frames) {
      const content = await file.readFrame(info.index);
      const channels: GwfDumpChannel[] = [];
      for (const { record, vector } of content.channels) {
        if (wanted && !wanted.has(record.name)) continue;
        const ch: GwfDumpChannel = {
          kind: record.kind,
          name: record.name,
          sampleRate: record.sampleRate,
          typeName: vector?.typeName ?? 'none',
          compress: vector?.compress ?? 0,
          nData: vector?.nData ?? 0,
          unit: vector?.unitY || record.units || '',
        };
        if (vector) {
          const data = await file.readVectorData(vector, info.index, record.name);
          if (!Array.isArray(data)) ch.stats = computeSampleStats(data as GwfSamples, vector.type);
        }
        channels.push(ch);
      }
      dump.frames.push({
        index: info.index,
        name: info.name,
        run: info.run,
        frame: info.frame,
        gpsStart: info.gpsSeconds + info.gpsNanoseconds * 1e-9,
        GTimeS: info.gpsSeconds,
        GTimeN: info.gpsNanoseconds,
        durationSeconds: info.durationSeconds,
        channels,
      });
    }
    return dump;
  } finally {
    await file.close();
  }
}

/** Render a dump as FrDump-like text lines. */
export function formatGwfDump(d: GwfDump): string {
  const h = d.header;
  const lines: string[] = [];
  lines.push(
    `File ${d.file} (${d.size} bytes): frame format v${h.formatVersion} (minor ${h.libraryMinorVersion}), ` +
      `${h.littleEndian ? 'little' : 'big'}-endian, ${d.frames.length} frame(s), ${d.hasToc ? 'with' : 'without'} TOC`,
  );
  if (d.fileChecksum) {
    lines.push(`  file checksum ${d.fileChecksum.ok ? 'OK' : 'MISMATCH'} (stored ${d.fileChecksum.stored}, computed ${d.fileChecksum.computed})`);
  }
  const fmt = (v: number | null | number[]): string =>
    v === null ? '-' : Array.isArray(v) ? `(${v.map((x) => fmt(x)).join(',')})` : Number.isInteger(v) ? String(v) : v.toPrecision(8);
  for (const f of d.frames) {
    lines.push(`Frame ${f.index} "${f.name}" run ${f.run} frame ${f.frame}: GPS ${f.GTimeS}.${String(f.GTimeN).padStart(9, '0')} dt ${f.durationSeconds} s`);
    for (const c of f.channels) {
      let line = `  ${c.kind.padEnd(4)} ${c.name}  ${fmt(c.sampleRate)} Hz  ${c.typeName}  compress ${c.compress}  nData ${c.nData}`;
      if (c.stats) {
        const s = c.stats;
        line += `  min ${fmt(s.min)} max ${fmt(s.max)} sum ${fmt(s.sum as number | number[])} nNaN ${s.nNaN} crc32 ${s.crc32}`;
      }
      lines.push(line);
    }
  }
  return lines.join('\n');
}
