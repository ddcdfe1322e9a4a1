import { describe, expect, it } from "vitest";
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { cuesFitDeck, slideAt } from "./slide-cues";
import { remoteImages, slideSections, splitSlides, transcriptParagraphs, validateCues } from "./slides";

describe("slides", () => {
  it("splits a deck on lines holding only ---", () => {
    expect(splitSlides("# A\n\n---\n# B\ntext --- not a break\n---  \n\n# C")).toEqual([
      "# A",
      "# B\ntext --- not a break",
      "# C",
    ]);
  });
  it("keeps empty sections for the video script to refuse, and drops them from a deck", () => {
    expect(slideSections("# A\r\n---\n\n---\n# C\n---")).toEqual(["# A", "", "# C", ""]);
    expect(splitSlides("# A\r\n---\n\n---\n# C\n---")).toEqual(["# A", "# C"]);
  });
  it("splits the shipped decks and transcripts the same for the app and the video script", () => {
    const lessons = readdirSync("courses", { recursive: true, encoding: "utf8" }).filter(
      (file) => path.basename(file) === "slides.md",
    );
    expect(lessons.length).toBeGreaterThan(0);
    for (const file of lessons) {
      const deck = readFileSync(path.join("courses", file), "utf8");
      const transcript = readFileSync(path.join("courses", path.dirname(file), "transcript.md"), "utf8");
      expect(slideSections(deck), file).toEqual(splitSlides(deck));
      expect(slideSections(transcript).length, file).toBe(splitSlides(deck).length);
    }
  });
  it("turns transcript sections into paragraphs", () => {
    expect(transcriptParagraphs("Một.\n\nHai.\n---\nBa.")).toEqual(["Một.", "Hai.", "Ba."]);
  });
  it("validates cue times against slides and duration", () => {
    expect(validateCues([0, 30, 60], 3, 200)).toBeNull();
    expect(validateCues([], 3, 200)).toBeNull();
    expect(validateCues([5, 30], 2, 200)).toMatch(/first slide/);
    expect(validateCues([0, 30, 30], 3, 200)).toMatch(/increase/);
    expect(validateCues([0, 30], 3, 200)).toMatch(/3 slides but 2/);
    expect(validateCues([0, 250], 2, 200)).toMatch(/past the end/);
  });
  it("finds the slide showing at a time", () => {
    expect(slideAt([0, 30, 60], 0)).toBe(0);
    expect(slideAt([0, 30, 60], 45)).toBe(1);
    expect(slideAt([0, 30, 60], 500)).toBe(2);
    expect(slideAt([], 10)).toBeNull();
  });
});

describe("remoteImages", () => {
  it("finds images on other servers, in Markdown and in inline HTML", () => {
    const deck = [
      "# One\n\n![chart](https://tracker.example/pixel.png)",
      "---",
      'Text <img alt="x" src="http://cdn.example/a.png"> and <IMG SRC=//evil.example/b.gif>',
      "---",
      "![ref][logo]\n\n[logo]: https://ref.example/logo.png",
    ].join("\n");
    expect(remoteImages(deck)).toEqual([
      "https://tracker.example/pixel.png",
      "http://cdn.example/a.png",
      "//evil.example/b.gif",
      "https://ref.example/logo.png",
    ]);
  });

  it("lets pictures from this platform or inline data through", () => {
    const deck =
      "![a](/media/abc)\n\n![b](images/local.png)\n\n![c](data:image/png;base64,iVBORw0KGgo=)\n\n[a link](https://example.org) is not an image";
    expect(remoteImages(deck)).toEqual([]);
  });

  it("treats any other scheme as remote", () => {
    expect(remoteImages("![x](javascript:alert(1))\n\n![y](data:text/html,hi)")).toEqual([
      "javascript:alert(1)",
      "data:text/html,hi",
    ]);
  });
});

describe("cuesFitDeck", () => {
  it("keeps no cues, or one per slide; any other count no longer fits the deck", () => {
    expect(cuesFitDeck([], 5)).toBe(true);
    expect(cuesFitDeck([0, 10, 20], 3)).toBe(true);
    expect(cuesFitDeck([0, 10, 20], 4)).toBe(false);
    expect(cuesFitDeck([0, 10, 20], 2)).toBe(false);
    expect(cuesFitDeck([0], 0)).toBe(false);
  });
});
