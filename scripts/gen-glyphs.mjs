// Writes the map's Latin glyphs (signed distance fields in MapLibre's glyph PBF format) to
// server/geo/tiles/assets/glyphs/<font>/<start>-<end>.pbf from Noto Sans (SIL OFL 1.1, npm @fontsource/noto-sans).
// Chinese is drawn by the browser (MapLibre's localIdeographFontFamily), so only Latin ranges are made.
// Run: node scripts/gen-glyphs.mjs   (devDependencies: opentype.js, @fontsource/noto-sans, pbf)
//
// The format is node-fontnik's, which MapLibre reads: 24 px glyphs, a 3 px buffer around each bitmap, one byte per
// pixel, 255 - clamp(64 + 32 × signed distance in px), the distance negative inside, so the outline is at 191
// (MapLibre's SDF edge 0.75) and a pixel is 32 units; `top` is the glyph's top above the baseline minus 25, the
// baseline MapLibre's shaping assumes (as maplibre/font-maker writes it).
import { copyFileSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import opentype from 'opentype.js';
import { PbfWriter } from 'pbf';

const SIZE = 24;
const BUFFER = 3;
const RADIUS = 8;
const CUTOFF = 0.25;
const BASELINE = 25;
const RANGES = [
  [0, 255],
  [256, 511],
  [8192, 8447],
];

const root = join(dirname(fileURLToPath(import.meta.url)), '..');
const fontDir = join(root, 'node_modules', '@fontsource', 'noto-sans');
const outDir = join(root, 'server', 'geo', 'tiles', 'assets', 'glyphs');
const FONTS = [
  { name: 'Noto Sans Regular', dir: 'noto-sans-regular', weight: 400 },
  { name: 'Noto Sans Bold', dir: 'noto-sans-bold', weight: 700 },
];

function load(file) {
  const b = readFileSync(join(fontDir, 'files', file));
  return opentype.parse(b.buffer.slice(b.byteOffset, b.byteOffset + b.byteLength));
}

/** The glyph's outline as closed rings of points in pixels, y up (baseline at 0). */
function rings(glyph) {
  const out = [];
  let ring = [];
  let x = 0;
  let y = 0;
  const to = (px, py) => {
    ring.push([px, py]);
    x = px;
    y = py;
  };
  const close = () => {
    if (ring.length > 1) {
      const [fx, fy] = ring[0];
      const [lx, ly] = ring[ring.length - 1];
      if (fx !== lx || fy !== ly) ring.push([fx, fy]);
      out.push(ring);
    }
    ring = [];
  };
  for (const c of glyph.getPath(0, 0, SIZE).commands) {
    // opentype's paths are y down; flip to the font's y up
    if (c.type === 'M') {
      close();
      to(c.x, -c.y);
    } else if (c.type === 'L') {
      to(c.x, -c.y);
    } else if (c.type === 'Q') {
      const [x0, y0, x1, y1, x2, y2] = [x, y, c.x1, -c.y1, c.x, -c.y];
      const n = Math.max(2, Math.ceil(Math.hypot(x2 - x0, y2 - y0) * 2));
      for (let i = 1; i <= n; i++) {
        const t = i / n;
        const u = 1 - t;
        to(u * u * x0 + 2 * u * t * x1 + t * t * x2, u * u * y0 + 2 * u * t * y1 + t * t * y2);
      }
    } else if (c.type === 'C') {
      const [x0, y0, x1, y1, x2, y2, x3, y3] = [x, y, c.x1, -c.y1, c.x2, -c.y2, c.x, -c.y];
      const n = Math.max(3, Math.ceil(Math.hypot(x3 - x0, y3 - y0) * 2));
      for (let i = 1; i <= n; i++) {
        const t = i / n;
        const u = 1 - t;
        to(
          u * u * u * x0 + 3 * u * u * t * x1 + 3 * u * t * t * x2 + t * t * t * x3,
          u * u * u * y0 + 3 * u * u * t * y1 + 3 * u * t * t * y2 + t * t * t * y3,
        );
      }
    } else if (c.type === 'Z') {
      close();
    }
  }
  close();
  return out;
}

function segmentDistance(px, py, ax, ay, bx, by) {
  const dx = bx - ax;
  const dy = by - ay;
  const l2 = dx * dx + dy * dy;
  let t = l2 === 0 ? 0 : ((px - ax) * dx + (py - ay) * dy) / l2;
  t = Math.max(0, Math.min(1, t));
  return Math.hypot(px - (ax + t * dx), py - (ay + t * dy));
}

/** Non-zero winding, as TrueType fills outlines. */
function inside(rs, px, py) {
  let w = 0;
  for (const r of rs) {
    for (let i = 0; i + 1 < r.length; i++) {
      const [ax, ay] = r[i];
      const [bx, by] = r[i + 1];
      const side = (bx - ax) * (py - ay) - (px - ax) * (by - ay);
      if (ay <= py) {
        if (by > py && side > 0) w++;
      } else if (by <= py && side < 0) w--;
    }
  }
  return w !== 0;
}

/** One glyph's metrics and SDF bitmap, or metrics alone for glyphs without ink (space). */
function sdf(font, glyph, id) {
  const advance = Math.round((glyph.advanceWidth * SIZE) / font.unitsPerEm);
  const rs = rings(glyph);
  const pts = rs.flat();
  if (!pts.length) return { id, width: 0, height: 0, left: 0, top: 0, advance };
  const xmin = Math.round(Math.min(...pts.map((p) => p[0])));
  const xmax = Math.round(Math.max(...pts.map((p) => p[0])));
  const ymin = Math.round(Math.min(...pts.map((p) => p[1])));
  const ymax = Math.round(Math.max(...pts.map((p) => p[1])));
  const width = xmax - xmin;
  const height = ymax - ymin;
  if (width <= 0 || height <= 0) return { id, width: 0, height: 0, left: 0, top: 0, advance };
  const w = width + 2 * BUFFER;
  const h = height + 2 * BUFFER;
  const bitmap = new Uint8Array(w * h);
  for (let row = 0; row < h; row++) {
    for (let col = 0; col < w; col++) {
      const px = xmin - BUFFER + col + 0.5;
      const py = ymax + BUFFER - row - 0.5;
      let d = RADIUS;
      for (const r of rs) {
        for (let i = 0; i + 1 < r.length; i++) {
          d = Math.min(d, segmentDistance(px, py, r[i][0], r[i][1], r[i + 1][0], r[i + 1][1]));
        }
      }
      const signed = inside(rs, px, py) ? -d : d;
      const n = Math.min(255, Math.max(0, Math.floor(signed * (256 / RADIUS) + CUTOFF * 256)));
      bitmap[row * w + col] = 255 - n;
    }
  }
  return { id, width, height, left: xmin, top: ymax - BASELINE, advance, bitmap };
}

function writeGlyph(g, pbf) {
  pbf.writeVarintField(1, g.id);
  if (g.bitmap) pbf.writeBytesField(2, g.bitmap);
  pbf.writeVarintField(3, g.width);
  pbf.writeVarintField(4, g.height);
  pbf.writeSVarintField(5, g.left);
  pbf.writeSVarintField(6, g.top);
  pbf.writeVarintField(7, g.advance);
}

function encode(name, range, glyphs) {
  const pbf = new PbfWriter();
  pbf.writeMessage(
    1,
    (_, p) => {
      p.writeStringField(1, name);
      p.writeStringField(2, range);
      for (const g of glyphs) p.writeMessage(3, writeGlyph, g);
    },
    null,
  );
  return pbf.finish();
}

rmSync(outDir, { recursive: true, force: true });
for (const f of FONTS) {
  const faces = [load(`noto-sans-latin-${f.weight}-normal.woff`), load(`noto-sans-latin-ext-${f.weight}-normal.woff`)];
  mkdirSync(join(outDir, f.dir), { recursive: true });
  for (const [start, end] of RANGES) {
    const glyphs = [];
    for (let cp = start; cp <= end; cp++) {
      const ch = String.fromCodePoint(cp);
      const font = faces.find((face) => face.charToGlyphIndex(ch) > 0);
      if (font) glyphs.push(sdf(font, font.charToGlyph(ch), cp));
    }
    const bytes = encode(f.name, `${start}-${end}`, glyphs);
    writeFileSync(join(outDir, f.dir, `${start}-${end}.pbf`), bytes);
    console.log(`${f.name} ${start}-${end}: ${glyphs.length} glyphs, ${bytes.length} bytes`);
  }
}
copyFileSync(join(fontDir, 'LICENSE'), join(outDir, 'OFL.txt'));
