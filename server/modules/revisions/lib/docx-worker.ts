// Runs mammoth on one .docx in its own thread, so the importer can kill a conversion that
// takes too long (a crafted document can make the XML parsing or style matching crawl).
import { parentPort, workerData } from 'node:worker_threads';
import mammoth from 'mammoth';
import { DOCX_STYLE_MAP, DROPPED_IMAGE_SRC, type DocxWorkerInput, type DocxWorkerReply } from './docx-conversion.ts';

async function convert(input: DocxWorkerInput): Promise<DocxWorkerReply> {
  const buffer = Buffer.from(input.docx.buffer, input.docx.byteOffset, input.docx.byteLength);
  const result = await mammoth.convertToHtml(
    { buffer },
    {
      styleMap: [...DOCX_STYLE_MAP],
      // A document may embed its own style map; an uploaded file must not choose how it is read.
      includeEmbeddedStyleMap: false,
      // Never read linked files (r:link images, external parts) from disk or anywhere else.
      externalFileAccess: false,
      ignoreEmptyParagraphs: true,
      convertImage: mammoth.images.imgElement(() => Promise.resolve({ src: DROPPED_IMAGE_SRC })),
    },
  );
  return { ok: true, html: result.value, messages: result.messages.map((m) => m.message) };
}

function reply(message: DocxWorkerReply): void {
  parentPort?.postMessage(message);
}

convert(workerData as DocxWorkerInput).then(reply, (error: unknown) => {
  reply({ ok: false, message: error instanceof Error ? error.message : String(error) });
});
