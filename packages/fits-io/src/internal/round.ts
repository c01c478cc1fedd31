/** Round half to even, as numpy.around. */
export function rint(x: number): number {
  // round half to even, as numpy.around
  const r = Math.round(x);
  return Math.abs(x % 1) === 0.5 && r % 2 !== 0 ? r - 1 : r;
}
