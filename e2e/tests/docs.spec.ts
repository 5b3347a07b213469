// The interactive API documentation works with no network beyond the server itself.
import { test, expect } from "./fixtures";

test("/docs/ renders Swagger UI offline", async ({ page, guard }) => {
  await page.goto("/docs/");
  await expect(page.locator(".swagger-ui").first()).toBeVisible();
  await expect(page.locator(".swagger-ui .opblock").first()).toBeVisible();
  await expect(page.locator(".swagger-ui .opblock-summary-path").first()).toContainText("/api/v1/");
  // The fixture fails the test on any off-host request; say so here too, for the reader.
  expect(guard.offHostRequests).toEqual([]);
});
