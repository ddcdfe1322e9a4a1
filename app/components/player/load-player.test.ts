import { describe, expect, it } from "vitest";
import { buildFor } from "./load-player";

describe("which Mux Player build plays a video", () => {
  it("loads the build the video needs on a page that has none yet", () => {
    expect(buildFor(null, "local")).toBe("local");
    expect(buildFor(null, "mux")).toBe("mux");
  });

  it("keeps the build a page has when it plays the video: the full one plays both kinds", () => {
    expect(buildFor("local", "local")).toBe("local");
    expect(buildFor("mux", "mux")).toBe("mux");
    expect(buildFor("mux", "local")).toBe("mux");
  });

  it("asks for a fresh page to play Mux's stream where the build without hls.js is defined", () => {
    expect(buildFor("local", "mux")).toBe("reload");
  });
});
