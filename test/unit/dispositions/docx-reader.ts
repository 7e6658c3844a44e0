// Reads a generated .docx back the way a test needs it: the body paragraphs, the one table cell
// by cell (a cell's paragraphs joined with "\n"), and the page setup.
import JSZip from 'jszip';
import { XMLParser, XMLValidator } from 'fast-xml-parser';

type XmlNode = Record<string, unknown>;

export interface DocxContent {
  documentXml: string;
  /** Paragraphs directly in the body (the title block). */
  bodyParagraphs: string[];
  /** Every table row, cell texts in order. */
  rows: string[][];
  /** Which rows Word repeats as a header on each page. */
  headerRowFlags: boolean[];
  /** Which rows Word keeps on one page (cantSplit). */
  keepTogetherFlags: boolean[];
  /** The table grid's column widths, in twips. */
  columnWidths: number[];
  /** Texts of the table paragraphs marked right-to-left. */
  rightToLeftParagraphs: string[];
  page: { width: number; height: number; orientation: string | undefined };
}

const REPEATED = new Set(['w:p', 'w:r', 'w:t', 'w:tbl', 'w:tr', 'w:tc']);
const parser = new XMLParser({
  ignoreAttributes: false,
  attributeNamePrefix: '@_',
  trimValues: false,
  parseTagValue: false,
  parseAttributeValue: false,
  isArray: (name) => REPEATED.has(name),
});

export async function readDocx(buffer: Buffer): Promise<DocxContent> {
  const zip = await JSZip.loadAsync(buffer);
  const documentXml = await zip.file('word/document.xml')?.async('string');
  if (documentXml === undefined) throw new Error('word/document.xml is missing');
  const validation = XMLValidator.validate(documentXml);
  if (validation !== true) throw new Error(`word/document.xml is not well-formed: ${validation.err.msg}`);

  const body = child(child(parser.parse(documentXml) as XmlNode, 'w:document'), 'w:body');
  const [table, ...otherTables] = children(body, 'w:tbl');
  if (table === undefined || otherTables.length > 0) throw new Error('expected exactly one table');
  const rows = children(table, 'w:tr');
  const pageSize = child(child(body, 'w:sectPr'), 'w:pgSz');
  return {
    documentXml,
    bodyParagraphs: children(body, 'w:p').map(paragraphText),
    rows: rows.map((row) => children(row, 'w:tc').map(cellText)),
    headerRowFlags: rows.map((row) => isOn(optionalChild(row, 'w:trPr'), 'w:tblHeader')),
    keepTogetherFlags: rows.map((row) => isOn(optionalChild(row, 'w:trPr'), 'w:cantSplit')),
    columnWidths: gridColumns(optionalChild(table, 'w:tblGrid')).map((column) => Number(column['@_w:w'])),
    rightToLeftParagraphs: rows
      .flatMap((row) => children(row, 'w:tc').flatMap((cell) => children(cell, 'w:p')))
      .filter((paragraph) => isOn(optionalChild(paragraph, 'w:pPr'), 'w:bidi'))
      .map(paragraphText),
    page: {
      width: Number(pageSize['@_w:w']),
      height: Number(pageSize['@_w:h']),
      orientation: pageSize['@_w:orient'] as string | undefined,
    },
  };
}

/** An on/off property (CT_OnOff) is on when present, unless its w:val says otherwise. */
function isOn(properties: XmlNode, name: string): boolean {
  if (!(name in properties)) return false;
  const value = optionalChild(properties, name)['@_w:val'];
  return !['false', '0', 'off'].includes(String(value));
}

function gridColumns(grid: XmlNode): XmlNode[] {
  const columns = grid['w:gridCol'];
  if (Array.isArray(columns)) return columns as XmlNode[];
  return typeof columns === 'object' && columns !== null ? [columns as XmlNode] : [];
}

function cellText(cell: XmlNode): string {
  return children(cell, 'w:p').map(paragraphText).join('\n');
}

function paragraphText(paragraph: XmlNode): string {
  return children(paragraph, 'w:r')
    .flatMap((run) => children(run, 'w:t'))
    .map(textOf)
    .join('');
}

function textOf(node: unknown): string {
  if (typeof node === 'string') return node;
  return String((node as XmlNode)['#text'] ?? '');
}

function children(node: XmlNode, name: string): XmlNode[] {
  const value = node[name];
  return Array.isArray(value) ? (value as XmlNode[]) : [];
}

function optionalChild(node: XmlNode, name: string): XmlNode {
  const value = node[name];
  return typeof value === 'object' && value !== null ? (value as XmlNode) : {};
}

function child(node: XmlNode, name: string): XmlNode {
  const value = node[name];
  if (typeof value !== 'object' || value === null) throw new Error(`<${name}> is missing`);
  return value as XmlNode;
}
