import { open, type FileHandle } from "node:fs/promises";
import { assertLengthsAgree, assertNoLongerThan } from "./media-length";
import { ProbeError } from "./probe-error";

// Reads an MP4's timing from its box headers and sample tables at byte
// positions (ISO/IEC 14496-12), so a 1 GB file costs a few hundred small reads
// and a sample table of any length is summed in fixed-size pieces.

export type Mp4Box = { type: string; start: number; dataStart: number; end: number };

export type Mp4TrackTiming = {
  id: number;
  handler: string;
  /** mdhd duration; null when the header leaves it unknown (0 or all ones). */
  declaredSeconds: number | null;
  /** The sum of the sample durations: stts, plus every trun of a fragmented file. */
  samplesSeconds: number;
  sampleCount: number;
  /** The edit list's total (elst), in seconds; null without one. */
  editSeconds: number | null;
};

export type Mp4Timing = {
  /** The top-level ftyp, moov and moof boxes. */
  topLevel: Mp4Box[];
  moov: Mp4Box;
  fragmented: boolean;
  /** mvhd duration, or mehd's for a fragmented file whose mvhd says 0. */
  declaredSeconds: number | null;
  tracks: Mp4TrackTiming[];
};

const TABLE_PIECE = 64 * 1024;
// A 5-minute lesson has some 20,000 samples a track (60 fps video, 48 kHz
// AAC). Tables are read in pieces, so memory stays flat whatever their length,
// but a forged table could make the probe read a gigabyte of entries: stop at
// a few million, still far past any real file a trainer would upload.
const MAX_TABLE_ENTRIES = 4_000_000;
// Likewise boxes: a fragmented lesson has a few thousand (a moof a second or
// two, a handful of children each), some 250,000 if a recorder makes a
// fragment of every frame; a file of 8-byte boxes has a hundred million.
const MAX_BOXES = 1_000_000;
const damaged = (message: string) => new ProbeError("truncated", message);

class BoxReader {
  private entriesRead = 0;
  private boxesRead = 0;

  constructor(
    private readonly handle: FileHandle,
    readonly size: number,
  ) {}

  async bytes(position: number, length: number): Promise<Buffer> {
    const buffer = Buffer.alloc(length);
    const { bytesRead } = await this.handle.read(buffer, 0, length, position);
    if (bytesRead < length) throw damaged(`the file ends at byte ${this.size}, inside data at ${position}`);
    return buffer;
  }

  /** The box header at `position`, which must end by `limit` (its parent's end). */
  async box(position: number, limit: number): Promise<Mp4Box> {
    if (limit - position < 8) throw damaged(`the file ends inside a box header at byte ${position}`);
    if (++this.boxesRead > MAX_BOXES) throw damaged(`the file has more than ${MAX_BOXES} boxes`);
    const header = await this.bytes(position, Math.min(16, limit - position));
    let size = header.readUInt32BE(0);
    const type = header.toString("latin1", 4, 8);
    let headerSize = 8;
    if (size === 1) {
      if (header.length < 16) throw damaged(`the file ends inside a box header at byte ${position}`);
      size = Number(header.readBigUInt64BE(8));
      headerSize = 16;
    } else if (size === 0) {
      size = limit - position; // "extends to the end of the file"
    }
    if (size < headerSize) throw damaged(`box "${type}" at byte ${position} has an impossible size`);
    if (position + size > limit)
      throw damaged(`box "${type}" needs ${position + size} bytes but its container has ${limit}`);
    return { type, start: position, dataStart: position + headerSize, end: position + size };
  }

  async children(parent: { dataStart: number; end: number }, skip = 0): Promise<Mp4Box[]> {
    const found: Mp4Box[] = [];
    for (let position = parent.dataStart + skip; position < parent.end;) {
      const child = await this.box(position, parent.end);
      found.push(child);
      position = child.end;
    }
    return found;
  }

  /** A box's payload, at most `limit` bytes: for the small fixed-layout boxes. */
  async payload(box: Mp4Box, limit = 256): Promise<Buffer> {
    return this.bytes(box.dataStart, Math.min(box.end - box.dataStart, limit));
  }

  /** Calls `each` on fixed-size table entries, read `TABLE_PIECE` bytes at a time. */
  async entries(
    box: Mp4Box,
    tableStart: number,
    count: number,
    entrySize: number,
    each: (piece: Buffer, at: number) => void,
  ) {
    if (tableStart + count * entrySize > box.end) throw damaged(`box "${box.type}" lists more entries than it holds`);
    this.entriesRead += count;
    if (this.entriesRead > MAX_TABLE_ENTRIES)
      throw damaged(`the sample tables list more than ${MAX_TABLE_ENTRIES} entries`);
    const perPiece = Math.max(1, Math.floor(TABLE_PIECE / entrySize));
    for (let first = 0; first < count; first += perPiece) {
      const n = Math.min(perPiece, count - first);
      const piece = await this.bytes(tableStart + first * entrySize, n * entrySize);
      for (let i = 0; i < n; i++) each(piece, i * entrySize);
    }
  }
}

const need = (data: Buffer, length: number, type: string) => {
  if (data.length < length) throw damaged(`box "${type}" is too short`);
};

/** mvhd and mdhd share a layout: version, times, timescale, duration. */
function headerDuration(data: Buffer, type: string): { timescale: number; duration: number | null } {
  const version = data[0];
  need(data, version === 1 ? 32 : 20, type);
  const timescale = version === 1 ? data.readUInt32BE(20) : data.readUInt32BE(12);
  if (timescale === 0) throw damaged(`box "${type}" has a timescale of 0`);
  const unknown =
    version === 1 ? data.readBigUInt64BE(24) === 0xffffffffffffffffn : data.readUInt32BE(16) === 0xffffffff;
  const duration = version === 1 ? Number(data.readBigUInt64BE(24)) : data.readUInt32BE(16);
  return { timescale, duration: unknown || duration === 0 ? null : duration };
}

const find = (boxes: Mp4Box[], type: string) => boxes.find((b) => b.type === type);

/**
 * Walks the top-level boxes by their headers only. Each must fit inside the
 * file: a download or copy cut short leaves the last box (usually `mdat`, the
 * media data) claiming more bytes than there are, even when the movie header
 * at the front is intact. Keeps the boxes the probe reads; `mdat` is only noted.
 */
async function topLevelBoxes(reader: BoxReader): Promise<Mp4Box[]> {
  const kept: Mp4Box[] = [];
  let mediaData = false;
  for (let position = 0; position < reader.size;) {
    const box = await reader.box(position, reader.size);
    if (box.type === "mdat") mediaData = true;
    else if (box.type === "ftyp" || box.type === "moov" || box.type === "moof") kept.push(box);
    position = box.end;
  }
  if (!find(kept, "moov")) throw damaged("no movie header (moov) found");
  if (!mediaData && !find(kept, "moof")) throw damaged("no media data (mdat) found");
  return kept;
}

export async function readMp4Timing(filePath: string): Promise<Mp4Timing> {
  const handle = await open(filePath, "r");
  try {
    const reader = new BoxReader(handle, (await handle.stat()).size);
    return await readTiming(reader);
  } finally {
    await handle.close();
  }
}

async function readTiming(reader: BoxReader): Promise<Mp4Timing> {
  const topLevel = await topLevelBoxes(reader);
  const moov = find(topLevel, "moov")!;
  const moovChildren = await reader.children(moov);
  const mvhd = find(moovChildren, "mvhd");
  if (!mvhd) throw damaged("the movie header has no mvhd");
  const movie = headerDuration(await reader.payload(mvhd), "mvhd");

  const mvex = find(moovChildren, "mvex");
  const trexDefaults = new Map<number, number>();
  let fragmentDuration: number | null = null;
  if (mvex) {
    for (const child of await reader.children(mvex)) {
      const data = await reader.payload(child);
      if (child.type === "trex") {
        need(data, 16, "trex");
        trexDefaults.set(data.readUInt32BE(4), data.readUInt32BE(12));
      }
      if (child.type === "mehd") {
        need(data, data[0] === 1 ? 12 : 8, "mehd");
        fragmentDuration = data[0] === 1 ? Number(data.readBigUInt64BE(4)) : data.readUInt32BE(4);
      }
    }
  }

  const tracks: TrackCount[] = [];
  for (const trak of moovChildren.filter((b) => b.type === "trak"))
    tracks.push(await readTrack(reader, trak, movie.timescale));
  const fragmented = mvex !== undefined;
  if (fragmented) await addFragments(reader, topLevel, tracks, trexDefaults);

  const declaredMovie = movie.duration ?? (fragmentDuration ? fragmentDuration : null);
  return {
    topLevel,
    moov,
    fragmented,
    declaredSeconds: declaredMovie === null ? null : declaredMovie / movie.timescale,
    tracks: tracks.map(({ timescale, units, ...track }) => ({ ...track, samplesSeconds: units / timescale })),
  };
}

/** A track while its samples are counted: durations in its own timescale's units. */
type TrackCount = Omit<Mp4TrackTiming, "samplesSeconds"> & { timescale: number; units: number };

async function readTrack(reader: BoxReader, trak: Mp4Box, movieTimescale: number): Promise<TrackCount> {
  const trakChildren = await reader.children(trak);
  const tkhd = find(trakChildren, "tkhd");
  const mdia = find(trakChildren, "mdia");
  if (!tkhd || !mdia) throw damaged("a track has no tkhd or mdia");
  const tkhdData = await reader.payload(tkhd);
  need(tkhdData, tkhdData[0] === 1 ? 20 : 12, "tkhd");
  const id = tkhdData.readUInt32BE(tkhdData[0] === 1 ? 20 : 12);

  const mdiaChildren = await reader.children(mdia);
  const mdhd = find(mdiaChildren, "mdhd");
  if (!mdhd) throw damaged("a track has no mdhd");
  const media = headerDuration(await reader.payload(mdhd), "mdhd");
  const hdlr = find(mdiaChildren, "hdlr");
  const handler = hdlr ? (await reader.payload(hdlr, 12)).toString("latin1", 8, 12) : "";

  let units = 0;
  let sampleCount = 0;
  const minf = find(mdiaChildren, "minf");
  const stbl = minf && find(await reader.children(minf), "stbl");
  const stts = stbl && find(await reader.children(stbl), "stts");
  if (stts) {
    const head = await reader.payload(stts, 8);
    need(head, 8, "stts");
    await reader.entries(stts, stts.dataStart + 8, head.readUInt32BE(4), 8, (piece, at) => {
      const count = piece.readUInt32BE(at);
      sampleCount += count;
      units += count * piece.readUInt32BE(at + 4);
    });
  }

  let editUnits: number | null = null;
  const edts = find(trakChildren, "edts");
  const elst = edts && find(await reader.children(edts), "elst");
  if (elst) {
    const head = await reader.payload(elst, 8);
    need(head, 8, "elst");
    const wide = head[0] === 1;
    editUnits = 0;
    await reader.entries(elst, elst.dataStart + 8, head.readUInt32BE(4), wide ? 20 : 12, (piece, at) => {
      editUnits! += wide ? Number(piece.readBigUInt64BE(at)) : piece.readUInt32BE(at);
    });
  }

  return {
    id,
    handler,
    timescale: media.timescale,
    units,
    sampleCount,
    declaredSeconds: media.duration === null ? null : media.duration / media.timescale,
    // Edits totalling 0 state no length: fragmented files are written before it is known.
    editSeconds: editUnits === null || editUnits === 0 ? null : editUnits / movieTimescale,
  };
}

/** Adds each fragment's samples (moof/traf/trun) to its track. */
async function addFragments(
  reader: BoxReader,
  topLevel: Mp4Box[],
  tracks: TrackCount[],
  trexDefaults: Map<number, number>,
) {
  const byId = new Map(tracks.map((t) => [t.id, t]));
  for (const moof of topLevel.filter((b) => b.type === "moof")) {
    for (const traf of (await reader.children(moof)).filter((b) => b.type === "traf")) {
      const trafChildren = await reader.children(traf);
      const tfhd = find(trafChildren, "tfhd");
      if (!tfhd) throw damaged("a track fragment has no tfhd");
      const tfhdData = await reader.payload(tfhd, 32);
      need(tfhdData, 8, "tfhd");
      const flags = tfhdData.readUInt32BE(0) & 0xffffff;
      const trackId = tfhdData.readUInt32BE(4);
      const at = 8 + (flags & 0x1 ? 8 : 0) + (flags & 0x2 ? 4 : 0);
      let defaultDuration = trexDefaults.get(trackId) ?? 0;
      if (flags & 0x8) {
        need(tfhdData, at + 4, "tfhd");
        defaultDuration = tfhdData.readUInt32BE(at);
      }
      const track = byId.get(trackId);
      if (!track) throw damaged(`a fragment belongs to track ${trackId}, which the movie header does not list`);
      for (const trun of trafChildren.filter((b) => b.type === "trun")) {
        const head = await reader.payload(trun, 16);
        need(head, 8, "trun");
        const trunFlags = head.readUInt32BE(0) & 0xffffff;
        const count = head.readUInt32BE(4);
        const tableStart = trun.dataStart + 8 + (trunFlags & 0x1 ? 4 : 0) + (trunFlags & 0x4 ? 4 : 0);
        const entrySize = 4 * [0x100, 0x200, 0x400, 0x800].filter((f) => trunFlags & f).length;
        track.sampleCount += count;
        if (trunFlags & 0x100) {
          await reader.entries(trun, tableStart, count, entrySize, (piece, offset) => {
            track.units += piece.readUInt32BE(offset);
          });
        } else {
          if (tableStart + count * entrySize > trun.end) throw damaged('box "trun" lists more entries than it holds');
          track.units += count * defaultDuration;
        }
      }
    }
  }
}

/**
 * The length of the media the file holds, after checking that every header
 * which states a length agrees with the sample tables within a second.
 * An edit list may show less than the samples hold (a trim, kept without
 * re-encoding), never more: time that no frame fills, whether an inflated
 * edit or an empty one (a delay), counts against it beyond the second.
 * Returns the movie header's length when there is one (it is what players
 * show), else the longest track's.
 */
export function verifiedMp4Seconds(timing: Mp4Timing): number {
  const media = timing.tracks.filter((t) => (t.handler === "vide" || t.handler === "soun") && t.sampleCount > 0);
  let longest = 0;
  for (const track of media) {
    const kind = track.handler === "vide" ? "video" : "audio";
    if (track.declaredSeconds !== null) {
      // In a fragmented file the track header describes the movie before its
      // fragments (ISO/IEC 14496-12, 8.8), so it may say less than the samples,
      // never more. Chromium's recorder writes it in the wrong timescale (3.031 s
      // as 3031 units of 1/30000 s); fragments decide.
      const check = timing.fragmented ? assertNoLongerThan : assertLengthsAgree;
      check(`the ${kind} track header (mdhd)`, track.declaredSeconds, track.samplesSeconds);
    }
    if (track.editSeconds !== null)
      assertNoLongerThan(`the ${kind} track's edit list (elst)`, track.editSeconds, track.samplesSeconds);
    longest = Math.max(longest, track.editSeconds ?? track.samplesSeconds);
  }
  if (timing.declaredSeconds !== null) {
    assertLengthsAgree(
      timing.fragmented ? "the movie header (mvhd/mehd)" : "the movie header (mvhd)",
      timing.declaredSeconds,
      longest,
    );
    return timing.declaredSeconds;
  }
  return longest;
}
