import { Form } from "@remix-run/react";
import { useTranslation } from "react-i18next";
import { Feedback, type ActionFeedback } from "~/components/action-feedback";
import { TextField } from "~/components/text-field";

export type CourseOwnerRow = { role: string; user: { id: string; name: string; email: string } };

/** Who owns the course; an admin adds ("addOwner") and removes ("removeOwner") co-owners. */
export function CourseOwnersSection({
  owners,
  canManageOwners,
  data,
  busy,
}: {
  owners: CourseOwnerRow[];
  canManageOwners: boolean;
  data: ActionFeedback | undefined;
  busy: boolean;
}) {
  const { t } = useTranslation("teach");
  return (
    <section className="card" aria-labelledby="owners-heading">
      <h2 id="owners-heading">{t("owners.heading")}</h2>
      <Feedback data={data} intent={["addOwner", "removeOwner"]} />
      <ul className="owners">
        {owners.map((owner) => (
          <li key={owner.user.id}>
            {owner.user.name} ({owner.user.email}) · {t(`owners.${owner.role}`)}
            {canManageOwners && owner.role === "CO_OWNER" ? (
              <Form method="post" className="inline-form">
                <input type="hidden" name="userId" value={owner.user.id} />
                <button type="submit" name="intent" value="removeOwner" className="link-button" disabled={busy}>
                  {t("owners.remove")}
                  <span className="visually-hidden"> {owner.user.name}</span>
                </button>
              </Form>
            ) : null}
          </li>
        ))}
      </ul>
      {canManageOwners ? (
        <Form method="post" className="row" noValidate>
          <input type="hidden" name="intent" value="addOwner" />
          <TextField name="email" type="email" label={t("owners.email")} required />
          <button type="submit" className="button" disabled={busy}>
            {t("owners.add")}
          </button>
        </Form>
      ) : (
        <p className="hint">{t("owners.adminOnly")}</p>
      )}
    </section>
  );
}
