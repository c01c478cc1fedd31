/**
 * `%.Nf` formatting exactly as C's printf does it.
 *
 * C rounds the exact binary value of a double to N decimals, and an exact tie
 * (the double lies exactly half-way, as 0.03125 does at 4 decimals) rounds
 * half to even: `printf("%.4f", 0.03125)` → `0.0312`. JavaScript's
 * `toFixed` rounds ties away from zero (`0.0313`). Both agree everywhere else.
 *
 * The fast path scales by 10^N and rounds; it is exact unless the scaled value
 * lies within rounding error of a half, where an exact BigInt comparison
 * decides.
 */

const POW10 = [1, 10, 100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15];
const ZEROS = ['', '0', '00', '000', '0000', '00000', '000000', '0000000', '00000000', '000000000'];

/** Largest |value · 10^digits| handled by the fast path (exact integers in a double). */
const FAST_LIMIT = 2 ** 52;

/**
 * Format `value` with `digits` decimals like C's `printf("%.<digits>f")`.
 * NaN gives `nan`/`-nan` and infinities `inf`/`-inf` as glibc does; callers
 * that write CSV map NaN to an empty field before calling.
 *
 * @param value - any double (float32 values are widened exactly first)
 * @param digits - 0 to 9 decimals
 */
export function formatFixed(value: number, digits: number): string {
  if (!Number.isFinite(value)) {
    if (Number.isNaN(value)) return 'nan';
    return value > 0 ? 'inf' : '-inf';
  }
  const negative = value < 0 || Object.is(value, -0);
  const x = negative ? -value : value;
  const n = roundScaled(x, digits);
  if (n >= 0) return (negative ? '-' : '') + integerToFixed(n, digits);
  return (negative ? '-' : '') + exactFixed(x, digits);
}

/**
 * round-half-even(x · 10^digits) for a finite x ≥ 0, exact, or -1 when the
 * result may not fit the fast path (callers then use the BigInt path).
 * The one rounding rule behind every printf-compatible formatter here.
 */
export function roundScaled(x: number, digits: number): number {
  const y = x * POW10[digits];
  if (!(y < FAST_LIMIT)) return -1;
  const n = Math.round(y); // ties upward; corrected below
  const diff = Math.abs(y - Math.trunc(y) - 0.5);
  // Within a few ulps of a half: the product may have rounded, decide exactly.
  if (diff <= y * 4.5e-16 + 1e-300) return exactRound(x, digits);
  return n;
}

/** Powers of ten used by the formatters (10^0 .. 10^15). */
export const POWERS_OF_TEN: readonly number[] = POW10;

/** `n / 10^digits` written with exactly `digits` decimals (n a non-negative integer). */
function integerToFixed(n: number, digits: number): string {
  if (digits === 0) return String(n);
  const scale = POW10[digits];
  const whole = Math.floor(n / scale);
  const frac = n - whole * scale;
  const fracText = String(frac);
  return `${whole}.${ZEROS[digits - fracText.length] ?? ''}${fracText}`;
}

/** Decompose a finite non-negative double into mantissa · 2^exponent (BigInt mantissa). */
function decompose(x: number): { mantissa: bigint; exponent: number } {
  const view = new DataView(new ArrayBuffer(8));
  view.setFloat64(0, x);
  const hi = view.getUint32(0);
  const lo = view.getUint32(4);
  const biased = (hi >>> 20) & 0x7ff;
  let mantissa = (BigInt(hi & 0xfffff) << 32n) | BigInt(lo);
  let exponent: number;
  if (biased === 0) {
    exponent = -1074;
  } else {
    mantissa |= 1n << 52n;
    exponent = biased - 1075;
  }
  return { mantissa, exponent };
}

/** round-half-even(x · 10^digits) computed exactly, as a number (< 2^53 by the caller). */
function exactRound(x: number, digits: number): number {
  return Number(exactScaledRound(x, digits));
}

/** round-half-even(x · 10^digits) as an exact BigInt. */
function exactScaledRound(x: number, digits: number): bigint {
  const { mantissa, exponent } = decompose(x);
  const scaled = mantissa * 10n ** BigInt(digits);
  if (exponent >= 0) return scaled << BigInt(exponent);
  const shift = BigInt(-exponent);
  const q = scaled >> shift;
  const r = scaled - (q << shift);
  const half = 1n << (shift - 1n);
  if (r > half || (r === half && (q & 1n) === 1n)) return q + 1n;
  return q;
}

/** Exact `%.Nf` of a non-negative double of any size. */
function exactFixed(x: number, digits: number): string {
  const n = exactScaledRound(x, digits).toString();
  if (digits === 0) return n;
  const padded = n.length <= digits ? '0'.repeat(digits - n.length + 1) + n : n;
  return `${padded.slice(0, padded.length - digits)}.${padded.slice(padded.length - digits)}`;
}
