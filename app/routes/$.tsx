// Any path no route matches is a real 404, rendered by the root error boundary.
import { notFound } from "~/utils/route.server";
export function loader() {
  throw notFound();
}

export default function NotFound() {
  return null;
}
