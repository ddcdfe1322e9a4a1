import jsQR from "jsqr";

// Reads certificate PDFs back the way a reader would: the text through
// pdf.js's text layer, and the QR code by painting the page's filled
// rectangles (how the certificate draws it) onto a bitmap for jsQR.

type PdfJs = typeof import("pdfjs-dist/legacy/build/pdf.mjs");
let pdfjs: Promise<PdfJs> | null = null;
const load = () => (pdfjs ??= import("pdfjs-dist/legacy/build/pdf.mjs"));

async function open(bytes: Uint8Array) {
  const { getDocument } = await load();
  // pdf.js takes ownership of the buffer it is given: hand it a copy.
  return getDocument({
    data: new Uint8Array(bytes),
    isEvalSupported: false,
    disableFontFace: true,
    useSystemFonts: false,
    verbosity: 0,
  }).promise;
}

/** Every page's text, lines joined by spaces (pdf.js splits runs where the PDF does). */
export async function pdfText(bytes: Uint8Array): Promise<string> {
  const doc = await open(bytes);
  try {
    const parts: string[] = [];
    for (let n = 1; n <= doc.numPages; n++) {
      const content = await (await doc.getPage(n)).getTextContent();
      for (const item of content.items) if ("str" in item) parts.push(item.str);
    }
    return parts.join(" ").replace(/\s+/g, " ");
  } finally {
    await doc.destroy();
  }
}

export async function pdfInfo(bytes: Uint8Array) {
  const doc = await open(bytes);
  try {
    const { info } = await doc.getMetadata();
    const page = await doc.getPage(1);
    const [, , width, height] = page.view;
    return { pages: doc.numPages, width: width!, height: height!, info: info as Record<string, unknown> };
  } finally {
    await doc.destroy();
  }
}

type Matrix = [number, number, number, number, number, number];
const multiply = (m: Matrix, n: Matrix): Matrix => [
  m[0] * n[0] + m[2] * n[1],
  m[1] * n[0] + m[3] * n[1],
  m[0] * n[2] + m[2] * n[3],
  m[1] * n[2] + m[3] * n[3],
  m[0] * n[4] + m[2] * n[5] + m[4],
  m[1] * n[4] + m[3] * n[5] + m[5],
];

/**
 * Paints page 1's filled axis-aligned rectangles (dark fills black, light
 * fills white) at `scale` pixels per point, and decodes a QR code from it.
 * Text and curved or stroked paths are not painted.
 */
export async function decodePdfQr(bytes: Uint8Array, scale = 3): Promise<string | null> {
  const { OPS } = await load();
  const doc = await open(bytes);
  try {
    const page = await doc.getPage(1);
    const [, , pageWidth, pageHeight] = page.view as [number, number, number, number];
    const width = Math.ceil(pageWidth * scale);
    const height = Math.ceil(pageHeight * scale);
    const pixels = new Uint8ClampedArray(width * height * 4).fill(255);
    const { fnArray, argsArray } = await page.getOperatorList();
    let ctm: Matrix = [1, 0, 0, 1, 0, 0];
    let fill = [0, 0, 0];
    const stack: { ctm: Matrix; fill: number[] }[] = [];
    let rects: [number, number, number, number][] = [];
    const paint = (value: number) => {
      for (const [x, y, w, h] of rects) {
        const [a, b, c, d, e, f] = ctm;
        if (b !== 0 || c !== 0) continue; // only axis-aligned
        const x0 = Math.round((a * x + e) * scale);
        const x1 = Math.round((a * (x + w) + e) * scale);
        const y0 = Math.round((pageHeight - (d * y + f)) * scale);
        const y1 = Math.round((pageHeight - (d * (y + h) + f)) * scale);
        for (let py = Math.max(0, Math.min(y0, y1)); py < Math.min(height, Math.max(y0, y1)); py++) {
          for (let px = Math.max(0, Math.min(x0, x1)); px < Math.min(width, Math.max(x0, x1)); px++) {
            const i = (py * width + px) * 4;
            pixels[i] = pixels[i + 1] = pixels[i + 2] = value;
          }
        }
      }
    };
    fnArray.forEach((fn, i) => {
      const args = argsArray[i] as unknown[];
      if (fn === OPS.save) stack.push({ ctm, fill });
      else if (fn === OPS.restore) ({ ctm, fill } = stack.pop() ?? { ctm, fill });
      else if (fn === OPS.transform) ctm = multiply(ctm, args as Matrix);
      else if (fn === OPS.setFillRGBColor) fill = Array.from(args as ArrayLike<number>).slice(0, 3);
      else if (fn === OPS.constructPath) {
        const [ops, coords] = args as [number[], number[]];
        let j = 0;
        rects = [];
        for (const op of ops) {
          if (op === OPS.rectangle) {
            rects.push([coords[j]!, coords[j + 1]!, coords[j + 2]!, coords[j + 3]!]);
            j += 4;
          } else if (op === OPS.moveTo || op === OPS.lineTo) j += 2;
          else if (op === OPS.curveTo) j += 6;
          else if (op === OPS.curveTo2 || op === OPS.curveTo3) j += 4;
        }
      } else if (fn === OPS.fill || fn === OPS.eoFill) {
        const luminance = (fill[0]! + fill[1]! + fill[2]!) / 3;
        paint(luminance < 128 ? 0 : 255);
        rects = [];
      } else if (fn === OPS.endPath || fn === OPS.stroke || fn === OPS.closeStroke) rects = [];
    });
    return jsQR(pixels, width, height)?.data ?? null;
  } finally {
    await doc.destroy();
  }
}
