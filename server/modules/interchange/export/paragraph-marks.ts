// docx/html tracks the words of an inserted or deleted block but not its paragraph mark, so
// rejecting an added clause (or accepting a removed one) would leave its empty paragraphs behind.
// Word marks the mark itself (w:pPr/w:rPr/w:ins) and, for a table row, the row (w:trPr/w:ins):
// this pass adds those marks to every paragraph whose content is wholly inserted or wholly deleted.
import JSZip from 'jszip';

const MAIN_PART = 'word/document.xml';
/** Ids for the marks added here, apart from docx's (1…) and docx/html's (1000001…). */
const FIRST_ID = 5_000_001;

const PARAGRAPH = /<w:p(?=[\s>])[^>]*>[\s\S]*?<\/w:p>/g;
const ROW = /<w:tr(?=[\s>])[^>]*>[\s\S]*?<\/w:tr>/g;

export async function markWholeParagraphs(docx: Buffer, change: { author: string; date: string }): Promise<Buffer> {
  const zip = await JSZip.loadAsync(docx);
  const xml = await zip.file(MAIN_PART)!.async('string');
  let id = FIRST_ID;
  const mark = (kind: 'ins' | 'del') => `<w:${kind} w:id="${id++}" w:author="${escapeXml(change.author)}" w:date="${change.date}"/>`;
  const paragraphs = xml.replace(PARAGRAPH, (paragraph) => {
    const kind = wholly(paragraph);
    return kind ? withParagraphMark(paragraph, mark(kind)) : paragraph;
  });
  const rows = paragraphs.replace(ROW, (row) => {
    const kinds = [...row.matchAll(PARAGRAPH)].map((m) => wholly(m[0]) ?? paragraphMarkKind(m[0]));
    const kind = kinds.length > 0 && kinds.every((k) => k === kinds[0]) ? kinds[0] : null;
    if (!kind || /<w:trPr>/.test(row)) return row;
    return row.replace(/^(<w:tr(?=[\s>])[^>]*>)/, `$1<w:trPr>${mark(kind)}</w:trPr>`);
  });
  zip.file(MAIN_PART, rows);
  return zip.generateAsync({ type: 'nodebuffer', compression: 'DEFLATE' });
}

/** 'ins' when every run of the paragraph sits in w:ins, 'del' when in w:del; null otherwise (or empty). */
function wholly(paragraph: string): 'ins' | 'del' | null {
  const inner = paragraph
    .replace(/^<w:p(?=[\s>])[^>]*>/, '')
    .replace(/<\/w:p>$/, '')
    .replace(/<w:pPr>[\s\S]*?<\/w:pPr>/, '');
  if (/<w:rPr><w:(ins|del) /.test(paragraph.match(/<w:pPr>[\s\S]*?<\/w:pPr>/)?.[0] ?? '')) return null;
  for (const kind of ['ins', 'del'] as const) {
    const tracked = new RegExp(`<w:${kind} [^>]*>[\\s\\S]*?</w:${kind}>`, 'g');
    if (
      tracked.test(inner) &&
      inner
        .replace(tracked, '')
        .replace(/<w:bookmark(Start|End)[^>]*\/>/g, '')
        .trim() === ''
    )
      return kind;
  }
  return null;
}

function paragraphMarkKind(paragraph: string): 'ins' | 'del' | null {
  const properties = paragraph.match(/<w:pPr>[\s\S]*?<\/w:pPr>/)?.[0] ?? '';
  const found = /<w:rPr>[\s\S]*?<w:(ins|del) /.exec(properties);
  return (found?.[1] as 'ins' | 'del' | undefined) ?? null;
}

function withParagraphMark(paragraph: string, mark: string): string {
  const properties = paragraph.match(/<w:pPr>[\s\S]*?<\/w:pPr>/)?.[0];
  if (properties === undefined) return paragraph.replace(/^(<w:p(?=[\s>])[^>]*>)/, `$1<w:pPr><w:rPr>${mark}</w:rPr></w:pPr>`);
  // In the mark's run properties w:ins/w:del come first; the run properties come late in w:pPr.
  const marked = properties.includes('<w:rPr>')
    ? properties.replace('<w:rPr>', `<w:rPr>${mark}`)
    : properties.replace('</w:pPr>', `<w:rPr>${mark}</w:rPr></w:pPr>`);
  return paragraph.replace(properties, () => marked);
}

const escapeXml = (text: string) => text.replaceAll('&', '&amp;').replaceAll('<', '&lt;').replaceAll('"', '&quot;');
