/**
 * GPS ↔ UTC with the leap-second table. GPS time counts SI seconds from
 * 1980-01-06T00:00:00Z without leap seconds; GPS − UTC was 0 then and grows
 * by one at each leap second (18 s since 2017-01-01).
 */

/** UTC dates at which GPS − UTC increased, with the new value. */
export const LEAP_SECONDS: readonly { utc: string; gpsMinusUtc: number }[] = [
  { utc: '1981-07-01', gpsMinusUtc: 1 },
  { utc: '1982-07-01', gpsMinusUtc: 2 },
  { utc: '1983-07-01', gpsMinusUtc: 3 },
  { utc: '1985-07-01', gpsMinusUtc: 4 },
  { utc: '1988-01-01', gpsMinusUtc: 5 },
  { utc: '1990-01-01', gpsMinusUtc: 6 },
  { utc: '1991-01-01', gpsMinusUtc: 7 },
  { utc: '1992-07-01', gpsMinusUtc: 8 },
  { utc: '1993-07-01', gpsMinusUtc: 9 },
  { utc: '1994-07-01', gpsMinusUtc: 10 },
  { utc: '1996-01-01', gpsMinusUtc: 11 },
  { utc: '1997-07-01', gpsMinusUtc: 12 },
  { utc: '1999-01-01', gpsMinusUtc: 13 },
  { utc: '2006-01-01', gpsMinusUtc: 14 },
  { utc: '2009-01-01', gpsMinusUtc: 15 },
  { utc: '2012-07-01', gpsMinusUtc: 16 },
  { utc: '2015-07-01', gpsMinusUtc: 17 },
  { utc: '2017-01-01', gpsMinusUtc: 18 },
];

/** Unix milliseconds of the GPS epoch 1980-01-06T00:00:00Z. */
export const GPS_EPOCH_UNIX_MS = Date.UTC(1980, 0, 6);

const TABLE = LEAP_SECONDS.map((l) => {
  const unixS = Date.parse(`${l.utc}T00:00:00Z`) / 1000;
  return { unixS, gps: unixS - GPS_EPOCH_UNIX_MS / 1000 + l.gpsMinusUtc, n: l.gpsMinusUtc };
});

/** GPS − UTC in seconds at GPS time `gpsSeconds`. */
export function gpsMinusUtcAt(gpsSeconds: number): number {
  let n = 0;
  for (const l of TABLE) if (gpsSeconds >= l.gps) n = l.n;
  return n;
}

/** True when `gpsSeconds` falls inside an inserted leap second (UTC 23:59:60). */
export function isLeapSecond(gpsSeconds: number): boolean {
  return TABLE.some((l) => gpsSeconds >= l.gps - 1 && gpsSeconds < l.gps);
}

/**
 * UTC `Date` of a GPS time (seconds). A JavaScript Date cannot show 23:59:60:
 * instants inside an inserted leap second map to the following 00:00:00
 * (use {@link gpsToUtcString} for an exact label).
 */
export function gpsToUtc(gpsSeconds: number): Date {
  const unixS = gpsSeconds + GPS_EPOCH_UNIX_MS / 1000 - gpsMinusUtcAt(gpsSeconds);
  if (isLeapSecond(gpsSeconds)) {
    const l = TABLE.find((x) => gpsSeconds >= x.gps - 1 && gpsSeconds < x.gps)!;
    return new Date(l.unixS * 1000);
  }
  return new Date(Math.round(unixS * 1000));
}

/** ISO-8601 UTC label of a GPS time, with `23:59:60.xxx` inside leap seconds. */
export function gpsToUtcString(gpsSeconds: number): string {
  if (isLeapSecond(gpsSeconds)) {
    const l = TABLE.find((x) => gpsSeconds >= x.gps - 1 && gpsSeconds < x.gps)!;
    const frac = gpsSeconds - (l.gps - 1);
    const before = new Date((l.unixS - 1) * 1000 + Math.round(frac * 1000)).toISOString();
    return before.replace(/:59\.(\d{3})Z$/, ':60.$1Z');
  }
  return gpsToUtc(gpsSeconds).toISOString();
}

/** GPS seconds of a UTC instant (Date, ISO string or Unix milliseconds). */
export function utcToGps(utc: Date | string | number): number {
  const ms = typeof utc === 'number' ? utc : typeof utc === 'string' ? Date.parse(utc) : utc.getTime();
  if (!Number.isFinite(ms)) throw new RangeError(`not a UTC time: ${String(utc)}`);
  const unixS = ms / 1000;
  let n = 0;
  for (const l of TABLE) if (unixS >= l.unixS) n = l.n;
  return unixS - GPS_EPOCH_UNIX_MS / 1000 + n;
}
