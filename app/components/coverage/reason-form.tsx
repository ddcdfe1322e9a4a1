import { Form } from "@remix-run/react";

/** A form for an action that must say why (unlink an account, void a record): the reason is required, 3 to 500 characters. */
export function ReasonForm(props: {
  fields: Record<string, string>;
  lead: string;
  label: string;
  error: string | null;
  submit: string;
  className?: string;
}) {
  return (
    <Form method="post" className={`stack ${props.className ?? ""}`.trim()}>
      {Object.entries(props.fields).map(([name, value]) => (
        <input key={name} type="hidden" name={name} value={value} />
      ))}
      <p>{props.lead}</p>
      <label>
        {props.label}
        <textarea
          name="reason"
          rows={2}
          minLength={3}
          maxLength={500}
          required
          aria-invalid={props.error ? true : undefined}
        />
      </label>
      {props.error ? (
        <p className="form-error" role="alert">
          {props.error}
        </p>
      ) : null}
      <div>
        <button type="submit" className="button secondary small">
          {props.submit}
        </button>
      </div>
    </Form>
  );
}
