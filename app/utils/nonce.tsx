import { createContext, useContext } from "react";

// The Content-Security-Policy nonce of this response, from server.js through
// the load context and entry.server.tsx. Empty in the browser, which hides
// nonces from the page once it has read them.
const NonceContext = createContext("");

export const NonceProvider = NonceContext.Provider;

export const useNonce = () => useContext(NonceContext);
