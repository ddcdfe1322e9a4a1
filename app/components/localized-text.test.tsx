import { createInstance } from "i18next";
import type { ReactNode } from "react";
import { renderToStaticMarkup } from "react-dom/server";
import { I18nextProvider, initReactI18next } from "react-i18next";
import { describe, expect, it } from "vitest";
import { i18nOptions, type Language } from "~/i18n";
import { SelectField } from "./fields";
import { Localized, SentenceWithName } from "./localized-text";
import { ScopeFields, ScopeText } from "./people/scope-fields";

// A name without an English variant falls back to Vietnamese in the English
// interface; wherever it lands (alone, inside a translated sentence, as a
// select's option) the element holding it says lang="vi" (WCAG 3.1.2).

async function render(lng: Language, node: ReactNode) {
  const instance = createInstance();
  await instance.use(initReactI18next).init({ ...i18nOptions, lng });
  return renderToStaticMarkup(<I18nextProvider i18n={instance}>{node}</I18nextProvider>);
}

const agency = { id: "a1", code: "MOJ", nameVi: "Bộ Tư pháp", nameEn: null };

describe("Vietnamese fallbacks in the English interface", () => {
  it("a name on its own is marked only when it falls back", async () => {
    expect(await render("en", <Localized vi="Quyền con người" en={null} />)).toBe(
      '<span lang="vi">Quyền con người</span>',
    );
    expect(await render("en", <Localized vi="Quyền con người" en="Human rights" />)).toBe("Human rights");
    expect(await render("vi", <Localized vi="Quyền con người" en={null} />)).toBe("Quyền con người");
  });

  it("a name inside a translated sentence is marked, and stays text", async () => {
    const sentence = (title: string, titleEn: string | null) => (
      <SentenceWithName ns="certificates" i18nKey="complete.lead" vi={title} en={titleEn} />
    );
    expect(await render("en", sentence("Công ước ICCPR", null))).toBe(
      'Congratulations! You have completed the course “<span lang="vi">Công ước ICCPR</span>”. Your certificate is ready.',
    );
    expect(await render("en", sentence("Công ước ICCPR", "The ICCPR"))).toContain("course “<span>The ICCPR</span>”");
    expect(await render("vi", sentence("Công ước ICCPR", null))).toContain("khóa học “<span>Công ước ICCPR</span>”");
    // A title that looks like markup is neither a tag nor double-escaped.
    expect(await render("en", sentence("A <b>&amp; B</b>", null))).toContain(
      '“<span lang="vi">A &lt;b&gt;&amp;amp; B&lt;/b&gt;</span>”',
    );
    expect(await render("en", <ScopeText province={null} agency={agency} />)).toBe(
      'Agency: <span lang="vi">Bộ Tư pháp</span>',
    );
  });

  it("a select's option that falls back says so", async () => {
    const scope = await render(
      "en",
      <ScopeFields
        choices={{ provinces: [{ id: "p1", code: "HN", nameVi: "Hà Nội", nameEn: "Ha Noi" }], agencies: [agency] }}
        errors={{}}
      />,
    );
    expect(scope).toContain('<option value="a1" lang="vi">Bộ Tư pháp</option>');
    expect(scope).toContain('<option value="p1">Ha Noi</option>');
    const field = await render(
      "en",
      <SelectField
        name="course"
        label="Course"
        options={[
          { value: "c1", label: "Công ước (C1)", lang: "vi" },
          { value: "c2", label: "Convention (C2)" },
        ]}
      />,
    );
    expect(field).toContain('<option value="c1" lang="vi">Công ước (C1)</option>');
    expect(field).toContain('<option value="c2">Convention (C2)</option>');
  });
});
