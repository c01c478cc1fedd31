#!/usr/bin/env node
// `pnpm lint` runs this: the layout rules of docs/architecture.md as a check,
// so they do not live only in prose.
//
// 1. Imports between workspace packages point down the floors (and never
//    sideways on floor 2); pipelines never import each other; only test/ and
//    bench/ import @astro/test-support.
// 2. No import cycle inside a package's src/, type-only imports included.
// 3. No source file over 600 lines unless a comment in its first 30 lines
//    says why (it must mention "600 lines").
import { readdirSync, readFileSync, statSync } from 'node:fs';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';

const root = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..');

/** Floor of each package; an import may go to a lower floor, or to `allowed` on the same floor. */
const FLOORS = {
  core: 1,
  'fits-io': 2, 'hdf5-io': 2, gwf: 2, wcs: 2, image: 2, checkpoint: 2,
  photometry: 3, psf: 3, scene: 3, batch: 3, plot: 3,
  virac: 4, 'sat-dataset': 4, 'forced-photometry': 4, lightcurver: 4, hetdex: 4,
};
/** Arrows allowed on floor 3 (later -> earlier in the order photometry, psf, scene; batch -> checkpoint is floor 2). */
const SAME_FLOOR_OK = new Set(['psf->photometry', 'scene->photometry', 'scene->psf']);
/** Floor-3 packages that may not import a given floor-2 package (plot imports only core; batch only core and checkpoint). */
const ONLY = { plot: ['core'], batch: ['core', 'checkpoint'] };

const problems = [];

function* walk(dir) {
  for (const e of readdirSync(dir, { withFileTypes: true })) {
    if (e.name === 'node_modules' || e.name === 'dist') continue;
    const p = path.join(dir, e.name);
    if (e.isDirectory()) yield* walk(p);
    else if (/\.(ts|mts|mjs|js)$/.test(e.name) && !e.name.endsWith('.d.ts')) yield p;
  }
}

const IMPORT_RE = /(?:^|\n)\s*(?:import|export)\s+(?:type\s+)?(?:[^'";]*?\sfrom\s+)?['"]([^'"]+)['"]|import\(\s*['"]([^'"]+)['"]\s*\)/g;
function importsOf(text) {
  const out = [];
  for (const m of text.matchAll(IMPORT_RE)) out.push(m[1] ?? m[2]);
  return out;
}

const packages = [];
for (const floorDir of ['packages', 'pipelines']) {
  for (const name of readdirSync(path.join(root, floorDir))) {
    const dir = path.join(root, floorDir, name);
    if (!statSync(dir).isDirectory()) continue;
    packages.push({ name, dir, floorDir });
  }
}

for (const pkg of packages) {
  const floor = FLOORS[pkg.name];
  if (floor === undefined) {
    problems.push(`${path.relative(root, pkg.dir)}: not in the floor table of scripts/check-layout.mjs (add it and to docs/architecture.md)`);
    continue;
  }
  if ((floor === 4) !== (pkg.floorDir === 'pipelines')) {
    problems.push(`${path.relative(root, pkg.dir)}: floor ${floor} packages live in ${floor === 4 ? 'pipelines/' : 'packages/'}`);
  }
  const srcDir = path.join(pkg.dir, 'src');
  const graph = new Map();
  for (const area of ['src', 'test', 'bench']) {
    const dir = path.join(pkg.dir, area);
    let files;
    try {
      files = [...walk(dir)];
    } catch {
      continue;
    }
    for (const file of files) {
      const text = readFileSync(file, 'utf8');
      const rel = path.relative(root, file);
      for (const spec of importsOf(text)) {
        const m = spec.match(/^@astro\/([^/]+)/);
        if (m) {
          const target = m[1];
          if (target === 'test-support') {
            if (area === 'src') problems.push(`${rel}: src/ imports @astro/test-support (only test/ and bench/ may)`);
            continue;
          }
          if (target === pkg.name || area !== 'src') continue;
          const tf = FLOORS[target];
          if (tf === undefined) continue;
          const ok = tf < floor || SAME_FLOOR_OK.has(`${pkg.name}->${target}`);
          if (!ok) problems.push(`${rel}: imports @astro/${target} (floor ${tf}) from floor ${floor}: imports point down only`);
          if (ONLY[pkg.name] && !ONLY[pkg.name].includes(target)) problems.push(`${rel}: @astro/${pkg.name} may import only ${ONLY[pkg.name].join(', ')}`);
        } else if (area === 'src' && spec.startsWith('.')) {
          const resolved = path.resolve(path.dirname(file), spec).replace(/\.js$/, '.ts');
          if (!graph.has(file)) graph.set(file, []);
          graph.get(file).push(resolved);
        }
      }
      if (area === 'src') {
        if (!graph.has(file)) graph.set(file, []);
        const lines = text.split('\n').length;
        if (lines > 600 && !/600 lines/.test(text.split('\n').slice(0, 30).join('\n'))) {
          problems.push(`${rel}: ${lines} lines and no comment in its first 30 lines saying why it is over 600 lines`);
        }
      }
    }
  }
  // Cycles (Tarjan's strongly connected components).
  let index = 0;
  const idx = new Map();
  const low = new Map();
  const stack = [];
  const on = new Set();
  const strong = (v) => {
    idx.set(v, index);
    low.set(v, index++);
    stack.push(v);
    on.add(v);
    for (const w of graph.get(v) ?? []) {
      if (!graph.has(w)) continue;
      if (!idx.has(w)) {
        strong(w);
        low.set(v, Math.min(low.get(v), low.get(w)));
      } else if (on.has(w)) low.set(v, Math.min(low.get(v), idx.get(w)));
    }
    if (low.get(v) === idx.get(v)) {
      const comp = [];
      let w;
      do {
        w = stack.pop();
        on.delete(w);
        comp.push(w);
      } while (w !== v);
      if (comp.length > 1) problems.push(`import cycle in ${path.relative(root, srcDir)}: ${comp.map((f) => path.relative(srcDir, f)).join(' -> ')}`);
    }
  };
  for (const v of graph.keys()) if (!idx.has(v)) strong(v);
}

if (problems.length > 0) {
  for (const p of problems) console.error(`layout: ${p}`);
  console.error(`layout: ${problems.length} problem(s); the rules are in docs/architecture.md`);
  process.exit(1);
}
console.log(`layout: ${packages.length} packages checked: imports point down, no cycles, no unexplained file over 600 lines`);
