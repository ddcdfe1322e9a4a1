import { describe, expect, it } from "vitest";
import { renderSlide } from "./lesson.server";

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
