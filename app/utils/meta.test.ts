import type { MetaFunction } from "@remix-run/node";
import { describe, expect, it } from "vitest";
import { resources } from "~/i18n";
import { meta as catalogMeta } from "~/routes/_index";
import { meta as coverageMeta } from "~/routes/coverage._index";
import { meta as loginMeta } from "~/routes/login";
import { meta as courseEditorMeta } from "~/routes/teach.courses.$courseId._index";
import { metaLanguage, pageTitle } from "./meta";
// The server fills i18next's default instance, which `meta` reads.
import "~/i18n-instances.server";

const matchesIn = (locale: unknown) => [
  { id: "root", data: { locale } },
  { id: "routes/page", data: undefined },
];

function titleOf(meta: MetaFunction<never>, locale: string, data?: unknown): unknown {
  const args = {
    matches: matchesIn(locale),
    data,
    params: {},
    location: { pathname: "/" },
    error: undefined,
  } as unknown as Parameters<MetaFunction<never>>[0];
  const tags = (meta(args) ?? []) as Array<Record<string, unknown>>;
  return tags.find((tag) => "title" in tag)?.title;
}

describe("tab titles", () => {
  it("are English on an English page and Vietnamese on a Vietnamese one", () => {
    expect(titleOf(loginMeta, "en")).toBe("Log in · Tập huấn");
    expect(titleOf(loginMeta, "vi")).toBe("Đăng nhập · Tập huấn");
    expect(titleOf(coverageMeta, "en")).toBe("Coverage · Tập huấn");
    expect(titleOf(catalogMeta, "en")).toBe("Tập huấn · Courses on human rights");
    expect(titleOf(courseEditorMeta as MetaFunction<never>, "en", { course: { title: "CRC 1" } })).toBe(
      "CRC 1 · Teaching",
    );
    expect(titleOf(courseEditorMeta as MetaFunction<never>, "vi", { course: { title: "CRC 1" } })).toBe(
      "CRC 1 · Giảng dạy",
    );
  });

  it("fall back to Vietnamese when the root has no usable locale", () => {
    expect(metaLanguage(matchesIn("fr"))).toBe("vi");
    expect(metaLanguage([])).toBe("vi");
    expect(pageTitle([], "login")).toBe("Đăng nhập · Tập huấn");
  });

  it("exist in both languages", () => {
    expect(Object.keys(resources.en.common.titles).sort()).toEqual(Object.keys(resources.vi.common.titles).sort());
  });
});
