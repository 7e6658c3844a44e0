// Builds real .docx files for the importer tests with the `docx` package, the way Word would
// store them (styles part, numbering part, media, hyperlink relationships).
import {
  AlignmentType, Document, ExternalHyperlink, HeadingLevel, ImageRun, LevelFormat, Packer,
  Paragraph, Table, TableCell, TableRow, TextRun,
} from 'docx';

// A 1×1 transparent PNG.
const PNG = Buffer.from(
  'iVBORw0KGgoAAAANSUhEUgAAAAEAAAABCAYAAAAfFcSJAAAADUlEQVR42mNkYPhfDwAChwGA60e6kgAAAABJRU5ErkJggg==',
  'base64',
);

const heading = (text: string, level: (typeof HeadingLevel)[keyof typeof HeadingLevel]) =>
  new Paragraph({ text, heading: level });
const para = (text: string) => new Paragraph({ children: [new TextRun(text)] });

function cell(text: string, bold = false): TableCell {
  return new TableCell({ children: [new Paragraph({ children: [new TextRun({ text, bold })] })] });
}

/** A small ITU-style draft with every feature the importer must handle. */
export async function buildSampleDocx(): Promise<Buffer> {
  const doc = new Document({
    numbering: {
      config: [{
        reference: 'steps',
        levels: [{ level: 0, format: LevelFormat.DECIMAL, text: '%1.', alignment: AlignmentType.START }],
      }],
    },
    sections: [{
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
    }],
  });
  return Packer.toBuffer(doc);
}
