import { describe, expect, it } from 'vitest';
import { LEAP_SECONDS, gpsMinusUtcAt, gpsToUtc, gpsToUtcString, isLeapSecond, utcToGps } from '@astro/gwf';

describe('GPS <-> UTC', () => {
  // Published conversions (GWOSC event times, the GPS epoch, LIGO's "GPS 1e9").
  const cases: [number, string][] = [
    [0, '1980-01-06T00:00:00.000Z'],
    [1126259462.4, '2015-09-14T09:50:45.400Z'], // GW150914
    [1187008882.4, '2017-08-17T12:41:04.400Z'], // GW170817
    [1000000000, '2011-09-14T01:46:25.000Z'],
    [46828801, '1981-07-01T00:00:00.000Z'], // just after the first leap second (GPS 46828800 is 1981-06-30T23:59:60)
    [1167264018, '2017-01-01T00:00:00.000Z'], // last leap second in the table
  ];
  for (const [gps, utc] of cases) {
    it(`GPS ${gps} = ${utc}`, () => {
      expect(gpsToUtc(gps).toISOString()).toBe(utc);
      expect(utcToGps(utc)).toBeCloseTo(gps, 6);
      expect(utcToGps(new Date(utc))).toBeCloseTo(gps, 6);
    });
  }

  it('labels the inserted leap second 23:59:60', () => {
    expect(isLeapSecond(1167264017.5)).toBe(true);
    expect(isLeapSecond(1167264018)).toBe(false);
    expect(gpsToUtcString(46828800)).toBe('1981-06-30T23:59:60.000Z');
    expect(gpsToUtcString(1167264017.5)).toBe('2016-12-31T23:59:60.500Z');
    expect(gpsToUtcString(1167264016)).toBe('2016-12-31T23:59:59.000Z');
    expect(gpsMinusUtcAt(1167264017)).toBe(17);
    expect(gpsMinusUtcAt(1167264018)).toBe(18);
    expect(gpsMinusUtcAt(0)).toBe(0);
  });

  it('matches the frame files: TAI-UTC (ULeapS) = GPS-UTC + 19', () => {
    // H-H1_LOSC (2015-09) stores ULeapS 36; libframe-test (2009-05) 34.
    expect(gpsMinusUtcAt(1126259446) + 19).toBe(36);
    expect(gpsMinusUtcAt(925484675) + 19).toBe(34);
    expect(LEAP_SECONDS.at(-1)!.gpsMinusUtc).toBe(18);
  });

  it('round-trips every second around each leap', () => {
    for (const l of LEAP_SECONDS) {
      const at = utcToGps(`${l.utc}T00:00:00Z`);
      for (const dt of [-3, -2, 0, 1, 2]) {
        const g = at + dt;
        expect(utcToGps(gpsToUtc(g))).toBe(g);
      }
    }
  });
});
