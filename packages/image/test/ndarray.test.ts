/** toNdarray / fromNdarray: views where promised (shared memory), one copy otherwise, hostile shapes. */
import ndarray from 'ndarray';
import ops from 'ndarray-ops';
import { describe, expect, it } from 'vitest';
import { ImageError, fromNdarray, toNdarray } from '@astro/image';

describe('toNdarray', () => {
  it('is a view of shape [height, width], strides [width, 1]: get(y, x) is pixel (x, y), writes go through', () => {
    const data = Float32Array.from({ length: 12 }, (_, i) => i);
    const image = { data, width: 4, height: 3 };
    const a = toNdarray(image);
    expect(a.shape).toEqual([3, 4]);
    expect(a.stride).toEqual([4, 1]);
    expect(a.data).toBe(data);
    expect(a.get(2, 1)).toBe(2 * 4 + 1);
    ops.mulseq(a, 2);
    expect(data[5]).toBe(10);
  });

  it('a size that does not match the data throws ImageError', () => {
    expect(() => toNdarray({ data: new Float64Array(5), width: 3, height: 2 })).toThrow(ImageError);
  });
});

describe('fromNdarray', () => {
  it('a contiguous row-major float ndarray becomes a view (same buffer, offset kept)', () => {
    const buf = Float64Array.from({ length: 20 }, (_, i) => i);
    const a = ndarray(buf, [4, 5]);
    const img = fromNdarray(a);
    expect(img.width).toBe(5);
    expect(img.height).toBe(4);
    expect(img.data.buffer).toBe(buf.buffer);
    img.data[0] = 99;
    expect(buf[0]).toBe(99);
    // rows 1..2 (lo/hi): still contiguous, a view at the offset
    const rows = fromNdarray(a.lo(1, 0).hi(2, 5));
    expect(rows.data.buffer).toBe(buf.buffer);
    expect(rows.data.byteOffset).toBe(5 * 8);
    expect(Array.from(rows.data)).toEqual([5, 6, 7, 8, 9, 10, 11, 12, 13, 14]);
    const f32 = fromNdarray(ndarray(new Float32Array(6), [2, 3]));
    expect(f32.data).toBeInstanceOf(Float32Array);
  });

  it('a transposed, stepped or column-sliced ndarray is copied once in row-major order', () => {
    const buf = Float32Array.from({ length: 6 }, (_, i) => i);
    const t = fromNdarray(ndarray(buf, [2, 3]).transpose(1, 0));
    expect([t.width, t.height]).toEqual([2, 3]);
    expect(t.data).toBeInstanceOf(Float32Array);
    expect(t.data.buffer).not.toBe(buf.buffer);
    expect(Array.from(t.data)).toEqual([0, 3, 1, 4, 2, 5]);
    const cols = fromNdarray(ndarray(buf, [2, 3]).hi(2, 2));
    expect(Array.from(cols.data)).toEqual([0, 1, 3, 4]);
    const stepped = fromNdarray(ndarray(buf, [2, 3]).step(1, 2));
    expect(Array.from(stepped.data)).toEqual([0, 2, 3, 5]);
  });

  it('integer typed arrays and plain arrays are copied into a Float64Array', () => {
    const i16 = fromNdarray(ndarray(Int16Array.of(1, -2, 3, 4), [2, 2]));
    expect(i16.data).toBeInstanceOf(Float64Array);
    expect(Array.from(i16.data)).toEqual([1, -2, 3, 4]);
    const plain = fromNdarray(ndarray([1, 2, 3], [1, 3]));
    expect(Array.from(plain.data)).toEqual([1, 2, 3]);
  });

  it('round trip: fromNdarray(toNdarray(image)) shares the data', () => {
    const image = { data: new Float32Array(8).fill(3), width: 4, height: 2 };
    const back = fromNdarray(toNdarray(image));
    expect(back.data.buffer).toBe(image.data.buffer);
    expect([back.width, back.height]).toEqual([4, 2]);
  });

  it('not two-dimensional, or empty, throws ImageError', () => {
    expect(() => fromNdarray(ndarray(new Float32Array(8), [2, 2, 2]))).toThrow(/image: fromNdarray: ndarray has 3 dimensions/);
    expect(() => fromNdarray(ndarray(new Float32Array(0), [0, 3]))).toThrow(ImageError);
  });
});
