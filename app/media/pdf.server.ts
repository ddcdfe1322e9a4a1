import { readFile } from "node:fs/promises";

export class PdfError extends Error {}

// Lecture decks are tens of pages; a cap keeps a hostile file from making the
// server walk millions of page objects.
export const MAX_SLIDE_PAGES = 300;

/**
 * Opens a PDF with pdf.js (the same library that shows it to learners) and
 * loads every page, so a deck that opens here also renders in the lesson.
 * Returns the page count, which is the slide count for cue times.
 */
export async function countPdfPages(filePath: string): Promise<number> {
  const data = new Uint8Array(await readFile(filePath));
  // Loaded on first use: pdf.js adds ~30 MB to a process that may never see a PDF.
  const { getDocument } = await import("pdfjs-dist/legacy/build/pdf.mjs");
  let doc;
  try {
    doc = await getDocument({
      data,
      isEvalSupported: false,
      disableFontFace: true,
      useSystemFonts: false,
      verbosity: 0,
    }).promise;
  } catch (error) {
    throw new PdfError(`the PDF cannot be opened: ${(error as Error).message}`);
  }
  try {
    if (doc.numPages < 1) throw new PdfError("the PDF has no pages");
    if (doc.numPages > MAX_SLIDE_PAGES)
      throw new PdfError(`the PDF has ${doc.numPages} pages; at most ${MAX_SLIDE_PAGES}`);
    for (let page = 1; page <= doc.numPages; page++) {
      await doc.getPage(page).catch((error: Error) => {
        throw new PdfError(`page ${page} cannot be read: ${error.message}`);
      });
    }
    return doc.numPages;
  } finally {
    await doc.destroy();
  }
}
