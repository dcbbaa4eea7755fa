// How users reach support: the web app's VITE_SUPPORT_EMAIL, with the notification service's
// `support_contact` default, so the console tells operators what frozen users are told.
export const SUPPORT_EMAIL: string = (import.meta.env.VITE_SUPPORT_EMAIL as string | undefined) || "support@instapay.local";
