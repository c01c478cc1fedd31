/**
 * Structure snapshots of the reference GWF files in ../shared/data/gwf (made
 * by FrameL, LALSuite and the LIGO open-data tools; see its README), h5web
 * style: per file its header, frames and, for the first and last frame, every
 * channel with type, compression, length and the CRC-32 of its decoded
 * samples. A change in how any structure is walked or any vector decoded
 * shows up as a snapshot diff. Regenerate deliberately with `vitest -u`.
 */
import { readdirSync } from 'node:fs';
import * as path from 'node:path';
import { describe, expect, it } from 'vitest';
import { dumpGwf } from '@astro/gwf';
import { missingDataMessage, sharedData } from '@astro/test-support/shared-data';

const dir = sharedData('gwf');
const files = dir === undefined ? [] : readdirSync(dir).filter((f) => f.endsWith('.gwf')).sort();

describe.skipIf(dir === undefined)(`GWF structure snapshots${dir === undefined ? ` (${missingDataMessage('gwf')})` : ''}`, () => {
  it.each(files)('%s', async (name) => {
    const dump = await dumpGwf(path.join(dir as string, name));
    const channels = (frame: (typeof dump.frames)[number]) =>
      frame.channels.map((c) => `${c.kind} ${c.name} ${c.typeName} compress=${c.compress} n=${c.nData} rate=${c.sampleRate} unit="${c.unit}" crc=${c.stats?.crc32 ?? '-'}`);
    const first = dump.frames[0];
    const last = dump.frames[dump.frames.length - 1];
    expect({
      size: dump.size,
      header: dump.header,
      hasToc: dump.hasToc,
      frames: dump.frames.map((f) => `${f.index} ${f.name} run=${f.run} frame=${f.frame} gps=${f.GTimeS}.${String(f.GTimeN).padStart(9, '0')} dt=${f.durationSeconds} channels=${f.channels.length}`),
      firstFrameChannels: first === undefined ? [] : channels(first),
      lastFrameChannels: last === undefined || last === first ? [] : channels(last),
    }).toMatchSnapshot();
  });
});
