// Stands in for hls.js in the player build for locally stored videos
// (vite.config.ts, `localMediaPlayer`; docs/decisions/170-player-bytes.md).
// A local lesson video is an MP4 or WebM file the browser plays natively;
// hls.js (~100 KB Brotli) only plays Mux's HLS streams. @mux/playback-core
// imports `CapLevelController`, and when its module is evaluated reads
// `isSupported()` and subclasses `DefaultConfig.capLevelController`. With
// `isSupported()` false it never builds an hls.js instance and hands every
// source to the <video> element.
export class CapLevelController {}

export default class HlsOff {
  static isSupported(): boolean {
    return false;
  }
  static readonly DefaultConfig = { capLevelController: CapLevelController };
  static readonly Events = {};
  static readonly ErrorTypes = {};
  static readonly ErrorDetails = {};
}
