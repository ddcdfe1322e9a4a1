import { describe, expect, it } from "vitest";
import { lessonContent, renderSlide } from "./lesson.server";

describe("renderSlide", () => {
  it("keeps the platform's own and inline images, and drops remote ones", () => {
    const html = renderSlide(
      '![a](/media/abc) ![b](data:image/png;base64,iVBORw0KGgo=) ![c](https://tracker.example/p.gif) ![d](//tracker.example/p.gif)\n\n<img src="http://tracker.example/q.gif">',
    );
    expect(html).toContain('src="/media/abc"');
    expect(html).toContain('src="data:image/png;base64,iVBORw0KGgo="');
    expect(html).not.toContain("tracker.example");
  });

  it("keeps links to other sites", () => {
    expect(renderSlide("[Văn bản](https://example.gov.vn/a)")).toContain('href="https://example.gov.vn/a"');
  });
});

describe("lessonContent", () => {
  const lesson = (slidesMarkdown: string) => ({
    id: "l1",
    slug: "bai-1",
    title: "Bài 1",
    titleEn: null,
    language: "vi",
    durationSeconds: 60,
    slidesKind: "MARKDOWN",
    slidesMarkdown,
    slidesAssetId: null,
    slidesAsset: null,
    slideCues: "[0, 30]",
    transcript: null,
    quiz: null,
    videoAsset: null,
    captions: [],
  });

  it("renders a deck once per text: a page edits its own copy, and a changed deck renders anew", () => {
    const first = lessonContent(lesson("# Một\n---\n# Hai")).slides;
    expect(first).toEqual({ kind: "html", pages: ["<h1>Một</h1>\n", "<h1>Hai</h1>\n"] });
    if (first?.kind === "html") first.pages.push("<p>thêm</p>");
    expect(lessonContent(lesson("# Một\n---\n# Hai")).slides).toEqual({
      kind: "html",
      pages: ["<h1>Một</h1>\n", "<h1>Hai</h1>\n"],
    });
    expect(lessonContent(lesson("# Một\n---\n# Ba")).slides).toEqual({
      kind: "html",
      pages: ["<h1>Một</h1>\n", "<h1>Ba</h1>\n"],
    });
  });
});
