import { useId } from "react";
import { describedBy, FieldShell } from "./fields";

type Props = {
  name: string;
  label: string;
  error?: string;
  hint?: string;
} & Omit<React.InputHTMLAttributes<HTMLInputElement>, "name" | "id">;

/** A labelled input whose error is announced and tied to it with aria-describedby. */
export function TextField({ name, label, error, hint, ...input }: Props) {
  const id = useId();
  return (
    <FieldShell id={id} label={label} hint={hint} error={error}>
      <input
        id={id}
        name={name}
        aria-invalid={error ? true : undefined}
        aria-describedby={describedBy(id, hint, error)}
        {...input}
      />
    </FieldShell>
  );
}
