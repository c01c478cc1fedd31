import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import * as path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { commitFileAtomic, tempNameFor } from '@astro/core';

const dir = mkdtempSync(path.join(tmpdir(), 'core-commit-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('commitFileAtomic', () => {
  it.each(['fsync', 'none'] as const)('renames a finished temporary file over the target (%s)', async (durability) => {
    const target = path.join(dir, `day-${durability}.h5`);
    writeFileSync(target, 'old');
    const temp = tempNameFor(target);
    writeFileSync(temp, 'new content');
    await commitFileAtomic(temp, target, { durability });
    expect(readFileSync(target, 'utf8')).toBe('new content');
    expect(existsSync(temp)).toBe(false);
  });

  it('refuses a temporary name that is not beside the target or lacks the marker', async () => {
    const target = path.join(dir, 'x.json');
    writeFileSync(path.join(dir, 'x.repair'), 'data');
    await expect(commitFileAtomic(path.join(dir, 'x.repair'), target)).rejects.toThrow(/must be beside/);
    await expect(commitFileAtomic(tempNameFor(path.join(tmpdir(), 'x.json')), target)).rejects.toThrow(/must be beside/);
    expect(existsSync(target)).toBe(false);
  });

  it('removes the temporary file when the rename fails', async () => {
    const sub = mkdtempSync(path.join(dir, 'sub-'));
    const target = path.join(sub, 'ydir'); // a directory stands where the file should go
    mkdirSync(target);
    writeFileSync(path.join(target, 'inside'), 'x');
    const temp = `${target}.astro-tmp-1`;
    writeFileSync(temp, 'data');
    await expect(commitFileAtomic(temp, target)).rejects.toThrow();
    expect(readdirSync(sub)).toEqual(['ydir']);
  });
});
