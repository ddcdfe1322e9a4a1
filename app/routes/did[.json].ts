// did:web of a PUBLIC_URL with a path (https://example.vn/taphuan) is
// resolved at <PUBLIC_URL>/did.json rather than under /.well-known.
export { loader } from "./[.well-known].did[.json]";
