import i18next, { type TFunction } from "i18next";
import { i18nOptions, isLanguage, type Language } from "~/i18n";

/** The certificates translations outside a React tree (the PDF, the export's CSV). */
export async function certificatesT(language: string): Promise<{ t: TFunction; language: Language }> {
  const lng: Language = isLanguage(language) ? language : "vi";
  const instance = i18next.createInstance();
  await instance.init({ ...i18nOptions, lng, initImmediate: false });
  return { t: instance.getFixedT(lng, "certificates"), language: lng };
}
