/**
 * The spherical rotation between native coordinates of a zenithal projection
 * (phi, theta) and celestial coordinates (alpha, delta), Calabretta &
 * Greisen (2002) eq. 2 and 5, with the reference point at the native pole.
 * All angles in degrees.
 */

const D2R = Math.PI / 180;
const R2D = 180 / Math.PI;

/**
 * Native spherical (phi, theta) -> celestial (alpha, delta) in degrees, for a
 * zenithal projection (reference point at the native pole): `alphaP`,
 * `deltaP` are the celestial coordinates of the native pole (CRVAL), `phiP`
 * the native longitude of the celestial pole (LONPOLE). Alpha is returned in
 * [0, 360); NaN input gives [NaN, NaN].
 */
export function nativeToCelestial(phiDeg: number, thetaDeg: number, alphaP: number, deltaP: number, phiP: number): [number, number] {
  if (Number.isNaN(thetaDeg) || Number.isNaN(phiDeg)) return [NaN, NaN];
  const t = thetaDeg * D2R;
  const dp = deltaP * D2R;
  const dphi = (phiDeg - phiP) * D2R;
  const st = Math.sin(t);
  const ct = Math.cos(t);
  const sdp = Math.sin(dp);
  const cdp = Math.cos(dp);
  const cdphi = Math.cos(dphi);
  const xx = st * cdp - ct * sdp * cdphi;
  const yy = -ct * Math.sin(dphi);
  let alpha = alphaP + Math.atan2(yy, xx) * R2D;
  const z = st * sdp + ct * cdp * cdphi;
  let delta: number;
  if (Math.abs(z) > 0.99) {
    // near the poles asin loses precision: use the horizontal component
    const s = Math.sign(z) * Math.acos(Math.min(1, Math.hypot(xx, yy)));
    delta = s * R2D;
  } else {
    delta = Math.asin(z) * R2D;
  }
  alpha = ((alpha % 360) + 360) % 360;
  if (alpha === 360) alpha = 0;
  return [alpha, delta];
}

/**
 * Celestial (alpha, delta) -> native spherical (phi, theta) in degrees, the
 * inverse of {@link nativeToCelestial} with the same pole arguments. Phi is
 * not wrapped.
 */
export function celestialToNative(alphaDeg: number, deltaDeg: number, alphaP: number, deltaP: number, phiP: number): [number, number] {
  const d = deltaDeg * D2R;
  const dp = deltaP * D2R;
  const da = (alphaDeg - alphaP) * D2R;
  const sd = Math.sin(d);
  const cd = Math.cos(d);
  const sdp = Math.sin(dp);
  const cdp = Math.cos(dp);
  const cda = Math.cos(da);
  const xx = sd * cdp - cd * sdp * cda;
  const yy = -cd * Math.sin(da);
  const phi = phiP + Math.atan2(yy, xx) * R2D;
  const z = sd * sdp + cd * cdp * cda;
  let theta: number;
  if (Math.abs(z) > 0.99) theta = Math.sign(z) * Math.acos(Math.min(1, Math.hypot(xx, yy))) * R2D;
  else theta = Math.asin(z) * R2D;
  return [phi, theta];
}
