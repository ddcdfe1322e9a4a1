import type { PlayerKind } from "./player-kind";

// Mux Player comes in two builds, each its own chunk (vite.config.ts,
// docs/decisions/170-player-bytes.md): with hls.js for Mux's HLS streams, and
// without it (~100 KB Brotli less) for videos stored by the platform, which
// the browser plays natively. A page loads only the one its video needs.
const loaders = {
  local: () => import("@mux/mux-player-react?local-media"),
  mux: () => import("@mux/mux-player-react"),
} satisfies Record<PlayerKind, () => Promise<unknown>>;

// Both builds define the same custom elements (<mux-player>, <mux-video>),
// and a browser keeps the first definition of a name: the build a page
// loaded first is the one every later player on it is made of.
let loaded: PlayerKind | null = null;

/**
 * The build that plays a `kind` video on a page that has loaded `loaded`: the
 * one it has, unless that is the local one and the video is Mux's ("reload":
 * only a fresh page can define the elements again).
 */
export function buildFor(loaded: PlayerKind | null, kind: PlayerKind): PlayerKind | "reload" {
  if (loaded === null) return kind;
  return loaded === "local" && kind === "mux" ? "reload" : loaded;
}

/** buildFor on this page. */
export function playerBuildFor(kind: PlayerKind): PlayerKind | "reload" {
  return buildFor(loaded, kind);
}

/** Loads (once) the build that plays a `kind` video; idempotent, one promise per build. */
export function loadPlayer(kind: PlayerKind) {
  loaded ??= kind;
  return loaders[kind]();
}
