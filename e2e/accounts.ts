// The administrator the server creates on its first start (see playwright.config.ts webServer.env).
export const ADMIN_EMAIL = "admin@example.org";
export const ADMIN_PASSWORD = "correct-horse-battery-staple";
