// How a person reaches support (shown where the app cannot help: a frozen wallet). Set per
// deployment at build time with VITE_SUPPORT_EMAIL; the default is the local stack's address.
export const SUPPORT_EMAIL: string = (import.meta.env.VITE_SUPPORT_EMAIL as string | undefined) || "support@instapay.local";
