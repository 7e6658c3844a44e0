// Builds real .docx files for the importer tests with the `docx` package, the way Word would
// store them (styles part, numbering part, media, hyperlink relationships).
import { AlignmentType, Document, ExternalHyperlink, HeadingLevel, ImageRun, LevelFormat, Packer, Paragraph, Table, TableCell, TableRow, TextRun } from 'docx';
import JSZip from 'jszip';

// A 1×1 transparent PNG.
const PNG = Buffer.from('iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==', 'base64');

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) => new Paragraph({ text, heading: level });
const para = (text: string) => new Paragraph({ children: [new TextRun(text)] });

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
}

/** A small ITU-style draft with every feature the importer must handle. */
export async function buildSampleDocx(): Promise<Buffer> {
  const doc = new Document({
    // A paragraph style mammoth has no mapping for: the converter warns, and the user is told.
    styles: { paragraphStyles: [{ id: 'ITUNote', name: 'Note', run: { size: 18 } }] },
    numbering: {
      config: [
        {
          reference: 'steps',
          levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
        },
      ],
    },
    sections: [
      {
        children: [
          new Paragraph({ text: 'Security framework for Internet of Things', heading: HeadingLevel.TITLE }),
          para('Draft Recommendation ITU-T X.iotsec-2'),
          heading('1\tScope', HeadingLevel.HEADING_1),
          new Paragraph({
            children: [
              new TextRun('This Recommendation describes the '),
              new TextRun({ text: 'security framework', bold: true }),
              new TextRun(' for '),
              new TextRun({ text: 'Internet of Things', italics: true }),
              new TextRun('.'),
            ],
          }),
          new Paragraph({ text: 'NOTE – Privacy means the protection of PII.', style: 'ITUNote' }),
          heading('Threats', HeadingLevel.HEADING_1),
          para('Threats are listed in order of likelihood:'),
          new Paragraph({ text: 'Device tampering', numbering: { reference: 'steps', level: 0 } }),
          new Paragraph({ text: 'Eavesdropping', numbering: { reference: 'steps', level: 0 } }),
          heading('Sensor threats', HeadingLevel.HEADING_2),
          new Paragraph({ text: 'Physical capture of the node', bullet: { level: 0 } }),
          new Paragraph({ text: 'Battery exhaustion', bullet: { level: 0 } }),
          heading('6.3 Capabilities', HeadingLevel.HEADING_2),
          new Table({
            rows: [
              new TableRow({ children: [cell('Threat', true), cell('Capability', true)] }),
              new TableRow({ children: [cell('Eavesdropping'), cell('Link encryption')] }),
            ],
          }),
          heading('Figures and links', HeadingLevel.HEADING_3),
          new Paragraph({
            children: [new ImageRun({ type: 'png', data: PNG, transformation: { width: 10, height: 10 } })],
          }),
          new Paragraph({
            children: [
              new TextRun('See '),
              new ExternalHyperlink({ link: 'https://www.itu.int/rec/T-REC-Y.2060', children: [new TextRun('Y.2060')] }),
              new TextRun(' and '),
              new ExternalHyperlink({ link: 'javascript:alert(document.cookie)', children: [new TextRun('click me')] }),
              new TextRun('.'),
            ],
          }),
        ],
      },
    ],
  });
  return Packer.toBuffer(doc);
}

/** A zip holding the given files, built the way Word would (deflated). */
export async function buildZip(files: Record<string, string | Uint8Array>): Promise<Buffer> {
  const zip = new JSZip();
  for (const [name, content] of Object.entries(files)) zip.file(name, content);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE', compressionOptions: { level: 9 } });
}

export const MINIMAL_DOCUMENT_XML =
  '<?xml version="1.0" encoding="UTF-8"?>' +
  '<w:document xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"><w:body>' +
  '<w:p><w:r><w:t>Hello</w:t></w:r></w:p></w:body></w:document>';

/**
 * Rewrites the uncompressed size recorded for `fileName` in both the local header and the
 * central directory, producing a zip that claims to be small but inflates to much more.
 */
export function understateEntrySize(zip: Buffer, fileName: string, claimedSize: number): Buffer {
  const out = Buffer.from(zip);
  const name = Buffer.from(fileName);
  const patch = (signature: number, nameLengthAt: number, nameAt: number, sizeAt: number) => {
    for (let i = 0; i <= out.length - 4; i++) {
      if (out.readUInt32LE(i) !== signature) continue;
      const nameLength = out.readUInt16LE(i + nameLengthAt);
      if (out.subarray(i + nameAt, i + nameAt + nameLength).equals(name)) out.writeUInt32LE(claimedSize, i + sizeAt);
    }
  };
  patch(0x04034b50, 26, 30, 22); // local file header
  patch(0x02014b50, 28, 46, 24); // central directory header
  return out;
}
