import { open } from "node:fs/promises";
import { createFile, MP4BoxBuffer, type Movie } from "mp4box";
import { EbmlFile, EbmlTruncated, readVint, type EbmlElement } from "./ebml.server";
import { readMp4Timing, verifiedMp4Seconds, type Mp4Timing } from "./mp4-boxes.server";
import { assertLengthsAgree } from "./media-length";
import { ProbeError } from "./probe-error";
import { SNIFF_BYTES, sniffMedia } from "./sniff";

export { ProbeError, type ProbeReason } from "./probe-error";

export type VideoProbe = {
  container: "mp4" | "webm";
  durationSeconds: number;
  hasVideo: boolean;
  hasAudio: boolean;
  width: number | null;
  height: number | null;
  videoCodec: string;
  audioCodec: string | null;
};

// What browsers play in each container without plug-ins (issue #3: MP4 is
// H.264/AAC; WebM is VP8/VP9/AV1 with Vorbis/Opus).
const MP4_VIDEO = /^(avc1|avc3)\b/;
const MP4_AUDIO = /^mp4a\b/;
const WEBM_VIDEO = new Set(["V_VP8", "V_VP9", "V_AV1"]);
const WEBM_AUDIO = new Set(["A_OPUS", "A_VORBIS"]);

export async function readHead(filePath: string, length = SNIFF_BYTES): Promise<Uint8Array> {
  const handle = await open(filePath, "r");
  try {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await handle.read(buffer, 0, length, 0);
    return buffer.subarray(0, bytesRead);
  } finally {
    await handle.close();
  }
}

/** Recognises the container by its bytes, then measures the file with that container's parser. */
export async function probeVideo(filePath: string): Promise<VideoProbe> {
  const kind = sniffMedia(await readHead(filePath));
  if (kind === "mp4") return probeMp4(filePath);
  if (kind === "webm") return probeWebm(filePath);
  throw new ProbeError("not_video", "the file is neither an MP4 nor a WebM video");
}

// The movie header of a 5-minute lesson is well under 1 MB; this only bounds
// what a damaged or hostile file can make the probe hold.
const MAX_MOVIE_HEADER_BYTES = 64 * 1024 * 1024;

/**
 * Parses the movie header (codecs, picture size) with mp4box, handing it only
 * `ftyp` and `moov`, read at the positions the box walk found, so neither a
 * large file nor one whose header sits at the back is streamed through.
 */
async function parseMovieHeader(filePath: string, timing: Mp4Timing): Promise<Movie> {
  const wanted = timing.topLevel.filter((b) => b.type === "ftyp" || b.type === "moov");
  const total = wanted.reduce((sum, b) => sum + (b.end - b.start), 0);
  if (total > MAX_MOVIE_HEADER_BYTES)
    throw new ProbeError("truncated", `the movie header is ${total} bytes, more than any lesson needs`);
  const bytes = Buffer.alloc(total);
  const handle = await open(filePath, "r");
  try {
    let at = 0;
    for (const box of wanted) {
      await handle.read(bytes, at, box.end - box.start, box.start);
      at += box.end - box.start;
    }
  } finally {
    await handle.close();
  }
  const file = createFile();
  let movie: Movie | null = null;
  let parseError: string | null = null;
  file.onReady = (info) => {
    movie = info;
  };
  file.onError = (_module, message) => {
    parseError = message;
  };
  try {
    file.appendBuffer(MP4BoxBuffer.fromArrayBuffer(bytes.buffer.slice(bytes.byteOffset, bytes.byteOffset + total), 0));
    file.flush();
  } catch (error) {
    // mp4box's own failures on damaged boxes are about the file, not our code.
    throw new ProbeError("truncated", `the movie header cannot be read: ${(error as Error).message}`);
  }
  const info = movie as Movie | null;
  if (parseError || !info) throw new ProbeError("truncated", parseError ?? "the movie header cannot be read");
  return info;
}

/**
 * Reads an MP4's tracks and length from the file itself: the length the
 * headers declare is accepted only if the sample tables agree (decision 013).
 */
export async function probeMp4(filePath: string): Promise<VideoProbe> {
  const timing = await readMp4Timing(filePath);
  const info = await parseMovieHeader(filePath, timing);
  const video = info.videoTracks[0];
  if (!video || (!info.isFragmented && video.nb_samples === 0))
    throw new ProbeError("no_video", "the file has no video track");
  const audio = info.audioTracks[0] ?? null;
  if (!MP4_VIDEO.test(video.codec)) {
    throw new ProbeError("unsupported_codec", `video codec ${video.codec} is not H.264`);
  }
  if (audio && !MP4_AUDIO.test(audio.codec)) {
    throw new ProbeError("unsupported_codec", `audio codec ${audio.codec} is not AAC`);
  }
  const durationSeconds = verifiedMp4Seconds(timing);
  if (!(durationSeconds > 0)) throw new ProbeError("truncated", "the file declares no duration");
  return {
    container: "mp4",
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    hasVideo: true,
    hasAudio: audio !== null,
    width: video.video?.width ?? null,
    height: video.video?.height ?? null,
    videoCodec: video.codec,
    audioCodec: audio?.codec ?? null,
  };
}

type BlockHead = { track: number; time: number; opusNs: number | null };

/**
 * An Opus packet's length from its table-of-contents byte (RFC 6716, 3.1):
 * the configuration gives the frame length, the code the number of frames.
 * Null when the packet is too short to say.
 */
export function opusPacketNs(packet: Uint8Array): number | null {
  const toc = packet[0];
  if (toc === undefined) return null;
  const config = toc >> 3;
  const frameUs =
    config < 12
      ? [10_000, 20_000, 40_000, 60_000][config & 3]!
      : config < 16
        ? [10_000, 20_000][config & 1]!
        : [2_500, 5_000, 10_000, 20_000][config & 3]!;
  const code = toc & 3;
  let frames = code === 0 ? 1 : 2;
  if (code === 3) {
    const count = packet[1];
    if (count === undefined) return null;
    frames = count & 0x3f;
  }
  return frames * frameUs * 1000;
}

type WebmTrack = {
  number: number | null;
  type: number | null;
  codec: string | null;
  width: number | null;
  height: number | null;
  frameNs: number | null;
};

// Matroska element IDs (https://www.matroska.org/technical/elements.html).
const ID = {
  EBML: 0x1a45dfa3,
  DocType: 0x4282,
  Segment: 0x18538067,
  Info: 0x1549a966,
  TimecodeScale: 0x2ad7b1,
  Duration: 0x4489,
  Tracks: 0x1654ae6b,
  TrackEntry: 0xae,
  TrackNumber: 0xd7,
  TrackType: 0x83,
  CodecID: 0x86,
  DefaultDuration: 0x23e383,
  Video: 0xe0,
  PixelWidth: 0xb0,
  PixelHeight: 0xba,
  Cluster: 0x1f43b675,
  Timecode: 0xe7,
  SimpleBlock: 0xa3,
  BlockGroup: 0xa0,
  Block: 0xa1,
  BlockDuration: 0x9b,
} as const;

// Children of Segment: an unknown-size Cluster ends where one of these starts.
const SEGMENT_CHILDREN = new Set([
  0x114d9b74, // SeekHead
  ID.Info,
  ID.Tracks,
  ID.Cluster,
  0x1c53bb6b, // Cues
  0x1254c367, // Tags
  0x1043a770, // Chapters
  0x1941a469, // Attachments
]);

type Span = { start: number; end: number };

async function childElements(file: EbmlFile, span: Span, each: (element: EbmlElement, end: number) => Promise<void>) {
  let position = span.start;
  while (position < span.end) {
    const element = await file.element(position);
    if (element.size === null) throw new EbmlTruncated(`element 0x${element.id.toString(16)} has an unknown size`);
    const end = element.dataStart + element.size;
    if (end > span.end) throw new EbmlTruncated(`element 0x${element.id.toString(16)} runs past its parent`);
    await each(element, end);
    position = end;
  }
}

/**
 * Reads a WebM (Matroska) file's header, tracks and timing with an EBML
 * reader. The duration is Info/Duration when the muxer wrote it; recorders
 * that stream (browsers' MediaRecorder) leave it out and write "unknown"
 * sizes, so then the clusters are walked (headers only) to the last frame,
 * which also proves the file is complete.
 */
export async function probeWebm(filePath: string): Promise<VideoProbe> {
  const file = await EbmlFile.open(filePath);
  try {
    return await readWebm(file);
  } catch (error) {
    if (error instanceof EbmlTruncated) throw new ProbeError("truncated", error.message);
    throw error;
  } finally {
    await file.close();
  }
}

async function readWebm(file: EbmlFile): Promise<VideoProbe> {
  const header = await file.element(0);
  if (header.id !== ID.EBML || header.size === null) throw new ProbeError("not_video", "no EBML header");
  let docType: string | null = null;
  await childElements(file, { start: header.dataStart, end: header.dataStart + header.size }, async (element) => {
    if (element.id === ID.DocType) docType = await file.string(element);
  });
  if (docType !== "webm")
    throw new ProbeError("not_video", `the file is ${docType ?? "an unknown EBML document"}, not WebM`);

  const segment = await file.element(header.dataStart + header.size);
  if (segment.id !== ID.Segment) throw new ProbeError("truncated", "no segment after the EBML header");
  if (segment.size !== null && segment.dataStart + segment.size > file.size) {
    throw new ProbeError(
      "truncated",
      `the segment needs ${segment.dataStart + segment.size} bytes but the file has ${file.size}`,
    );
  }
  const segmentEnd = segment.size === null ? file.size : segment.dataStart + segment.size;

  let timecodeScale = 1_000_000; // nanoseconds per tick, the Matroska default
  let infoDuration: number | null = null;
  let tracks: WebmTrack[] | null = null;
  let lastFrameEnd = 0; // in ticks

  const readInfo = (span: Span) =>
    childElements(file, span, async (element) => {
      if (element.id === ID.TimecodeScale) timecodeScale = await file.uint(element);
      if (element.id === ID.Duration) infoDuration = await file.float(element);
    });

  const readTracks = async (span: Span) => {
    const found: WebmTrack[] = [];
    await childElements(file, span, async (entry, entryEnd) => {
      if (entry.id !== ID.TrackEntry) return;
      const track: WebmTrack = { number: null, type: null, codec: null, width: null, height: null, frameNs: null };
      await childElements(file, { start: entry.dataStart, end: entryEnd }, async (element, end) => {
        if (element.id === ID.TrackNumber) track.number = await file.uint(element);
        if (element.id === ID.TrackType) track.type = await file.uint(element);
        if (element.id === ID.CodecID) track.codec = await file.string(element);
        if (element.id === ID.DefaultDuration) track.frameNs = await file.uint(element);
        if (element.id === ID.Video) {
          await childElements(file, { start: element.dataStart, end }, async (dimension) => {
            if (dimension.id === ID.PixelWidth) track.width = await file.uint(dimension);
            if (dimension.id === ID.PixelHeight) track.height = await file.uint(dimension);
          });
        }
      });
      found.push(track);
    });
    tracks = found;
  };

  /**
   * A frame's length in ticks: its BlockDuration, else its track's
   * DefaultDuration, else, for Opus, what the packet's first byte says.
   * Browsers' recorders write neither duration, and their Opus packets last
   * 60 ms: without this the last one would count for nothing.
   */
  const frameTicks = (block: { track: number; opusNs: number | null }) => {
    const track = (tracks ?? []).find((t) => t.number === block.track);
    const ns = track?.frameNs ?? (track?.codec === "A_OPUS" ? block.opusNs : null) ?? 0;
    return ns / timecodeScale;
  };

  /** Walks one cluster's blocks; returns where it ends (needed when its size is unknown). */
  const readCluster = async (cluster: EbmlElement): Promise<number> => {
    const end = cluster.size === null ? segmentEnd : cluster.dataStart + cluster.size;
    let clusterTime = 0;
    let position = cluster.dataStart;
    while (position < end) {
      const element = await file.element(position);
      if (cluster.size === null && SEGMENT_CHILDREN.has(element.id)) return position;
      if (element.size === null) throw new EbmlTruncated("a block has an unknown size");
      const elementEnd = element.dataStart + element.size;
      if (elementEnd > end) throw new EbmlTruncated(`the file ends inside a cluster at byte ${position}`);
      if (element.id === ID.Timecode) clusterTime = await file.uint(element);
      if (element.id === ID.SimpleBlock) {
        const block = await blockHead(element);
        lastFrameEnd = Math.max(lastFrameEnd, clusterTime + block.time + frameTicks(block));
      }
      if (element.id === ID.BlockGroup) {
        let block: BlockHead = { track: 0, time: 0, opusNs: null };
        let length: number | null = null;
        await childElements(file, { start: element.dataStart, end: elementEnd }, async (child) => {
          if (child.id === ID.Block) block = await blockHead(child);
          if (child.id === ID.BlockDuration) length = await file.uint(child);
        });
        lastFrameEnd = Math.max(lastFrameEnd, clusterTime + block.time + (length ?? frameTicks(block)));
      }
      position = elementEnd;
    }
    return end;
  };

  /**
   * A block starts with its track number (a vint), a signed 16-bit time
   * relative to the cluster and a flags byte; an unlaced one then holds one
   * packet, whose first bytes are read in case it is Opus.
   */
  const blockHead = async (block: EbmlElement): Promise<BlockHead> => {
    const head = await file.payload(block, 16);
    const track = readVint(head, 0, false);
    if (head.length < track.length + 2) throw new EbmlTruncated("a block is too short");
    const flags = head[track.length + 2] ?? 0;
    const laced = (flags & 0x06) !== 0;
    return {
      track: track.value,
      time: head.readInt16BE(track.length),
      opusNs: laced ? null : opusPacketNs(head.subarray(track.length + 3)),
    };
  };

  // Clusters come in time order, so a cluster of known size is skipped by its
  // header, and only the last one's blocks are read: a 1 GB file costs a read
  // per cluster, not per frame. Unknown-size clusters are walked to find their end.
  let lastSizedCluster: EbmlElement | null = null;
  let position = segment.dataStart;
  while (position < segmentEnd) {
    const element = await file.element(position);
    if (element.id === ID.Cluster) {
      if (element.size === null) {
        lastSizedCluster = null;
        position = await readCluster(element);
        continue;
      }
      lastSizedCluster = element;
    }
    if (element.size === null) throw new EbmlTruncated(`element 0x${element.id.toString(16)} has an unknown size`);
    const end = element.dataStart + element.size;
    if (end > segmentEnd) throw new EbmlTruncated(`the file ends inside element 0x${element.id.toString(16)}`);
    if (element.id === ID.Info) await readInfo({ start: element.dataStart, end });
    if (element.id === ID.Tracks) await readTracks({ start: element.dataStart, end });
    position = end;
  }
  if (lastSizedCluster) await readCluster(lastSizedCluster);

  const trackList = tracks as WebmTrack[] | null;
  if (!trackList) throw new ProbeError("truncated", "no track list found");
  const video = trackList.find((t) => t.type === 1);
  const audio = trackList.find((t) => t.type === 2) ?? null;
  if (!video) throw new ProbeError("no_video", "the file has no video track");
  if (!video.codec || !WEBM_VIDEO.has(video.codec)) {
    throw new ProbeError("unsupported_codec", `video codec ${video.codec ?? "?"} is not VP8, VP9 or AV1`);
  }
  if (audio && (!audio.codec || !WEBM_AUDIO.has(audio.codec))) {
    throw new ProbeError("unsupported_codec", `audio codec ${audio.codec ?? "?"} is not Opus or Vorbis`);
  }
  const toSeconds = (ticks: number) => (ticks * timecodeScale) / 1e9;
  const declared = infoDuration as number | null;
  if (declared !== null)
    assertLengthsAgree("the segment's Info/Duration", toSeconds(declared), toSeconds(lastFrameEnd));
  const durationSeconds = toSeconds(declared ?? lastFrameEnd);
  if (!(durationSeconds > 0)) throw new ProbeError("truncated", "the file declares no duration and holds no frames");
  return {
    container: "webm",
    durationSeconds: Math.round(durationSeconds * 1000) / 1000,
    hasVideo: true,
    hasAudio: audio !== null,
    width: video.width,
    height: video.height,
    videoCodec: video.codec,
    audioCodec: audio?.codec ?? null,
  };
}
