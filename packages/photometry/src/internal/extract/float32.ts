/**
 * Single-precision constants shared by the background and extraction code.
 *
 * SEP computes most pixel quantities in C `float`. `Math.fround(a op b)` on two
 * float32 operands reproduces the C float result exactly for + - * / and sqrt
 * (double rounding is innocuous when the wide format has >= 2p+2 bits).
 */

/** Round to float32. */
export const f32 = Math.fround;

/** SEP's `BIG`: marks bad meshes and out-of-image pixels. */
export const BIG = 1e30;

/** SEP's value of pi (sepcore.h). */
export const SEP_PI = 3.1415926535898;
