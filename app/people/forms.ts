import { z } from "zod";
import { ROLES, USER_STATUSES, parseScopeFilter, type ScopeRequest } from "./rules";

// The people forms and the list's query string, one schema each, shared by the
// routes. Messages are keys in the people namespace.

const unit = z.string().trim().max(100).default("");

// Scope as the forms send it: a province select and an agency select, each
// with an empty "none" choice. Neither: national.
const scopeFields = { province: unit, agency: unit };

function oneUnit(value: { province: string; agency: string }) {
  return !(value.province && value.agency);
}
const ONE_UNIT = { path: ["agency"], message: "people:validation.oneUnit" };

export const RoleSchema = z.enum(ROLES, { message: "people:validation.role" });

export const InviteFormSchema = z
  .object({
    email: z.string().trim().toLowerCase().max(254, "people:validation.email").pipe(z.email("people:validation.email")),
    name: z.string().trim().min(2, "people:validation.name").max(120, "people:validation.name"),
    role: RoleSchema,
    locale: z.enum(["vi", "en"], { message: "people:validation.locale" }).default("vi"),
    ...scopeFields,
  })
  .refine(oneUnit, ONE_UNIT);

export const RoleFormSchema = z.object({ role: RoleSchema, ...scopeFields }).refine(oneUnit, ONE_UNIT);

export const OwnerFormSchema = z.object({
  course: z.string().trim().min(1, "people:validation.course").max(200),
  ownerRole: z.enum(["OWNER", "CO_OWNER"], { message: "people:validation.ownerRole" }),
});

export function scopeRequest(value: { province: string; agency: string }): ScopeRequest {
  if (value.province) return { kind: "province", province: value.province };
  if (value.agency) return { kind: "agency", agency: value.agency };
  return { kind: "national" };
}

/** The list's query string; a value that does not parse is dropped, so the page still answers. */
export const UserListQuerySchema = z.object({
  q: z.string().trim().max(100).optional().catch(undefined),
  role: RoleSchema.optional().catch(undefined),
  scope: z
    .string()
    .optional()
    .transform((value) => parseScopeFilter(value))
    .catch(null),
  status: z.enum(USER_STATUSES).optional().catch(undefined),
  page: z.coerce.number().int().min(1).max(100_000).default(1).catch(1),
});

export function parseUserListQuery(url: URL) {
  const raw = Object.fromEntries([...url.searchParams].filter(([, v]) => v !== ""));
  return UserListQuerySchema.parse(raw);
}
