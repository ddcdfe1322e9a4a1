import { encodeBase32UpperCaseNoPadding } from "@oslojs/encoding";

/** A short, unguessable code printed on the certificate and used to verify it. */
export function generateCertificateCode(): string {
  const bytes = new Uint8Array(10);
  crypto.getRandomValues(bytes);
  const code = encodeBase32UpperCaseNoPadding(bytes); // 16 characters
  return `${code.slice(0, 4)}-${code.slice(4, 8)}-${code.slice(8, 12)}-${code.slice(12, 16)}`;
}
