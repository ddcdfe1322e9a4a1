import { describe, expect, it } from "vitest";
import { findLessons, lessonFileNames } from "./lessons";

describe("lessonFileNames", () => {
  it("uses the defaults when lesson.yaml names no files", () => {
    expect(lessonFileNames({}, "lesson.yaml", "l")).toEqual({
      slides: "slides.md",
      transcript: "transcript.md",
      video: "video.mp4",
      caption: "captions.vi.vtt",
    });
  });

  it("takes the Vietnamese caption file from the captions list", () => {
    const names = lessonFileNames(
      {
        video: "bai.mp4",
        captions: [
          { language: "en", file: "en.vtt" },
          { language: "vi-VN", file: "vi.vtt" },
        ],
      },
      "lesson.yaml",
      "l",
    );
    expect(names).toMatchObject({ video: "bai.mp4", caption: "vi.vtt" });
  });

  it("refuses a file name with a folder in it", () => {
    expect(() => lessonFileNames({ slides: "../slides.md" }, "lesson.yaml", "lesson")).toThrow(
      "lesson: file names must be plain (../slides.md)",
    );
  });
});

describe("findLessons", () => {
  it("lists the lessons of the courses under courses/, filtered by path", () => {
    const lessons = findLessons("cat-intro/lessons/01");
    expect(lessons).toHaveLength(1);
    expect(lessons[0]?.rel).toBe("courses/cat/cat-intro/lessons/01-cat-bao-ve-gi");
  });
});
