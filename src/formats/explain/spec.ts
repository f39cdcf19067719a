/**
 * Spec references as links. A reference is written as the registries write theirs: "RFC 4120 §5.4.1",
 * "RFC 4120 §2.6, §5.3" (a later section without a document belongs to the one before), "MS-PAC §2.5".
 * RFCs link to their sections on rfc-editor.org; Microsoft's open specifications name each section's page
 * by an identifier, so the sections the catalogue cites are listed here, and any other section links to
 * the document's first page (its number stays in the text). The app only shows these links: it never
 * fetches them.
 */

/** One reference as the reader sees it: the text, and where it leads when there is a page for it. */
export interface SpecLink {
  readonly text: string;
  readonly url?: string;
}

const MS_BASE = 'https://learn.microsoft.com/en-us/openspecs/windows_protocols';

/** Pages of Microsoft's open specifications, by document and section ('' is the document's first page). */
const MS_PAGES: Readonly<Record<string, Readonly<Record<string, string>>>> = {
  'MS-PAC': {
    '': '166d8064-c863-41e1-9c23-edaaa5f36962',
    '2.2.3': '1b9afb11-3e85-4699-97d3-456a7259a64a',
    '2.3': '6655b92f-ab06-490b-845d-037e6987275f',
    '2.4': '3341cfa2-6ef5-42e0-b7bc-4544884bf399',
    '2.5': '69e86ccc-85e3-41b9-b514-7d969cd0ed73',
    '2.7': 'e465cb27-4bc1-4173-8be0-b5fd64dc9ff7',
    '2.8': '6e95edd3-af93-41d4-8303-6c7955297315',
    '2.9': 'fce87259-b958-4617-9758-c4cd5ed47e5a',
    '2.10': '1c0d6e11-6443-4846-b744-f9f810a504eb',
    '2.12': '31405771-207a-4855-aba8-b785beaa9d6c',
    '2.13': 'f32e82f4-7c72-4d55-8f64-7522e93fcd73',
    '2.14': '1c7aeadb-8ca4-4050-ae98-0e9834bdd81d',
    '2.15': 'c34adc61-80e1-4920-8923-22ef5054c4b2',
    '2.17': '1d4912dd-5115-4124-94b6-fa414add575f',
  },
  'MS-KILE': {
    '': '2a32282e-dd48-4ad9-a542-609804b02cc9',
    '2.2.3': '765795ba-9e05-4220-9bd3-b34464e413a7',
    '2.2.10': '99721a01-c859-48d1-8310-ec1bab9b2838',
    '2.2.11': 'a8198db9-b537-4256-b903-80a716540398',
    '2.2.12': '38a494fc-2885-47eb-b008-3a1b574f3614',
  },
  'MS-SFU': {
    '': '3bff5864-8135-400e-bdd9-33b552051d94',
    '2.2.1': 'aceb70de-40f0-4409-87fa-df00ca145f5a',
    '2.2.2': 'cd9d5ca7-ce20-4693-872b-2f5dd41cbff6',
    '2.2.5': 'aeecfd82-a5e4-474c-92ab-8df9022cf955',
    '3.1.5.2.1': 'ddb2cafd-1f01-4834-b52a-d4a5b34cd960',
  },
  'MS-KKDCP': {
    '': 'c0617177-8e4a-4312-be84-7544e8b0ffc1',
    '2.2.2': '5778aff5-b182-4b97-a970-29c7f911eef2',
  },
  'MS-SPNG': {
    '': '217c771b-7754-475a-a0d5-771ab4cac752',
    '2.2.1': '8e71cf53-e867-4b79-b5b5-38c92be3d472',
  },
};

/** MIT's descriptions of its file formats (no RFC defines keytabs or credential caches). */
const MIT_PAGES: Readonly<Record<string, string>> = {
  'MIT keytab': 'https://web.mit.edu/kerberos/krb5-latest/doc/formats/keytab_file_format.html',
  'MIT ccache': 'https://web.mit.edu/kerberos/krb5-latest/doc/formats/ccache_file_format.html',
};

function rfcUrl(num: string, section: string | undefined): string {
  const base = `https://www.rfc-editor.org/rfc/rfc${num}`;
  return section ? `${base}#section-${section}` : base;
}

function msUrl(doc: string, section: string | undefined): string | undefined {
  const pages = MS_PAGES[doc];
  if (!pages) return undefined;
  const id = (section !== undefined ? pages[section] : undefined) ?? pages[''];
  return id ? `${MS_BASE}/${doc.toLowerCase()}/${id}` : undefined;
}

const DOC = /^(RFC \d+|MS-[A-Z0-9]+|MIT keytab|MIT ccache|draft-[a-z0-9-]+-\d\d)(?: §([\d.]+))?/;
const SECTION_ONLY = /^§([\d.]+)/;

/**
 * The links of a reference text. Each comma-separated piece that names a document (or a section of the
 * document named before it) becomes a link (an RFC, an MS- document, an Internet-Draft named with its
 * version); other text ("IANA") stays text without a link.
 */
export function specLinks(ref: string): SpecLink[] {
  const out: SpecLink[] = [];
  let doc: string | undefined;
  for (const raw of ref.split(/,\s*/)) {
    const piece = raw.trim();
    if (piece === '') continue;
    const whole = DOC.exec(piece);
    const section = whole ? whole[2] : SECTION_ONLY.exec(piece)?.[1];
    if (whole) doc = whole[1];
    else if (section === undefined || doc === undefined) {
      out.push({ text: piece });
      continue;
    }
    const text = whole ? whole[0] : `${doc!} §${section!}`;
    const url = linkFor(doc!, section);
    out.push(url ? { text, url } : { text });
  }
  return out;
}

function linkFor(doc: string, section: string | undefined): string | undefined {
  if (doc.startsWith('RFC ')) return rfcUrl(doc.slice(4), section);
  if (doc.startsWith('MS-')) return msUrl(doc, section);
  // An Internet-Draft by its name and version, on the IETF's datatracker.
  if (doc.startsWith('draft-'))
    return `https://datatracker.ietf.org/doc/html/${doc}${section ? `#section-${section}` : ''}`;
  return MIT_PAGES[doc];
}
