import { z } from "zod";
import { isCommonPassword } from "./password-policy";

export const EmailSchema = z
  .string({ message: "validation.required" })
  .trim()
  .min(1, "validation.required")
  .max(254, "validation.email")
  .pipe(z.email("validation.email"));

export const PasswordSchema = z
  .string({ message: "validation.required" })
  .min(10, "validation.passwordLength")
  .max(200, "validation.passwordLength")
  .refine((password) => !isCommonPassword(password), "validation.passwordCommon");

export const LoginFormSchema = z.object({
  email: EmailSchema,
  password: z.string({ message: "validation.required" }).min(1, "validation.required").max(200, "validation.invalid"),
  redirectTo: z.string().optional(),
});

export const SignupFormSchema = z
  .object({
    name: z
      .string({ message: "validation.required" })
      .trim()
      .min(2, "validation.nameLength")
      .max(120, "validation.nameLength"),
    email: EmailSchema,
    password: PasswordSchema,
    confirmPassword: z.string({ message: "validation.required" }),
    redirectTo: z.string().optional(),
  })
  .refine((form) => form.password === form.confirmPassword, {
    path: ["confirmPassword"],
    message: "validation.passwordsDiffer",
  });

export const ChangePasswordFormSchema = z
  .object({
    currentPassword: z
      .string({ message: "validation.required" })
      .min(1, "validation.required")
      .max(200, "validation.invalid"),
    newPassword: PasswordSchema,
    confirmPassword: z.string({ message: "validation.required" }),
  })
  .refine((form) => form.newPassword === form.confirmPassword, {
    path: ["confirmPassword"],
    message: "validation.passwordsDiffer",
  });

export const ForgotPasswordFormSchema = z.object({ email: EmailSchema });

/** The form behind a reset or invitation link: the new password, twice. */
export const NewPasswordFormSchema = z
  .object({
    password: PasswordSchema,
    confirmPassword: z.string({ message: "validation.required" }),
  })
  .refine((form) => form.password === form.confirmPassword, {
    path: ["confirmPassword"],
    message: "validation.passwordsDiffer",
  });
