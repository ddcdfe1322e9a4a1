import { createInstance, type TFunction } from "i18next";
import enEmail from "~/locales/en/email.json";
import viEmail from "~/locales/vi/email.json";
import { isLanguage, type Language } from "~/i18n";

// Every email the platform sends, in the recipient's language, as HTML and
// plain text with the same content: a greeting, what happened, one link (as
// a button and written out), and a footer naming the platform with a link
// back. The copy lives in app/locales/*/email.json.

const i18n = createInstance();
void i18n.init({
  resources: { vi: { email: viEmail }, en: { email: enEmail } },
  lng: "vi",
  fallbackLng: "vi",
  ns: ["email"],
  defaultNS: "email",
  interpolation: { escapeValue: false },
  initImmediate: false,
});

export type EmailTemplate =
  | {
      template: "invite";
      params: { name: string; inviter: string; role: "LEARNER" | "TRAINER" | "COORDINATOR" | "ADMIN"; link: string };
    }
  | { template: "reset"; params: { name: string; email: string; link: string } }
  | { template: "verify"; params: { name: string; email: string; link: string } }
  | { template: "accountExists"; params: { name: string; email: string; link: string; resetLink: string } }
  | {
      template: "personalInvite";
      params: { name: string; agency: string; province: string; link: string; unsubscribeLink: string };
    }
  | {
      template: "reminder";
      params: { name: string; group: string; deadline: string; link: string; linked: boolean; unsubscribeLink: string };
    };

export type RenderedEmail = { subject: string; text: string; html: string };

function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (c) => ({ "&": "&amp;", "<": "&lt;", ">": "&gt;", '"': "&quot;", "'": "&#39;" })[c]!);
}

export function emailLanguage(locale: string | null | undefined): Language {
  return isLanguage(locale) ? locale : "vi";
}

type Parts = {
  subject: string;
  greeting: string;
  body: string;
  action: string;
  link: string;
  note?: string;
  unsubscribe?: string;
};

function parts(t: TFunction, email: EmailTemplate): Parts {
  const platform = t("platform");
  const greeting = email.params.name ? t("greeting", { name: email.params.name }) : t("greetingNoName");
  switch (email.template) {
    case "invite":
      return {
        subject: t("invite.subject", { platform }),
        greeting,
        body: t("invite.body", { platform, inviter: email.params.inviter, role: t(`role.${email.params.role}`) }),
        action: t("invite.action"),
        link: email.params.link,
        note: t("ignore"),
      };
    case "reset":
      return {
        subject: t("reset.subject", { platform }),
        greeting,
        body: t("reset.body", { email: email.params.email }),
        action: t("reset.action"),
        link: email.params.link,
        note: t("ignore"),
      };
    case "verify":
      return {
        subject: t("verify.subject", { platform }),
        greeting,
        body: t("verify.body", { email: email.params.email }),
        action: t("verify.action"),
        link: email.params.link,
        note: t("ignore"),
      };
    case "accountExists":
      return {
        subject: t("accountExists.subject", { platform }),
        greeting,
        body: t("accountExists.body", { platform, email: email.params.email }),
        action: t("accountExists.action"),
        link: email.params.link,
        note: t("accountExists.note", { resetLink: email.params.resetLink }),
      };
    case "personalInvite":
      return {
        subject: t("personalInvite.subject", { platform }),
        greeting,
        body: t("personalInvite.body", { platform, agency: email.params.agency, province: email.params.province }),
        action: t("personalInvite.action"),
        link: email.params.link,
        unsubscribe: email.params.unsubscribeLink,
      };
    case "reminder": {
      const { group, deadline, linked } = email.params;
      return {
        subject: t("reminder.subject"),
        greeting,
        body: t(linked ? "reminder.bodyLinked" : "reminder.bodyInvite", { platform, group, deadline }),
        action: t(linked ? "reminder.actionLinked" : "reminder.actionInvite"),
        link: email.params.link,
        unsubscribe: email.params.unsubscribeLink,
      };
    }
  }
}

/** Subject, plain text and HTML of one message in `locale`; `baseUrl` is the platform's address. */
export function renderEmail(email: EmailTemplate, locale: string, baseUrl: string): RenderedEmail {
  const t = i18n.getFixedT(emailLanguage(locale), "email");
  const p = parts(t, email);
  const platform = t("platform");
  const footer = t("footer", { platform, url: baseUrl });
  const text = [
    p.greeting,
    "",
    p.body,
    "",
    `${p.action}: ${p.link}`,
    ...(p.note ? ["", p.note] : []),
    "",
    "—",
    footer,
    ...(p.unsubscribe ? [t("unsubscribe", { url: p.unsubscribe })] : []),
    "",
  ].join("\n");
  const e = escapeHtml;
  const html = `<!doctype html>
<html lang="${emailLanguage(locale)}"><head><meta charset="utf-8"><title>${e(p.subject)}</title></head>
<body style="margin:0;padding:24px;background:#f5f5f4;font-family:Arial,Helvetica,sans-serif;color:#1c1917;line-height:1.5">
<div style="max-width:560px;margin:0 auto;background:#fff;border-radius:8px;padding:24px">
<p style="margin:0 0 4px;font-size:20px;font-weight:bold;color:#9f1239">${e(platform)}</p>
<p style="margin:0 0 20px;font-size:13px;color:#57534e">${e(t("tagline"))}</p>
<p>${e(p.greeting)}</p>
<p>${e(p.body)}</p>
<p style="margin:24px 0"><a href="${e(p.link)}" style="background:#9f1239;color:#fff;padding:12px 20px;border-radius:6px;text-decoration:none;font-weight:bold">${e(p.action)}</a></p>
<p style="font-size:13px;color:#57534e">${e(t("linkFallback"))}<br><a href="${e(p.link)}" style="color:#9f1239;word-break:break-all">${e(p.link)}</a></p>
${p.note ? `<p style="font-size:13px;color:#57534e">${e(p.note)}</p>` : ""}
<hr style="border:none;border-top:1px solid #e7e5e4;margin:24px 0">
<p style="font-size:12px;color:#78716c">${e(t("footer", { platform, url: "" }).replace(/:\s*$/, ""))}: <a href="${e(baseUrl)}" style="color:#78716c">${e(baseUrl)}</a></p>
${p.unsubscribe ? `<p style="font-size:12px"><a href="${e(p.unsubscribe)}" style="color:#78716c">${e(t("unsubscribeLabel"))}</a></p>` : ""}
</div></body></html>`;
  return { subject: p.subject, text, html };
}
