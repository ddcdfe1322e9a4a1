import { createReadStream } from "node:fs";
import { createFile, MP4BoxBuffer, type Movie } from "mp4box";

export type VideoProbe = {
  container: "mp4";
  durationSeconds: number;
  hasVideo: boolean;
  hasAudio: boolean;
  width: number | null;
  height: number | null;
};

export class ProbeError extends Error {
  constructor(
    readonly reason: "not_mp4" | "truncated" | "no_video",
    message: string,
  ) {
    super(message);
  }
}

/**
 * Reads an MP4's duration and tracks from the file itself, streaming it until
 * the movie header has been parsed (at the front for "faststart" files, at the
 * back otherwise), so a large file is never held in memory.
 */
export async function probeMp4(filePath: string): Promise<VideoProbe> {
  const file = createFile();
  let movie: Movie | null = null;
  let parseError: string | null = null;
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = (_module, message) => {
    parseError = message;
  };

  let offset = 0;
  const stream = createReadStream(filePath, { highWaterMark: 1024 * 1024 });
  for await (const chunk of stream as AsyncIterable<Buffer>) {
    const copy = chunk.buffer.slice(chunk.byteOffset, chunk.byteOffset + chunk.byteLength);
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(copy, offset));
    offset += chunk.byteLength;
    if (movie || parseError) break;
  }
  stream.destroy();
  file.flush();

  const info = movie as Movie | null;
  if (parseError || !info) {
    throw new ProbeError("truncated", parseError ?? "no movie header (moov) found: the file is incomplete or not an MP4");
  }
  const video = info.videoTracks[0];
  if (!video) throw new ProbeError("no_video", "the file has no video track");
  const durationSeconds =
    info.timescale > 0 && info.duration > 0 ? info.duration / info.timescale : video.duration / video.timescale;
  return {
    container: "mp4",
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    hasVideo: true,
    hasAudio: info.audioTracks.length > 0,
    width: video.video?.width ?? null,
    height: video.video?.height ?? null,
  };
}
