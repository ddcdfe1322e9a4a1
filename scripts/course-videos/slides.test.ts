import { describe, expect, it } from "vitest";
import { LessonError } from "./settings";
import { parseSlide, splitSections, stripInline, transcriptText } from "./slides";

describe("splitSections", () => {
  it("splits on the app's slide separator and normalises line ends", () => {
    expect(splitSections("# Một\r\n- a\r\n\r\n---\r\n\r\n# Hai\r\n", "slides.md")).toEqual(["# Một\n- a", "# Hai"]);
  });

  it("refuses an empty section, naming the file and its number", () => {
    expect(() => splitSections("# Một\n\n---\n\n---\n\n# Ba", "x/slides.md")).toThrow(
      new LessonError("x/slides.md: section 2 is empty"),
    );
  });
});

describe("stripInline", () => {
  it("keeps the words of links, images, code and emphasis", () => {
    expect(stripInline("**Quyền** _trẻ em_, `CRC` và [Công ước](https://x) ![hình](a.png)")).toBe(
      "Quyền trẻ em, CRC và Công ước hình",
    );
  });

  it("collapses spaces and composes Vietnamese letters (NFC)", () => {
    expect(stripInline("  Vie\u0302\u0323t   Nam ")).toBe("Việt Nam");
  });
});

describe("parseSlide", () => {
  it("reads the heading, bullets, continued bullets and plain lines", () => {
    const slide = parseSlide("# Tiêu đề\n- một\n  tiếp theo\n* hai\nĐoạn văn\n## Phụ đề", "s");
    expect(slide).toEqual({
      title: "Tiêu đề",
      items: [
        { text: "một tiếp theo", bullet: true },
        { text: "hai", bullet: true },
        { text: "Đoạn văn", bullet: false },
        { text: "Phụ đề", bullet: false },
      ],
    });
  });

  it("requires a '# Heading'", () => {
    expect(() => parseSlide("- chỉ có ý", "lesson slide 3")).toThrow('lesson slide 3: slide has no "# Heading"');
  });
});

describe("transcriptText", () => {
  it("drops headings and joins the lines into one", () => {
    expect(transcriptText("## Phần 1\nXin chào.\nHôm nay **học** về CRC.")).toBe("Xin chào. Hôm nay học về CRC.");
  });
});
