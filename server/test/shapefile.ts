// A polygon Shapefile written by hand for tests of Shapefile imports (forces' areas, risks' census layers).
import JSZip from 'jszip';

/** A polygon Shapefile written by hand (ESRI's layout: .shp, .shx, .dbf with one text field, .cpg, .prj), zipped. */
export async function shapefileZip(polys: { name: string; ring: [number, number][] }[], prj = true): Promise<Buffer> {
  const records = polys.map((p) => {
    // Shapefile outer rings run clockwise
    const ring = [...p.ring];
    const content = Buffer.alloc(44 + 4 + 16 * ring.length);
    content.writeInt32LE(5, 0);
    const xs = ring.map((q) => q[0]);
    const ys = ring.map((q) => q[1]);
    [Math.min(...xs), Math.min(...ys), Math.max(...xs), Math.max(...ys)].forEach((v, i) => {
      content.writeDoubleLE(v, 4 + 8 * i);
    });
    content.writeInt32LE(1, 36);
    content.writeInt32LE(ring.length, 40);
    content.writeInt32LE(0, 44);
    ring.forEach(([x, y], i) => {
      content.writeDoubleLE(x, 48 + 16 * i);
      content.writeDoubleLE(y, 56 + 16 * i);
    });
    return content;
  });
  const header = (lengthBytes: number) => {
    const h = Buffer.alloc(100);
    h.writeInt32BE(9994, 0);
    h.writeInt32BE(lengthBytes / 2, 24);
    h.writeInt32LE(1000, 28);
    h.writeInt32LE(5, 32);
    const all = polys.flatMap((p) => p.ring);
    [
      Math.min(...all.map((q) => q[0])),
      Math.min(...all.map((q) => q[1])),
      Math.max(...all.map((q) => q[0])),
      Math.max(...all.map((q) => q[1])),
    ].forEach((v, i) => {
      h.writeDoubleLE(v, 36 + 8 * i);
    });
    return h;
  };
  const shpParts: Buffer[] = [];
  const shxParts: Buffer[] = [];
  let offset = 100;
  records.forEach((c, i) => {
    const rh = Buffer.alloc(8);
    rh.writeInt32BE(i + 1, 0);
    rh.writeInt32BE(c.length / 2, 4);
    shpParts.push(rh, c);
    const x = Buffer.alloc(8);
    x.writeInt32BE(offset / 2, 0);
    x.writeInt32BE(c.length / 2, 4);
    shxParts.push(x);
    offset += 8 + c.length;
  });
  const shp = Buffer.concat([header(offset), ...shpParts]);
  const shx = Buffer.concat([header(100 + 8 * records.length), ...shxParts]);
  const width = 60;
  const dbfHead = Buffer.alloc(32 + 32 + 1);
  dbfHead.writeUInt8(3, 0);
  dbfHead.writeUInt32LE(polys.length, 4);
  dbfHead.writeUInt16LE(65, 8);
  dbfHead.writeUInt16LE(1 + width, 10);
  dbfHead.write('NAME', 32, 'latin1');
  dbfHead.write('C', 43, 'latin1');
  dbfHead.writeUInt8(width, 48);
  dbfHead.writeUInt8(0x0d, 64);
  const rows = polys.map((p) => {
    const r = Buffer.alloc(1 + width, 0x20);
    Buffer.from(p.name, 'utf8').copy(r, 1);
    return r;
  });
  const dbf = Buffer.concat([dbfHead, ...rows, Buffer.from([0x1a])]);
  const zip = new JSZip();
  zip.file('forests.shp', shp);
  zip.file('forests.shx', shx);
  zip.file('forests.dbf', dbf);
  zip.file('forests.cpg', 'UTF-8');
  if (prj)
    zip.file(
      'forests.prj',
      'GEOGCS["GCS_WGS_1984",DATUM["D_WGS_1984",SPHEROID["WGS_1984",6378137,298.257223563]],PRIMEM["Greenwich",0],UNIT["Degree",0.017453292519943295]]',
    );
  return zip.generateAsync({ type: 'nodebuffer' });
}
