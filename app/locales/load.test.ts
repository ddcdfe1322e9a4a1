import { createInstance } from "i18next";
import { describe, expect, it } from "vitest";
import { i18nBaseOptions, namespaces, resources } from "~/i18n";
import { languageResources, loadLanguage } from "./load";

function keys(value: unknown, prefix = ""): string[] {
  if (typeof value !== "object" || value === null) return [prefix.replace(/_(zero|one|two|few|many|other)$/, "")];
  return Object.entries(value).flatMap(([k, v]) => keys(v, prefix ? `${prefix}.${k}` : k));
}

describe("one language's translations at a time", () => {
  it("need no Vietnamese fallback under English: every namespace has the same keys (plural forms aside)", () => {
    expect([...namespaces].sort()).toEqual(Object.keys(resources.vi).sort());
    for (const ns of namespaces)
      expect([...new Set(keys(resources.en[ns]))].sort(), ns).toEqual([...new Set(keys(resources.vi[ns]))].sort());
  });

  it("load as each language's own module", async () => {
    expect(await languageResources("vi")).toBe(resources.vi);
    expect(await languageResources("en")).toBe(resources.en);
  });

  it("are added to an instance the first time the language is shown", async () => {
    const instance = createInstance();
    await instance.init({ ...i18nBaseOptions, lng: "vi", resources: { vi: await languageResources("vi") } });
    expect(instance.hasResourceBundle("en", "common")).toBe(false);
    await loadLanguage(instance, "en");
    await instance.changeLanguage("en");
    expect(instance.t("skipToContent")).toBe(resources.en.common.skipToContent);
    expect(instance.t("loadingPlayer", { ns: "learn" })).toBe(resources.en.learn.loadingPlayer);
  });
});
