// ffmpeg: one PNG per slide, then the still images and the narration into video.mp4.
import { writeFileSync } from "node:fs";
import path from "node:path";
import type { TextDraw } from "./layout";
import { filterSafe, run } from "./run";
import { COLORS, FONT_BOLD, FONT_REGULAR, FPS, HEIGHT, WIDTH } from "./settings";

/** One drawtext filter; textfile= keeps arbitrary text (quotes, colons, %, diacritics) out of the filter syntax. */
export function drawtextFilter(t: TextDraw, textFile: string): string {
  return [
    `drawtext=fontfile=${filterSafe(t.bold ? FONT_BOLD : FONT_REGULAR)}`,
    `textfile=${filterSafe(textFile)}`,
    "expansion=none",
    `fontsize=${t.size}`,
    `fontcolor=${t.color}`,
    `x=${t.x}`,
    `y=${t.baseline}-ascent`,
  ].join(":");
}

export async function renderSlide(
  layout: { texts: TextDraw[]; boxes: string[] },
  index: number,
  tmp: string,
  out: string,
  where: string,
): Promise<void> {
  const filters = ["format=rgb24", ...layout.boxes];
  layout.texts.forEach((t, i) => {
    const file = path.join(tmp, `s${index}-t${i}.txt`);
    writeFileSync(file, t.text, "utf8");
    filters.push(drawtextFilter(t, file));
  });
  await run(
    "ffmpeg",
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "lavfi",
      "-i",
      `color=c=${COLORS.background}:s=${WIDTH}x${HEIGHT}:d=1`,
      "-vf",
      filters.join(","),
      "-frames:v",
      "1",
      out,
    ],
    `${where}: rendering slide`,
  );
}

/** The ffconcat list that shows each slide's PNG from its cue to the next. */
export function concatList(pngs: string[], cueFrames: number[], totalFrames: number): string {
  const list = ["ffconcat version 1.0"];
  pngs.forEach((png, i) => {
    const end = cueFrames[i + 1] ?? totalFrames;
    list.push(`file '${filterSafe(png)}'`, `duration ${((end - (cueFrames[i] ?? 0)) / FPS).toFixed(3)}`);
  });
  // The concat demuxer ignores the last duration unless the file is repeated.
  list.push(`file '${filterSafe(pngs[pngs.length - 1] ?? "")}'`);
  return `${list.join("\n")}\n`;
}

export async function encodeVideo(
  pngs: string[],
  cueFrames: number[],
  totalFrames: number,
  wav: string,
  tmp: string,
  out: string,
  where: string,
): Promise<void> {
  const listFile = path.join(tmp, "slides.ffconcat");
  writeFileSync(listFile, concatList(pngs, cueFrames, totalFrames));
  await run(
    "ffmpeg",
    [
      "-hide_banner",
      "-loglevel",
      "error",
      "-y",
      "-f",
      "concat",
      "-safe",
      "0",
      "-i",
      listFile,
      "-i",
      wav,
      "-map",
      "0:v",
      "-map",
      "1:a",
      "-vf",
      `fps=${FPS},format=yuv420p`,
      "-c:v",
      "libx264",
      "-preset",
      "slow",
      "-tune",
      "stillimage",
      "-crf",
      "30",
      // Key frames exactly at slide changes (and at least once a minute) keep the file small.
      "-g",
      String(FPS * 60),
      "-force_key_frames",
      cueFrames.map((f) => (f / FPS).toFixed(1)).join(","),
      "-threads",
      "1",
      "-c:a",
      "aac",
      "-ac",
      "1",
      // ffmpeg's native AAC encoder overshoots on synthetic speech: a nominal 24 kb/s with a
      // 5.5 kHz cutoff comes out at about 30 kb/s, which is plenty for espeak-ng's voice.
      "-b:a",
      "24k",
      "-cutoff",
      "5500",
      "-t",
      (totalFrames / FPS).toFixed(3),
      "-map_metadata",
      "-1",
      "-map_chapters",
      "-1",
      "-fflags",
      "+bitexact",
      "-flags:v",
      "+bitexact",
      "-flags:a",
      "+bitexact",
      "-movflags",
      "+faststart",
      out,
    ],
    `${where}: encoding video`,
  );
}

export async function probeDuration(file: string): Promise<number> {
  const outText = await run(
    "ffprobe",
    ["-v", "error", "-show_entries", "format=duration", "-of", "default=noprint_wrappers=1:nokey=1", file],
    "ffprobe",
  );
  const d = Number.parseFloat(outText.trim());
  if (!Number.isFinite(d)) throw new Error(`ffprobe: no duration for ${file}`);
  return d;
}
