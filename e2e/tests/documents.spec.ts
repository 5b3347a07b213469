// Documents on a query: two files attached at once and listed with their virus check, the PDF
// previewed in the page and downloaded byte for byte, the EICAR test file refused with a clear
// message, and no axe violations along the way.
import { readFileSync } from "node:fs";
import type { Page } from "@playwright/test";
import { test, expect, expectNoViolations, signIn } from "./fixtures";

const CSRF = { "X-Casedesk-CSRF": "1" };

/** A one-page PDF saying `phrase`. */
function pdf(phrase: string): Buffer {
  const stream = `BT /F1 18 Tf 72 720 Td (${phrase}) Tj ET`;
  const objects = [
    "<< /Type /Catalog /Pages 2 0 R >>",
    "<< /Type /Pages /Kids [3 0 R] /Count 1 >>",
    "<< /Type /Page /Parent 2 0 R /MediaBox [0 0 612 792] /Contents 4 0 R /Resources << /Font << /F1 5 0 R >> >> >>",
    `<< /Length ${stream.length} >>\nstream\n${stream}\nendstream`,
    "<< /Type /Font /Subtype /Type1 /BaseFont /Helvetica >>",
  ];
  let out = "%PDF-1.4\n";
  const offsets: number[] = [];
  objects.forEach((object, i) => {
    offsets.push(out.length);
    out += `${i + 1} 0 obj\n${object}\nendobj\n`;
  });
  const xref = out.length;
  out += `xref\n0 ${objects.length + 1}\n0000000000 65535 f \n`;
  for (const offset of offsets) {
    out += `${String(offset).padStart(10, "0")} 00000 n \n`;
  }
  out += `trailer\n<< /Size ${objects.length + 1} /Root 1 0 R >>\nstartxref\n${xref}\n%%EOF\n`;
  return Buffer.from(out, "latin1");
}

/** The EICAR test string, put together here so no file in the repository is a test virus. */
function eicar(): Buffer {
  return Buffer.from("X5O!P%@AP[4\\PZX54(P^)7CC)7}$" + "EICAR-STANDARD-ANTIVIRUS-TEST-FILE!$H+H*", "latin1");
}

async function newQuery(page: Page): Promise<string> {
  const response = await page.request.post("/api/v1/queries", {
    data: { subject: `Letter about the bins ${Date.now()}`, channel: "post" },
    headers: CSRF,
  });
  expect(response.status()).toBe(201);
  return (await response.json()).id;
}

test("attaching two files, previewing and downloading the PDF, and a virus refused", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const id = await newQuery(page);
  await page.goto(`/queries/${id}`);
  const panel = page.locator("#documents");
  await expect(panel.getByRole("heading", { name: "Documents" })).toBeVisible();
  await expect(panel.locator("#documents-none")).toHaveText("No documents attached");

  const letter = pdf("Please collect the green bin on Fridays");
  const notes = Buffer.from("Rang the customer back on Tuesday.\n");
  await page.getByLabel("Attach files").setInputFiles([
    { name: "letter.pdf", mimeType: "application/pdf", buffer: letter },
    { name: "call notes.txt", mimeType: "text/plain", buffer: notes },
  ]);
  const uploads = page.locator("#documents-uploads");
  await expect(uploads.locator("li").filter({ hasText: "letter.pdf" })).toContainText("Attached");
  await expect(uploads.locator("li").filter({ hasText: "call notes.txt" })).toContainText("Attached");
  const list = page.locator("#documents-list");
  await expect(list.locator("li.app-document")).toHaveCount(2);
  const pdfItem = list.locator("li.app-document").filter({ hasText: "letter.pdf" });
  await expect(pdfItem).toContainText("PDF");
  await expect(pdfItem).toContainText("Virus checked");
  await expect(list.locator("li.app-document").filter({ hasText: "call notes.txt" })).toContainText("Text");
  // On the query's timeline as they are attached.
  await expect(page.locator("#query-timeline")).toContainText("letter.pdf was attached.");
  await expectNoViolations(page, "a query with two documents");

  // The PDF is shown in the page, from the server's inline answer.
  await pdfItem.getByRole("button", { name: "Preview letter.pdf" }).click();
  const preview = pdfItem.locator("iframe[title='Preview of letter.pdf']");
  await expect(preview).toBeVisible();
  const source = await preview.getAttribute("src");
  expect(source).toMatch(/\/api\/v1\/documents\/[0-9a-f-]{36}\/content\?disposition=inline$/);
  const shown = await page.request.get(source!);
  expect(shown.status()).toBe(200);
  expect(shown.headers()["content-type"]).toBe("application/pdf");
  expect(shown.headers()["content-disposition"]).toMatch(/^inline;/);
  expect(shown.headers()["x-frame-options"]).toBe("SAMEORIGIN");
  await expectNoViolations(page, "a PDF previewed");

  // Downloaded byte for byte.
  const [download] = await Promise.all([
    page.waitForEvent("download"),
    pdfItem.getByRole("link", { name: "letter.pdf (download)" }).click(),
  ]);
  expect(download.suggestedFilename()).toBe("letter.pdf");
  const saved = await download.path();
  expect(readFileSync(saved).equals(letter)).toBe(true);

  // The EICAR test file is refused, saying why, and nothing is added.
  await page.getByLabel("Attach files").setInputFiles([{ name: "eicar.txt", mimeType: "text/plain", buffer: eicar() }]);
  const refused = uploads.locator("li").filter({ hasText: "eicar.txt" });
  await expect(refused.locator(".govuk-error-message")).toContainText("A virus was found in the file");
  await expect(refused).toContainText("Eicar-Test-Signature");
  await expect(list.locator("li.app-document")).toHaveCount(2);
  await expectNoViolations(page, "a virus refused");
});

test("a letter is found from the header search by words in it", async ({ page }) => {
  test.setTimeout(60_000);
  await signIn(page);
  const id = await newQuery(page);
  const word = `zephyr${Date.now().toString(36)}`;
  const letter = pdf(`Overflowing bins outside ${word} Court`);
  const upload = await page.request.post(`/api/v1/queries/${id}/documents`, {
    multipart: { files: { name: "scan.pdf", mimeType: "application/pdf", buffer: letter } },
    headers: CSRF,
  });
  expect(upload.status()).toBe(201);

  await page.goto("/");
  await page.keyboard.press("/");
  const search = page.getByRole("searchbox", { name: "Search queries, customers and documents" });
  await search.fill(`bins ${word.toUpperCase()}`);
  await search.press("Enter");
  await expect(page.getByRole("heading", { name: "In documents" })).toBeVisible();
  // The letter's text is read in the background just after it is attached.
  const found = page.locator("#document-results");
  await expect(async () => {
    await page.reload();
    await expect(found).toContainText("scan.pdf", { timeout: 2_000 });
  }).toPass({ timeout: 30_000 });
  await expect(found).toContainText("Letter about the bins");
  await expectNoViolations(page, "a letter found by words in it");
  await found.getByRole("link", { name: "scan.pdf" }).click();
  await expect(page).toHaveURL(new RegExp(`/queries/${id}$`));
});
