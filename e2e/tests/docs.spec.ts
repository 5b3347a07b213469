// The API documentation works with no network beyond the server itself: the reference page
// (server-rendered, accessible) and the interactive console (Swagger UI).
import { test, expect, expectNoViolations } from "./fixtures";

test("/docs/ shows the API reference with every operation, accessibly", async ({ page, guard }) => {
  // axe reads the whole reference, which grows with every operation: ~30 s here now.
  test.setTimeout(90_000);
  await page.goto("/docs/");
  await expect(page.getByRole("heading", { level: 1, name: "Casedesk API reference" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "POST /api/v1/users" })).toBeVisible();
  await expect(page.getByRole("heading", { level: 3, name: "GET /api/v1/me", exact: true })).toBeVisible();
  await expectNoViolations(page, "API reference");
  expect(guard.offHostRequests).toEqual([]);
});

test("/docs/swagger/ renders Swagger UI offline", async ({ page, guard }) => {
  await page.goto("/docs/");
  await page.getByRole("link", { name: "the interactive console (Swagger UI)" }).click();
  await expect(page).toHaveURL(/\/docs\/swagger\/$/);
  await expect(page.locator(".swagger-ui").first()).toBeVisible();
  await expect(page.locator(".swagger-ui .opblock").first()).toBeVisible();
  await expect(page.locator(".swagger-ui .opblock-summary-path").first()).toContainText("/api/v1/");
  // The fixture fails the test on any off-host request; say so here too, for the reader.
  expect(guard.offHostRequests).toEqual([]);
});
