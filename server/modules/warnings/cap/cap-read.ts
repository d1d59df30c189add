/**
 * Reads CAP input: a lone alert (CAP 1.0, 1.1, 1.2), an Atom or RSS 2.0 feed (alerts inline, or links of an index
 * feed), or an EDXL-DE 1.0 envelope with alerts embedded. Every alert is validated against its official OASIS schema
 * (`schemas/`, libxml2) and then against the rules of the CAP specification that no schema can say (the format of
 * `<references>`, of polygons and circles, time zones, scope and its restriction or addresses…). Any problem refuses
 * the whole input with every reason found, one line each with its line number (unless `skipBadAlerts` lets a feed's
 * good alerts through); what is accepted is plain data (`cap-types.ts`).
 *
 * Safety: a document type declaration (DOCTYPE) is refused before the XML is parsed at all, so no DTD and no
 * external entity is ever resolved (the XXE files of the corpus); the parser runs with external entities and network
 * off as a second guard.
 */
import { ParseOption, XmlDocument, XmlElement, XmlParseError, type XmlTreeNode, XmlValidateError } from 'libxml2-wasm';
import { CapRefused } from './cap.errors.ts';
import { schemaValidator } from './cap-schemas.ts';
import {
  ATOM_NS,
  CAP_NAMESPACES,
  type CapAlert,
  type CapArea,
  type CapCertainty,
  type CapCircle,
  type CapInfo,
  type CapMsgType,
  type CapReadKind,
  type CapReadResult,
  type CapReference,
  type CapResource,
  type CapScope,
  type CapSeverity,
  type CapStatus,
  type CapUrgency,
  type CapValuePair,
  type CapVersion,
  EDXL_DE_NS,
  XMLDSIG_NS,
} from './cap-types.ts';

export interface ReadCapOptions {
  /** the request field named in a refusal (default `body`) */
  field?: string;
  /**
   * Feeds and envelopes (polling): an alert inside that fails is skipped, its reasons told as warnings, so the good
   * ones still come through. A lone alert, and a feed's own structure, are refused as always.
   */
  skipBadAlerts?: boolean;
}

/** Reads one CAP input; throws `CapRefused` (with `reasons`) when it is not acceptable. */
export function readCap(input: Buffer | Uint8Array, options: ReadCapOptions = {}): CapReadResult {
  const field = options.field ?? 'body';
  const bytes = input instanceof Uint8Array ? input : new Uint8Array(input);
  if (bytes.length === 0) throw new CapRefused('CAP_NOT_XML', ['the input is empty'], { field });

  const scan = scanProlog(bytes);
  if (scan.doctypeLine !== undefined) {
    throw new CapRefused(
      'CAP_DTD_REFUSED',
      [
        `line ${scan.doctypeLine}: a DOCTYPE declaration: DTDs and entities are never read (XML external entity attack)`,
      ],
      { field, line: scan.doctypeLine },
    );
  }
  const { parseBytes, parseEncoding, text } = decode(bytes, scan.encoding, field);

  let doc: XmlDocument;
  try {
    doc = XmlDocument.fromBuffer(parseBytes, {
      option: ParseOption.XML_PARSE_NONET | ParseOption.XML_PARSE_NO_XXE | ParseOption.XML_PARSE_BIG_LINES,
      ...(parseEncoding ? { encoding: parseEncoding } : {}),
    });
  } catch (e) {
    if (e instanceof XmlParseError) {
      const reasons = e.details.length
        ? e.details.map((d) => `line ${d.line}: ${clean(d.message)}`)
        : [clean(e.message)];
      throw new CapRefused('CAP_NOT_XML', reasons, { field });
    }
    throw e;
  }
  try {
    // the prolog scan refused every DOCTYPE; this would only catch a parser that found one the scan missed
    if (doc.dtd) throw new CapRefused('CAP_DTD_REFUSED', ['a document type declaration'], { field, line: 1 });
    const r = new Reader(text, field, options.skipBadAlerts ?? false);
    const result = r.read(doc);
    if (r.reasons.length) throw new CapRefused('CAP_INVALID', r.reasons, { field });
    return result;
  } finally {
    doc.dispose();
  }
}

// ---------------------------------------------------------------------------------------------------------------
// Before parsing: the prolog (DOCTYPE, declared encoding)

interface PrologScan {
  doctypeLine?: number;
  encoding?: string;
}

/**
 * Walks the prolog (XML declaration, processing instructions, comments, white space) up to the root element. A
 * DOCTYPE can only stand there, so text inside elements (a description quoting "<!DOCTYPE html>") is never mistaken.
 */
function scanProlog(bytes: Uint8Array): PrologScan {
  const utf16 =
    (bytes[0] === 0xfe && bytes[1] === 0xff) || (bytes[0] === 0x00 && bytes[1] === 0x3c)
      ? 'utf-16be'
      : (bytes[0] === 0xff && bytes[1] === 0xfe) || (bytes[0] === 0x3c && bytes[1] === 0x00)
        ? 'utf-16le'
        : undefined;
  // every encoding XML allows besides UTF-16 writes the prolog's markup in ASCII: latin1 reads it byte for byte
  // the whole input: a prolog padded with a long comment hides no DOCTYPE past a window
  const s = utf16
    ? new TextDecoder(utf16).decode(bytes)
    : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1');
  const out: PrologScan = {};
  if (utf16) out.encoding = utf16;
  else {
    const decl = /^<\?xml\s[^?]*?encoding\s*=\s*["']([A-Za-z0-9._:-]+)["']/.exec(s.replace(/^\xEF\xBB\xBF/, ''));
    if (decl) out.encoding = decl[1];
  }
  let i = s.charCodeAt(0) === 0xfeff ? 1 : s.startsWith('\xEF\xBB\xBF') ? 3 : 0;
  for (;;) {
    while (i < s.length && /\s/.test(s[i]!)) i++;
    if (s.startsWith('<?', i)) {
      const end = s.indexOf('?>', i + 2);
      if (end < 0) break;
      i = end + 2;
    } else if (s.startsWith('<!--', i)) {
      const end = s.indexOf('-->', i + 4);
      if (end < 0) break;
      i = end + 3;
    } else {
      if (/^<!DOCTYPE/i.test(s.slice(i, i + 9))) out.doctypeLine = lineAt(s, i);
      break;
    }
  }
  return out;
}

function lineAt(s: string, index: number): number {
  let n = 1;
  for (let k = s.indexOf('\n'); k >= 0 && k < index; k = s.indexOf('\n', k + 1)) n++;
  return n;
}

/** Encodings libxml2 (built without iconv) reads itself; others are decoded here and handed over as UTF-8. */
const NATIVE = new Set([
  'utf-8',
  'utf8',
  'utf-16',
  'utf-16le',
  'utf-16be',
  'iso-8859-1',
  'latin1',
  'iso_8859-1',
  'us-ascii',
  'ascii',
]);

function decode(
  bytes: Uint8Array,
  declared: string | undefined,
  field: string,
): { parseBytes: Uint8Array; parseEncoding?: string; text: string } {
  const label = (declared ?? 'utf-8').toLowerCase();
  let decoder: TextDecoder;
  try {
    decoder = new TextDecoder(label);
  } catch {
    throw new CapRefused('CAP_NOT_XML', [`line 1: unknown character encoding "${declared}"`], { field });
  }
  let text: string;
  try {
    // the Encoding Standard reads "ISO-8859-1" as windows-1252; XML (and libxml2) mean the real Latin-1
    text =
      decoder.encoding === 'windows-1252' && /^(iso[-_]?8859-1|latin1|l1)$/.test(label)
        ? Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('latin1')
        : new TextDecoder(decoder.encoding, { fatal: true }).decode(bytes);
  } catch {
    throw new CapRefused(
      'CAP_NOT_XML',
      [`the bytes are not valid ${declared ?? 'UTF-8'} (the encoding the document declares or XML's default)`],
      { field },
    );
  }
  if (NATIVE.has(label)) return { parseBytes: bytes, text };
  // e.g. GB2312/GBK/GB18030, which Chinese feeds may declare: libxml2 reads the same characters as UTF-8
  return { parseBytes: new TextEncoder().encode(text), parseEncoding: 'UTF-8', text };
}

// ---------------------------------------------------------------------------------------------------------------
// Walking the tree

const CAP_VERSION_OF = new Map<string, CapVersion>(
  Object.entries(CAP_NAMESPACES).map(([v, ns]) => [ns, v as CapVersion]),
);

function elements(parent: XmlElement): XmlElement[] {
  const out: XmlElement[] = [];
  for (let n: XmlTreeNode | null = parent.firstChild; n; n = n.next) if (n instanceof XmlElement) out.push(n);
  return out;
}

function localName(el: XmlElement): string {
  const n = el.name;
  const k = n.indexOf(':');
  return k < 0 ? n : n.slice(k + 1);
}

function isCapAlert(el: XmlElement): boolean {
  return localName(el) === 'alert' && CAP_VERSION_OF.has(el.namespaceUri);
}

/** libxml2's messages name elements `{namespace}name`: the namespace is known from the context, so it goes. */
function clean(message: string): string {
  return message
    .trim()
    .replace(/\{[^}]*\}/g, '')
    .replace(/\s+/g, ' ');
}

const FEED_CHILDREN = new Set([
  'author',
  'category',
  'contributor',
  'generator',
  'icon',
  'id',
  'link',
  'logo',
  'rights',
  'subtitle',
  'title',
  'updated',
  'entry',
]);
const ENTRY_CHILDREN = new Set([
  'author',
  'category',
  'content',
  'contributor',
  'id',
  'link',
  'published',
  'rights',
  'source',
  'summary',
  'title',
  'updated',
]);
const CAP_MIME = 'application/cap+xml';

class Reader {
  readonly reasons: string[] = [];
  readonly warnings: string[] = [];
  readonly alerts: CapAlert[] = [];
  readonly links: string[] = [];

  constructor(
    private readonly text: string,
    private readonly field: string,
    private readonly skipBadAlerts: boolean,
  ) {}

  read(doc: XmlDocument): CapReadResult {
    const root = doc.root;
    const name = localName(root);
    const ns = root.namespaceUri;
    let kind: CapReadKind;
    if (isCapAlert(root)) {
      kind = 'alert';
      this.alert(root, this.text);
    } else if (name === 'feed' && ns === ATOM_NS) {
      kind = 'atom';
      this.atom(root);
    } else if (name === 'rss' && !ns) {
      kind = 'rss';
      this.rss(root);
    } else if (name === 'EDXLDistribution' && ns === EDXL_DE_NS) {
      kind = 'edxl-de';
      this.edxl(doc, root);
    } else {
      throw new CapRefused('CAP_NOT_CAP', [`line ${root.line}: the root element is ${ns ? `{${ns}}` : ''}${name}`], {
        field: this.field,
        root: ns ? `{${ns}}${name}` : name,
      });
    }
    return {
      kind,
      alerts: this.alerts,
      links: this.links,
      warnings: this.warnings,
      signature: this.alerts.some((a) => a.signature === 'present') ? 'present' : 'none',
    };
  }

  private reason(line: number | undefined, text: string) {
    this.reasons.push(line ? `line ${line}: ${text}` : text);
  }

  // -- Atom (RFC 4287) ------------------------------------------------------------------------------------------

  private atom(feed: XmlElement) {
    const kids = elements(feed);
    for (const el of kids) {
      if (el.namespaceUri === ATOM_NS && !FEED_CHILDREN.has(localName(el)))
        this.reason(el.line, `<${localName(el)}> is not an Atom element of <feed> (RFC 4287 §4.1.1)`);
      else if (isCapAlert(el))
        this.reason(el.line, 'a CAP alert outside an <entry>: a feed carries alerts in its entries only');
    }
    this.requireAtom(feed, kids, 'feed', ['id', 'title', 'updated']);
    for (const entry of kids.filter((e) => e.namespaceUri === ATOM_NS && localName(e) === 'entry')) this.entry(entry);
  }

  private requireAtom(el: XmlElement, kids: XmlElement[], what: string, names: string[]) {
    for (const n of names) {
      if (!kids.some((k) => k.namespaceUri === ATOM_NS && localName(k) === n))
        this.reason(el.line, `<${what}> has no <${n}> (RFC 4287 requires one)`);
    }
  }

  private entry(entry: XmlElement) {
    const kids = elements(entry);
    for (const el of kids) {
      if (el.namespaceUri === ATOM_NS && !ENTRY_CHILDREN.has(localName(el)))
        this.reason(el.line, `<${localName(el)}> is not an Atom element of <entry> (RFC 4287 §4.1.2)`);
    }
    this.requireAtom(entry, kids, 'entry', ['id', 'title', 'updated']);
    const atom = (n: string) => kids.filter((k) => k.namespaceUri === ATOM_NS && localName(k) === n);
    const content = atom('content')[0];
    const inline = content ? elements(content).filter(isCapAlert) : [];
    for (const a of inline) this.alert(a);
    if (inline.length) return;
    const links = atom('link');
    const href =
      content?.attr('src')?.value ||
      links.find((l) => l.attr('type')?.value === CAP_MIME)?.attr('href')?.value ||
      links.find((l) => (l.attr('rel')?.value ?? 'alternate') === 'alternate')?.attr('href')?.value;
    if (href) this.links.push(href.trim());
    else
      this.reason(
        entry.line,
        '<entry> carries no CAP alert in <content> and no <link> to one (RFC 4287 §4.1.1: an entry without content needs an alternate link)',
      );
  }

  // -- RSS 2.0 --------------------------------------------------------------------------------------------------

  private rss(rss: XmlElement) {
    const version = rss.attr('version')?.value;
    if (version !== '2.0') this.warnings.push(`line ${rss.line}: RSS version "${version ?? ''}" read as 2.0`);
    const channels = elements(rss).filter((e) => localName(e) === 'channel' && !e.namespaceUri);
    if (channels.length !== 1) {
      this.reason(rss.line, `<rss> needs exactly one <channel> (found ${channels.length})`);
      return;
    }
    const channel = channels[0]!;
    const kids = elements(channel);
    const plain = (list: XmlElement[], n: string) => list.filter((k) => !k.namespaceUri && localName(k) === n);
    for (const n of ['title', 'link', 'description'])
      if (!plain(kids, n).length) this.reason(channel.line, `<channel> has no <${n}> (required by RSS 2.0)`);
    for (const item of plain(kids, 'item')) {
      const ik = elements(item);
      if (!plain(ik, 'title').length && !plain(ik, 'description').length)
        this.reason(item.line, '<item> has neither <title> nor <description> (RSS 2.0 requires one of them)');
      const inline = ik.flatMap((k) => (isCapAlert(k) ? [k] : elements(k).filter(isCapAlert)));
      for (const a of inline) this.alert(a);
      if (inline.length) continue;
      const guid = plain(ik, 'guid')[0];
      const href =
        plain(ik, 'enclosure')
          .find((e) => e.attr('type')?.value === CAP_MIME)
          ?.attr('url')?.value ||
        plain(ik, 'link')[0]?.content.trim() ||
        (guid && guid.attr('isPermaLink')?.value !== 'false' ? guid.content.trim() : undefined);
      if (href) this.links.push(href);
      else this.reason(item.line, '<item> has no CAP alert and no <link> to one');
    }
  }

  // -- EDXL-DE 1.0 ----------------------------------------------------------------------------------------------

  private edxl(doc: XmlDocument, root: XmlElement) {
    this.validate(doc, root, 'edxl-de');
    for (const co of elements(root).filter((e) => localName(e) === 'contentObject')) {
      for (const part of elements(co)) {
        const what = localName(part);
        if (what === 'xmlContent') {
          for (const emb of elements(part).filter((e) => localName(e) === 'embeddedXMLContent')) {
            for (const el of elements(emb)) {
              if (isCapAlert(el)) this.alert(el);
              else this.warnings.push(`line ${el.line}: embedded <${localName(el)}> is not a CAP alert: ignored`);
            }
          }
        } else if (what === 'nonXMLContent') {
          const kids = elements(part);
          const mime = kids.find((k) => localName(k) === 'mimeType')?.content.trim();
          const uri = kids.find((k) => localName(k) === 'uri')?.content.trim();
          if (mime === CAP_MIME && uri) this.links.push(uri);
        }
      }
    }
  }

  // -- one alert ------------------------------------------------------------------------------------------------

  /** Schema errors of `el` (or of the whole document when it is the root) as reasons; true when there were none. */
  private validate(doc: XmlDocument | null, el: XmlElement, schema: CapVersion | 'edxl-de'): boolean {
    try {
      if (doc) schemaValidator(schema).validate(doc);
      else schemaValidator(schema).validate(el);
      return true;
    } catch (e) {
      if (!(e instanceof XmlValidateError)) throw e;
      const label = schema === 'edxl-de' ? 'EDXL-DE 1.0 schema' : `CAP ${schema} schema`;
      if (!e.details.length) this.reason(el.line, `${label}: ${clean(e.message)}`);
      for (const d of e.details) this.reason(d.line || el.line, `${label}: ${clean(d.message)}`);
      return false;
    }
  }

  private alert(el: XmlElement, wholeText?: string) {
    const version = CAP_VERSION_OF.get(el.namespaceUri)!;
    const signatures = elements(el).filter((k) => k.namespaceUri === XMLDSIG_NS);
    const xml = wholeText ?? el.toString();
    // CAP 1.0 and 1.1 allow an enveloped XML signature as the spec's text says (§3.3.2.1 / 3.3.4.1) but their
    // schemas have no place for it (1.2 added the `any` of the xmldsig namespace): the schema judges the rest
    if (version !== '1.2') for (const s of signatures) s.remove();
    const before = this.reasons.length;
    const a = this.validate(null, el, version)
      ? new AlertReader(el, version, (line, text) => this.reason(line, text), this.warnings).read()
      : null;
    if (this.reasons.length > before) {
      if (this.skipBadAlerts && wholeText === undefined)
        for (const r of this.reasons.splice(before)) this.warnings.push(`alert at line ${el.line} skipped: ${r}`);
      return;
    }
    if (a) this.alerts.push({ ...a, signature: signatures.length ? 'present' : 'none', xml, line: el.line });
  }
}

// ---------------------------------------------------------------------------------------------------------------
// The rules of the CAP specification beyond its schema (CAP 1.2 §3.2; the same in 1.0 and 1.1 unless said)

const DATE_TIME = /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d(\.\d+)?([+-]\d\d:\d\d)?(Z)?$/;
/** a pair "latitude,longitude" of WGS 84 decimal degrees */
const NUMBER = /^[+-]?(\d+(\.\d*)?|\.\d+)$/;

type Say = (line: number | undefined, text: string) => void;
type AlertCore = Omit<CapAlert, 'signature' | 'xml' | 'line'>;

class AlertReader {
  constructor(
    private readonly el: XmlElement,
    private readonly version: CapVersion,
    private readonly say: Say,
    private readonly warnings: string[],
  ) {}

  private one(parent: XmlElement, name: string): XmlElement | undefined {
    return elements(parent).find((k) => localName(k) === name && k.namespaceUri === parent.namespaceUri);
  }
  private all(parent: XmlElement, name: string): XmlElement[] {
    return elements(parent).filter((k) => localName(k) === name && k.namespaceUri === parent.namespaceUri);
  }
  private text(parent: XmlElement, name: string): string | undefined {
    const e = this.one(parent, name);
    return e ? e.content.trim() : undefined;
  }

  read(): AlertCore | null {
    const el = this.el;
    const identifier = this.plainId(el, 'identifier');
    const sender = this.plainId(el, 'sender');
    const sent = this.time(el, 'sent')!;
    const status = this.text(el, 'status') as CapStatus;
    const msgType = this.text(el, 'msgType') as CapMsgType;
    const scope = (this.text(el, 'scope') ?? 'Public') as CapScope;
    const restriction = this.text(el, 'restriction');
    const addresses = this.text(el, 'addresses');
    if (scope === 'Restricted' && !restriction)
      this.say(this.one(el, 'scope')?.line, 'scope "Restricted" needs a <restriction> saying the rule (CAP §3.2.1)');
    if (scope === 'Private' && !addresses)
      this.say(this.one(el, 'scope')?.line, 'scope "Private" needs <addresses> naming the recipients (CAP §3.2.1)');
    const references = this.references(el, msgType);
    const infos = this.all(el, 'info').map((i) => this.info(i));
    return {
      version: this.version,
      identifier,
      sender,
      sent,
      status,
      msgType,
      ...opt('source', this.text(el, 'source')),
      scope,
      ...opt('restriction', restriction),
      ...opt('addresses', addresses),
      code: this.all(el, 'code').map((c) => c.content.trim()),
      ...opt('note', this.text(el, 'note')),
      references,
      ...opt('incidents', this.text(el, 'incidents')),
      infos,
    };
  }

  /** identifier and sender: "MUST NOT include spaces, commas or restricted characters (< and &)" */
  private plainId(parent: XmlElement, name: string): string {
    const e = this.one(parent, name)!;
    const v = e.content.trim();
    if (!v) this.say(e.line, `<${name}> is empty`);
    else if (/[\s,<&]/.test(v))
      this.say(e.line, `<${name}> "${v}" must not contain spaces, commas, "<" or "&" (CAP §3.2.1)`);
    return v;
  }

  /** A CAP time: an explicit numeric offset, never "Z"; UTC is "-00:00" in CAP 1.2 ("+00:00" is only warned). */
  private time(parent: XmlElement, name: string): string | undefined {
    const e = this.one(parent, name);
    if (!e) return undefined;
    const v = e.content.trim();
    this.checkTime(v, `<${name}>`, e.line);
    return v;
  }

  private checkTime(v: string, what: string, line: number): boolean {
    const m = DATE_TIME.exec(v);
    if (!m || Number.isNaN(Date.parse(v))) {
      this.say(line, `${what} "${v}" is not a date and time like 2002-05-24T16:49:00-07:00`);
      return false;
    }
    if (m[3]) {
      this.say(
        line,
        `${what} "${v}": time zone designators such as "Z" must not be used (CAP §3.2.1: UTC is "-00:00")`,
      );
      return false;
    }
    if (!m[2]) {
      this.say(line, `${what} "${v}" has no time zone offset (CAP requires one, e.g. +08:00)`);
      return false;
    }
    // CAP 1.2 writes UTC "-00:00"; national services (WMO members in the corpus) write "+00:00", the same instant:
    // told, not refused (1.1 allowed both)
    if (this.version === '1.2' && m[2] === '+00:00')
      this.warnings.push(`line ${line}: ${what} "${v}": CAP 1.2 writes UTC as "-00:00"`);
    return true;
  }

  /**
   * `<references>`: whitespace-separated `sender,identifier,sent` triples (CAP 1.1, 1.2; CAP 1.0 also allowed bare
   * identifiers). Present, it names at least one message; an Update, Cancel, Ack or Error refers to "the earlier
   * message(s) identified in <references>", so it needs them.
   */
  private references(el: XmlElement, msgType: CapMsgType): CapReference[] {
    const e = this.one(el, 'references');
    const out: CapReference[] = [];
    if (!e) {
      if (msgType !== 'Alert')
        this.say(
          this.one(el, 'msgType')?.line,
          `msgType "${msgType}" needs <references> naming the earlier message(s) it concerns (CAP §3.2.1)`,
        );
      return out;
    }
    const tokens = e.content.trim().split(/\s+/).filter(Boolean);
    if (!tokens.length)
      this.say(e.line, '<references> is empty: it must name earlier messages as sender,identifier,sent (CAP §3.2.1)');
    for (const t of tokens) {
      const parts = t.split(',');
      if (parts.length === 1 && this.version === '1.0') {
        out.push({ sender: '', identifier: t, sent: '' });
        continue;
      }
      if (parts.length !== 3 || parts.some((p) => !p)) {
        this.say(e.line, `<references> entry "${t}" is not sender,identifier,sent (CAP §3.2.1)`);
        continue;
      }
      const [sender, identifier, sent] = parts as [string, string, string];
      if (this.checkTime(sent, `<references> entry "${t}": sent`, e.line)) out.push({ sender, identifier, sent });
    }
    return out;
  }

  private pairs(parent: XmlElement, name: string): CapValuePair[] {
    return this.all(parent, name).map((p) => {
      const kids = elements(p);
      const get = (n: string) => kids.find((k) => localName(k) === n)?.content.trim() ?? '';
      // CAP 1.0 wrote eventCode, parameter and geocode as "valueName=value" text
      if (!kids.length && this.version === '1.0') {
        const s = p.content.trim();
        const k = s.indexOf('=');
        return k < 0 ? { valueName: '', value: s } : { valueName: s.slice(0, k), value: s.slice(k + 1) };
      }
      return { valueName: get('valueName'), value: get('value') };
    });
  }

  private info(i: XmlElement): CapInfo {
    const areas = this.all(i, 'area').map((a) => this.area(a));
    const resources = this.all(i, 'resource').map((r): CapResource => {
      const size = this.text(r, 'size');
      return {
        resourceDesc: this.text(r, 'resourceDesc') ?? '',
        ...opt('mimeType', this.text(r, 'mimeType')),
        ...(size !== undefined && size !== '' ? { size: Number(size) } : {}),
        ...opt('uri', this.text(r, 'uri')),
        ...opt('digest', this.text(r, 'digest')),
      };
    });
    return {
      language: this.text(i, 'language') || 'en-US',
      category: this.all(i, 'category').map((c) => c.content.trim()),
      event: this.text(i, 'event') ?? '',
      responseType: this.all(i, 'responseType').map((c) => c.content.trim()),
      urgency: this.text(i, 'urgency') as CapUrgency,
      severity: this.text(i, 'severity') as CapSeverity,
      certainty: this.text(i, 'certainty') as CapCertainty,
      ...opt('audience', this.text(i, 'audience')),
      eventCode: this.pairs(i, 'eventCode'),
      ...opt('effective', this.time(i, 'effective')),
      ...opt('onset', this.time(i, 'onset')),
      ...opt('expires', this.time(i, 'expires')),
      ...opt('senderName', this.text(i, 'senderName')),
      ...opt('headline', this.text(i, 'headline')),
      ...opt('description', this.text(i, 'description')),
      ...opt('instruction', this.text(i, 'instruction')),
      ...opt('web', this.text(i, 'web')),
      ...opt('contact', this.text(i, 'contact')),
      parameter: this.pairs(i, 'parameter'),
      resources,
      areas,
    };
  }

  private area(a: XmlElement): CapArea {
    const polygons: [number, number][][] = [];
    for (const p of this.all(a, 'polygon')) {
      // NWS writes an empty <polygon></polygon> when it has none: it describes no area (the schema allows it), so it
      // is read as absent; a polygon that gives coordinates obeys the rules
      if (!p.content.trim()) {
        this.warnings.push(`line ${p.line}: an empty <polygon> is read as no polygon`);
        continue;
      }
      const ring = this.polygon(p.content, p.line);
      if (ring) polygons.push(ring);
    }
    const circles: CapCircle[] = [];
    for (const c of this.all(a, 'circle')) {
      const circle = this.circle(c.content, c.line);
      if (circle) circles.push(circle);
    }
    const altitudeEl = this.one(a, 'altitude');
    const ceilingEl = this.one(a, 'ceiling');
    const altitude = altitudeEl ? Number(altitudeEl.content.trim()) : undefined;
    const ceiling = ceilingEl ? Number(ceilingEl.content.trim()) : undefined;
    if (ceilingEl && !altitudeEl)
      this.say(ceilingEl.line, '<ceiling> must not be used without <altitude> (CAP §3.2.4)');
    if (altitude !== undefined && ceiling !== undefined && altitude > ceiling)
      this.say(ceilingEl!.line, `<ceiling> ${ceiling} is below <altitude> ${altitude}`);
    return {
      areaDesc: this.text(a, 'areaDesc') ?? '',
      polygons,
      circles,
      geocodes: this.pairs(a, 'geocode'),
      ...(altitude !== undefined && Number.isFinite(altitude) ? { altitude } : {}),
      ...(ceiling !== undefined && Number.isFinite(ceiling) ? { ceiling } : {}),
    };
  }

  /** "lat,lon" → [lon, lat], or a reason. */
  private point(pair: string, line: number, what: string): [number, number] | null {
    const parts = pair.split(',');
    if (parts.length !== 2 || !parts.every((p) => NUMBER.test(p))) {
      this.say(line, `${what}: "${pair}" is not a latitude,longitude pair`);
      return null;
    }
    const lat = Number(parts[0]);
    const lon = Number(parts[1]);
    if (Math.abs(lat) > 90 || Math.abs(lon) > 180) {
      this.say(line, `${what}: "${pair}" is outside latitude −90…90, longitude −180…180`);
      return null;
    }
    return [lon, lat];
  }

  /** "A minimum of 4 coordinate pairs MUST be present and the first and last pairs of coordinates MUST be the same." */
  private polygon(text: string, line: number): [number, number][] | null {
    const pairs = text.trim().split(/\s+/).filter(Boolean);
    const ring: [number, number][] = [];
    for (const p of pairs) {
      const pt = this.point(p, line, '<polygon>');
      if (!pt) return null;
      ring.push(pt);
    }
    if (ring.length < 4) {
      this.say(line, `<polygon> has ${ring.length} coordinate pairs: at least 4 are required (CAP §3.2.4)`);
      return null;
    }
    const [f, l] = [ring[0]!, ring[ring.length - 1]!];
    if (f[0] !== l[0] || f[1] !== l[1]) {
      this.say(line, '<polygon> is not closed: its first and last pairs must be the same (CAP §3.2.4)');
      return null;
    }
    return ring;
  }

  /** "a central point given as a coordinate pair followed by a space character and a radius value in kilometers" */
  private circle(text: string, line: number): CapCircle | null {
    const parts = text.trim().split(/\s+/);
    if (parts.length !== 2 || !NUMBER.test(parts[1]!) || Number(parts[1]) < 0) {
      this.say(line, `<circle> "${text.trim()}" is not "latitude,longitude radius-in-km" (CAP §3.2.4)`);
      return null;
    }
    const center = this.point(parts[0]!, line, '<circle>');
    return center ? { center, radiusKm: Number(parts[1]) } : null;
  }
}

function opt<K extends string, V>(key: K, v: V | undefined): { [P in K]?: V } {
  return (v === undefined || v === '' ? {} : { [key]: v }) as { [P in K]?: V };
}
