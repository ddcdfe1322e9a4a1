import { Form, useNavigate, useNavigation } from "@remix-run/react";
import { useId, useState } from "react";
import { useTranslation } from "react-i18next";
import type { UploadOutcome } from "~/coverage/upload.server";
import type { FormError } from "~/utils/forms";

type Failure = Omit<Extract<UploadOutcome, { ok: false }>, "ok">;

/** An upload's refusal as the form shows it ("coverage:file.noFile"), from the page's action or the upload API. */
const refusal = ({ reason, params }: Failure): FormError => ({ key: `coverage:file.${reason}`, values: params });

/**
 * The upload form. With JavaScript it sends the file with XMLHttpRequest so
 * a large roster shows upload progress, then opens the import's page; without
 * it, it is a plain multipart form post.
 */
export function ImportForm({
  kind,
  maxMb,
  failure,
}: {
  kind: "roster" | "training";
  maxMb: number;
  failure?: FormError | null;
}) {
  const { t } = useTranslation("coverage");
  const id = useId();
  const navigate = useNavigate();
  const submitting = useNavigation().state === "submitting";
  const [uploaded, setUploaded] = useState<number | null>(null);
  const [error, setError] = useState<FormError | null>(null);
  const shown = error ?? failure ?? null;

  function onSubmit(event: React.FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const data = new FormData(event.currentTarget);
    const file = data.get("file");
    if (!(file instanceof File) || file.size === 0) {
      setError(refusal({ reason: "noFile", params: {} }));
      return;
    }
    if (file.size > maxMb * 1024 * 1024) {
      setError(refusal({ reason: "tooLarge", params: { mb: maxMb } }));
      return;
    }
    setError(null);
    setUploaded(0);
    const request = new XMLHttpRequest();
    request.open("POST", "/coverage/upload");
    request.upload.onprogress = (e) => e.lengthComputable && setUploaded(Math.round((e.loaded / e.total) * 100));
    request.onload = () => {
      setUploaded(null);
      try {
        const body = JSON.parse(request.responseText) as { ok: true; importId: string } | ({ ok: false } & Failure);
        if (body.ok) navigate(`/coverage/imports/${body.importId}`);
        else setError(refusal(body));
      } catch {
        setError(refusal({ reason: "unexpected", params: {} }));
      }
    };
    request.onerror = () => {
      setUploaded(null);
      setError(refusal({ reason: "unexpected", params: {} }));
    };
    request.send(data);
  }

  const busy = submitting || uploaded !== null;
  return (
    <Form
      method="post"
      encType="multipart/form-data"
      className="stack import-form"
      onSubmit={onSubmit}
      aria-describedby={shown ? `${id}-error` : undefined}
    >
      <input type="hidden" name="kind" value={kind} />
      {shown ? (
        <p className="form-error" role="alert" id={`${id}-error`}>
          {t(shown.key, shown.values)}
        </p>
      ) : null}
      <div className="field">
        <label htmlFor={`${id}-file`}>{t("import.file")}</label>
        <p className="hint" id={`${id}-hint`}>
          {t("import.fileHint", { mb: maxMb })}
        </p>
        <input
          id={`${id}-file`}
          type="file"
          name="file"
          required
          accept=".csv,.xlsx,text/csv,application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
          aria-describedby={`${id}-hint`}
        />
      </div>
      <label className="checkbox">
        <input type="checkbox" name="strict" /> {t("import.strict")}
      </label>
      {uploaded !== null ? (
        <div className="progress" role="status">
          <progress max={100} value={uploaded} aria-label={t("import.uploading", { percent: uploaded })} />
          <span className="progress-label">{t("import.uploading", { percent: uploaded })}</span>
        </div>
      ) : null}
      <div>
        <button type="submit" className="button" disabled={busy}>
          {t("import.submit")}
        </button>
      </div>
    </Form>
  );
}
