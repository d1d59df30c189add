/** A tiny OSM XML writer for hand-made test fixtures: nodes with optional tags, ways and relations. */

export type Node = [id: number, lon: number, lat: number, tags?: Record<string, string>];
export interface Way {
  id: number;
  nodes: number[];
  tags: Record<string, string>;
}
export interface Relation {
  id: number;
  members: [type: 'node' | 'way', ref: number, role: string][];
  tags: Record<string, string>;
}

const esc = (s: string) => s.replace(/&/g, '&amp;').replace(/"/g, '&quot;').replace(/</g, '&lt;');
const tagsXml = (tags: Record<string, string>) =>
  Object.entries(tags)
    .map(([k, v]) => `    <tag k="${esc(k)}" v="${esc(v)}"/>\n`)
    .join('');

export function osmXml(nodes: Node[], ways: Way[], relations: Relation[] = []): string {
  let x = '<?xml version="1.0" encoding="UTF-8"?>\n<osm version="0.6" generator="test">\n';
  for (const [id, lon, lat, tags] of nodes) {
    const head = `  <node id="${id}" lat="${lat}" lon="${lon}"`;
    x += tags && Object.keys(tags).length > 0 ? `${head}>\n${tagsXml(tags)}  </node>\n` : `${head}/>\n`;
  }
  for (const w of ways) {
    x += `  <way id="${w.id}">\n${w.nodes.map((n) => `    <nd ref="${n}"/>\n`).join('')}${tagsXml(w.tags)}  </way>\n`;
  }
  for (const r of relations) {
    const members = r.members.map(([t, ref, role]) => `    <member type="${t}" ref="${ref}" role="${role}"/>\n`);
    x += `  <relation id="${r.id}">\n${members.join('')}${tagsXml(r.tags)}  </relation>\n`;
  }
  return `${x}</osm>\n`;
}
