import { Link } from "@remix-run/react";
import { useTranslation } from "react-i18next";

/** Says that this is the trainer's preview, not the live course. */
export function PreviewBanner({ courseId, status }: { courseId: string; status: string }) {
  const { t } = useTranslation("teach");
  return (
    <p className="notice warning preview-banner" role="note">
      {status === "PUBLISHED" ? t("preview.bannerPublished") : t("preview.banner")}{" "}
      <Link to={`/teach/courses/${courseId}`}>{t("preview.backToEditor")}</Link>
    </p>
  );
}
