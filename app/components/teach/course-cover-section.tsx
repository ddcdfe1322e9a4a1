import { useTranslation } from "react-i18next";
import { UploadField } from "~/components/upload-field";

/** The course's cover image and its upload field. */
export function CourseCoverSection({
  courseId,
  coverAssetId,
  onStored,
}: {
  courseId: string;
  coverAssetId: string | null;
  onStored: () => void;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="cover-heading">
      <h2 id="cover-heading">{t("cover.heading")}</h2>
      {coverAssetId ? <img className="cover-preview" src={`/media/${coverAssetId}`} alt={t("cover.alt")} /> : null}
      <UploadField
        purpose="COURSE_COVER"
        courseId={courseId}
        label={t("cover.pick")}
        hint={t("cover.hint")}
        accept="image/png,image/jpeg,image/webp"
        onStored={onStored}
      />
    </section>
  );
}
