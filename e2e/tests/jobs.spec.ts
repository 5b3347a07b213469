// Scheduled jobs (issue 15, item 9): an administrator sees a job that ran out of attempts, with
// its last error, and retries it by keyboard alone.
import { execFileSync } from "node:child_process";
import path from "node:path";
import { test, expect, expectNoViolations, signIn, tabTo } from "./fixtures";

// No operation makes a job fail on purpose, so the test writes one into the server's SQLite
// database the way the scheduler would leave it: out of attempts, with the error it last saw.
// The database is encrypted (SQLCipher), so it is opened under the server's key.
const ADD_FAILED_JOB = `
import base64, sqlcipher3, sys, time, uuid
db = sqlcipher3.connect(sys.argv[1], timeout=10)
key = base64.b64decode(open(sys.argv[2]).read().strip()).hex()
db.execute(f"PRAGMA key = \\"x'{key}'\\"")
now = int(time.time() * 1_000_000)
tenant = db.execute("SELECT id FROM tenants LIMIT 1").fetchone()[0]
db.execute(
    "INSERT INTO jobs (id, tenant_id, kind, key, payload, state, run_at, attempts, max_attempts,"
    " lease_owner, lease_until, last_error, created_at, updated_at)"
    " VALUES (?, ?, 'test.mail', ?, 'null', 'failed', ?, 5, 5, NULL, NULL,"
    " 'the mail server refused the connection', ?, ?)",
    (uuid.uuid4().bytes, tenant, str(uuid.uuid4()), now, now, now),
)
db.commit()
`;

test("an administrator retries a failed job by keyboard", async ({ page }) => {
  await signIn(page);
  const data = process.env.CASEDESK_E2E_DATA_DIR as string;
  // Python with SQLCipher: `ensure_python_sqlcipher` in scripts/lib.sh.
  const python = process.env.CASEDESK_E2E_PYTHON ?? "python3";
  execFileSync(python, ["-c", ADD_FAILED_JOB, path.join(data, "casedesk.db"), path.join(data, "database.key")]);
  await page.getByRole("navigation", { name: "Menu" }).getByRole("link", { name: "Administration" }).click();
  await page.getByRole("navigation", { name: "Administration" }).getByRole("link", { name: "Scheduled jobs" }).click();
  await expect(page.getByRole("heading", { level: 1, name: "Scheduled jobs" })).toBeVisible();
  const row = page.locator("#jobs").getByRole("row", { name: /^test\.mail/ });
  await expect(row).toContainText("Failed");
  await expect(row).toContainText("5 of 5");
  await expect(row).toContainText("the mail server refused the connection");
  await expectNoViolations(page, "scheduled jobs");

  // Only the failed ones, chosen by keyboard.
  await tabTo(page, page.getByLabel("Show"));
  await page.keyboard.press("ArrowDown");
  await expect(page.getByLabel("Show")).toHaveValue("failed");
  await tabTo(page, page.getByRole("button", { name: "Show jobs" }));
  await page.keyboard.press("Enter");
  await expect(page.locator("#jobs").getByRole("row")).toHaveCount(2);

  await tabTo(page, page.getByRole("button", { name: "Retry the test.mail job" }));
  await page.keyboard.press("Enter");
  await expect(page.getByRole("alert")).toContainText("The test.mail job will run again shortly");
  // Still showing failed jobs: it has left the list.
  await expect(page.locator("#no-jobs")).toHaveText("There are no jobs to show.");
  await expectNoViolations(page, "scheduled jobs (retried)");
});
