/**
 * The VIRAC2 time-series tile layout, described once (paths, types, roles).
 * Every reader, writer and validator uses this table.
 */
export const ViracLayout = {
  groups: ['sourceList', 'catIndex', 'timeSeries'],
  sourceList: {
    sourceid: 'int64',
    ra: 'float64',
    dec: 'float64',
    ks_n_detections: 'int32',
    z_n_detections: 'int32',
    y_n_detections: 'int32',
    j_n_detections: 'int32',
    h_n_detections: 'int32',
  },
  catIndex: {
    catindexid: 'int64',
    mjdobs: 'float64',
    filter: 'S2',
    seeing: 'float32',
    exptime: 'float32',
    skylevel: 'float32',
    ellipticity: 'float32',
    tile: 'S4',
    tileloc: 'int32',
    filename: 'S20',
  },
  /** vlen columns, one row per source. */
  timeSeries: {
    catindexid: 'int64',
    catindexidcovered: 'int64',
    hfad_mag: 'float32',
    hfad_emag: 'float32',
    chi: 'float32',
    ast_res_chisq: 'float32',
    ambiguous_match: 'int32',
    cnf_ctr: 'int32',
    ext: 'int32',
    objtype: 'int32',
    diff_fit_ap: 'float32',
    sky: 'float32',
    x: 'float32',
    y: 'float32',
  },
} as const;

/** The photometric bands, in CSV column order. */
export const VIRAC_BANDS = ['Ks', 'Z', 'Y', 'J', 'H'] as const;

/** A VIRAC band name. */
export type ViracBand = (typeof VIRAC_BANDS)[number];

/** Index of the Ks band in {@link VIRAC_BANDS}. */
export const KS_BAND = 0;

/** Band code for a filter that is none of {@link VIRAC_BANDS}. */
export const OTHER_BAND = 255;

/** The CSV header line (without the line end). */
export const CSV_HEADER =
  'mjd,ks_mag,ks_err,z_mag,z_err,y_mag,y_err,j_mag,j_err,h_mag,h_err,seeing,exptime,skylevel,ellipticity,chi,ast_res_chisq,detected,filter';

/** The timeSeries columns the extraction reads. */
export const EXTRACTION_COLUMNS = [
  'catindexid',
  'catindexidcovered',
  'hfad_mag',
  'hfad_emag',
  'chi',
  'ast_res_chisq',
] as const;
