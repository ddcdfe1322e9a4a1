/**
 * Regenerates the narrated slide videos of the course lessons under courses/.
 *
 *   npx tsx scripts/courses-videos.ts [path-filter]
 *
 * For every lesson listed in a courses/<conv>/<code>/course.yaml (or only those whose
 * path contains path-filter) it:
 *   1. renders each slide of slides.md to a 1280×720 PNG (ffmpeg drawtext, DejaVu Sans);
 *   2. speaks each section of transcript.md with espeak-ng (Vietnamese voice);
 *   3. computes the slide cue times (total 180–300 s, aiming for 200–260 s);
 *   4. encodes video.mp4 (H.264 still-image + AAC mono), checked to be < 1.5 MB;
 *   5. writes captions.vi.vtt from the transcript;
 *   6. updates `cues:` in lesson.yaml.
 *
 * Requires ffmpeg + ffprobe (libx264, drawtext/libfreetype), espeak-ng and fonts-dejavu-core.
 * DEJAVU_DIR overrides the font directory. See courses/README.md.
 *
 * The steps live in scripts/course-videos/: slides (Markdown), layout (wrapping on the
 * frame), speech and wav (espeak-ng), timing, captions (WebVTT), encoding (ffmpeg), lessons.
 */
import { spawnSync } from "node:child_process";
import { existsSync } from "node:fs";
import { tmpdir } from "node:os";
import { FontMetrics } from "./course-videos/font-metrics";
import { findLessons, processLesson, type LessonResult } from "./course-videos/lessons";
import { filterSafe, Interrupted, isInterrupted, watchForInterrupts } from "./course-videos/run";
import { fmtBytes, FONT_BOLD, FONT_REGULAR, VOICE, WARN_TOTAL_BYTES } from "./course-videos/settings";

watchForInterrupts();

function checkTools(): void {
  for (const [cmd, args] of [
    ["ffmpeg", ["-hide_banner", "-version"]],
    ["ffprobe", ["-hide_banner", "-version"]],
    ["espeak-ng", ["--version"]],
  ] as const) {
    const res = spawnSync(cmd, [...args], { encoding: "utf8" });
    if (res.error || res.status !== 0) {
      throw new Error(`${cmd} is required (Debian: apt-get install -y ffmpeg espeak-ng fonts-dejavu-core)`);
    }
  }
  const voices = spawnSync("espeak-ng", [`--voices=${VOICE}`], { encoding: "utf8" }).stdout ?? "";
  if (!voices.split("\n").some((l) => l.trim().split(/\s+/)[1] === VOICE)) {
    throw new Error(`espeak-ng has no '${VOICE}' voice`);
  }
  for (const f of [FONT_REGULAR, FONT_BOLD]) {
    if (!existsSync(f)) throw new Error(`font not found: ${f} (install fonts-dejavu-core or set DEJAVU_DIR)`);
    filterSafe(f);
  }
  filterSafe(tmpdir());
}

async function main(): Promise<number> {
  const filter = process.argv[2];
  checkTools();
  const lessons = findLessons(filter);
  if (lessons.length === 0) {
    console.error(filter ? `no lessons match "${filter}"` : "no lessons found under courses/");
    return 1;
  }
  const fonts = { regular: new FontMetrics(FONT_REGULAR), bold: new FontMetrics(FONT_BOLD) };
  const done: LessonResult[] = [];
  const failed: { rel: string; message: string }[] = [];
  for (const [i, lesson] of lessons.entries()) {
    if (isInterrupted()) throw new Interrupted("interrupted");
    const tag = `[${i + 1}/${lessons.length}]`;
    const started = Date.now();
    try {
      const r = await processLesson(lesson, fonts);
      done.push(r);
      console.log(
        `${tag} ${r.rel}: ${r.slides} slides, rate ${r.rate}, ${r.duration.toFixed(1)} s, ` +
          `${fmtBytes(r.bytes)} (${((Date.now() - started) / 1000).toFixed(1)} s)`,
      );
    } catch (err) {
      if (err instanceof Interrupted) throw err;
      const message = err instanceof Error ? err.message : String(err);
      failed.push({ rel: lesson.rel, message });
      console.error(`${tag} ${lesson.rel}: FAILED\n  ${message.replace(/\n/g, "\n  ")}`);
    }
  }

  const totalBytes = done.reduce((a, r) => a + r.bytes, 0);
  const totalSeconds = done.reduce((a, r) => a + r.duration, 0);
  console.log(
    `\n${done.length} lesson(s) done, ${failed.length} failed; ` +
      `${(totalSeconds / 60).toFixed(1)} min of video, ${fmtBytes(totalBytes)} in total`,
  );
  if (!filter && totalBytes > WARN_TOTAL_BYTES) {
    console.warn(`warning: videos total ${fmtBytes(totalBytes)}, more than ${fmtBytes(WARN_TOTAL_BYTES)}`);
  }
  for (const f of failed) console.error(`FAILED ${f.rel}`);
  return failed.length > 0 ? 1 : 0;
}

main().then(
  (code) => {
    process.exitCode = code;
  },
  (err: unknown) => {
    console.error(err instanceof Error ? err.message : String(err));
    process.exitCode = err instanceof Interrupted ? 130 : 1;
  },
);
