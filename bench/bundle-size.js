// The lesson page's JavaScript before the player loads: the entry, the root
// and lesson route modules and everything they import statically, gzipped.
// Dynamic imports (Mux Player) are left out: they load after the page is up.
//   npm run build && npm run bench:bundle
import { readFileSync } from "node:fs";
import path from "node:path";
import { gzipSync } from "node:zlib";

const manifestPath = path.resolve("build/.vite/client-manifest.json");
let manifest;
try {
  manifest = JSON.parse(readFileSync(manifestPath, "utf8"));
} catch {
  console.error(`No ${manifestPath}: run npm run build first.`);
  process.exit(1);
}

const route = (key) => key.split("?")[0];
const roots = Object.keys(manifest).filter(
  (key) =>
    route(key).endsWith("app/entry.client.tsx") ||
    route(key).endsWith("app/root.tsx") ||
    route(key).endsWith("routes/courses.$courseCode.$lessonSlug.tsx"),
);
const seen = new Set();
function visit(key) {
  if (seen.has(key)) return;
  seen.add(key);
  for (const dep of manifest[key]?.imports ?? []) visit(dep);
}
roots.forEach(visit);

let raw = 0;
let gzip = 0;
const rows = [];
for (const key of seen) {
  const file = manifest[key].file;
  const bytes = readFileSync(path.resolve("build/client", file));
  const zipped = gzipSync(bytes, { level: 9 }).length;
  raw += bytes.length;
  gzip += zipped;
  rows.push({ file, KB: +(bytes.length / 1024).toFixed(1), "gzip KB": +(zipped / 1024).toFixed(1) });
}
const player = Object.entries(manifest).find(([key]) => key.includes("mux-player-react"))?.[1];
console.table(rows.sort((a, b) => b["gzip KB"] - a["gzip KB"]));
console.log(
  `Lesson page JS before the player: ${(gzip / 1024).toFixed(1)} KB gzip (${(raw / 1024).toFixed(1)} KB raw); aim ≤ 150 KB gzip`,
);
if (player) {
  const bytes = readFileSync(path.resolve("build/client", player.file));
  console.log(
    `Mux Player chunk, loaded afterwards: ${(gzipSync(bytes, { level: 9 }).length / 1024).toFixed(1)} KB gzip`,
  );
}
