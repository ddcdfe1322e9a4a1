// After `remix vite:build`: every script and stylesheet under build/client/assets
// is written again beside itself as .br (Brotli, quality 11) and .gz (gzip,
// level 9), for server.js to send as they are (express-static-gzip). They are
// immutable, so this is done once per build instead of once per request, and
// at the strongest settings: on a 1.6 Mbit/s link the lesson page's scripts
// are 17% smaller than the on-the-fly Brotli (quality 4) they replace
// (docs/decisions/108-precompressed-assets.md).
import { readdir, readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { promisify } from "node:util";
import { brotliCompress, constants, gzip } from "node:zlib";

const brotli = promisify(brotliCompress);
const gzipped = promisify(gzip);
const dir = path.resolve(process.argv[2] ?? "build/client/assets");
const COMPRESSIBLE = /\.(m?js|css|svg|json|map|txt)$/;
// Below this a response fits in one packet anyway.
const MIN_BYTES = 1024;

const files = (await readdir(dir)).filter((name) => COMPRESSIBLE.test(name) && !name.endsWith(".map"));
let original = 0;
let compressed = 0;
let done = 0;
for (const name of files) {
  const file = path.join(dir, name);
  const bytes = await readFile(file);
  done++;
  if (bytes.length < MIN_BYTES) continue;
  const [br, gz] = await Promise.all([
    brotli(bytes, {
      params: {
        [constants.BROTLI_PARAM_QUALITY]: constants.BROTLI_MAX_QUALITY,
        [constants.BROTLI_PARAM_SIZE_HINT]: bytes.length,
      },
    }),
    gzipped(bytes, { level: constants.Z_BEST_COMPRESSION }),
  ]);
  await writeFile(`${file}.br`, br);
  await writeFile(`${file}.gz`, gz);
  original += bytes.length;
  compressed += br.length;
  if (process.stdout.isTTY) process.stdout.write(`\rprecompressing assets: ${done}/${files.length}`);
}
if (process.stdout.isTTY) process.stdout.write("\n");
console.log(
  `assets precompressed: ${files.length} files, ${(original / 1024).toFixed(0)} KB → ${(compressed / 1024).toFixed(0)} KB Brotli`,
);
