import { useTranslation } from "react-i18next";

/**
 * A name kept in Vietnamese and, when there is one, in English: the English
 * interface shows the English one, or falls back to the Vietnamese marked
 * lang="vi", so a screen reader reads it with Vietnamese pronunciation
 * (WCAG 3.1.2 Language of Parts).
 */
export function Localized({ vi, en }: { vi: string; en: string | null | undefined }) {
  const { i18n } = useTranslation();
  if (i18n.language !== "en") return <>{vi}</>;
  return en ? <>{en}</> : <span lang="vi">{vi}</span>;
}
