// What the server sends with the SPA (checked with plain HTTP requests, no browser).
import { test, expect } from "./fixtures";

test("index.html has the strict CSP and is revalidated on every load", async ({ request }) => {
  for (const path of ["/", "/users", "/sign-in"]) {
    const response = await request.get(path);
    expect(response.status(), path).toBe(200);
    expect(response.headers()["content-type"], path).toContain("text/html");
    const csp = response.headers()["content-security-policy"] ?? "";
    expect(csp, path).toContain("'wasm-unsafe-eval'");
    expect(csp, path).toContain("script-src 'self'");
    expect(csp, path).not.toContain("'unsafe-inline'");
    expect(response.headers()["cache-control"], path).toContain("no-cache");
    expect(response.headers()["x-request-id"], path).toBeTruthy();
    const body = await response.text();
    expect(body, path).toContain('<script type="module" src="/boot.js"></script>');
    expect(body, path).not.toMatch(/<script>|<script type="module">/);
  }
});

test("the wasm is served as application/wasm", async ({ request }) => {
  const response = await request.get("/pkg/app_bg.wasm");
  expect(response.status()).toBe(200);
  expect(response.headers()["content-type"]).toBe("application/wasm");
  expect(response.headers()["x-request-id"]).toBeTruthy();
});

test("API responses carry a request id, errors included", async ({ request }) => {
  const options = await request.get("/api/v1/auth/options");
  expect(options.status()).toBe(200);
  expect(options.headers()["x-request-id"]).toBeTruthy();
  const me = await request.get("/api/v1/me");
  expect(me.status()).toBe(401);
  expect(me.headers()["content-type"]).toContain("application/problem+json");
  expect(me.headers()["x-request-id"]).toBeTruthy();
  expect((await me.json()).code).toBe("unauthenticated");
});
