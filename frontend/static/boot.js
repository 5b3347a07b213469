// Starts the Casedesk app. A separate file, not an inline script, so the Content-Security-Policy
// can stay strict (script-src 'self' 'wasm-unsafe-eval'). The wasm's main() mounts the app.
import init from "/pkg/app.js";

init({ module_or_path: "/pkg/app_bg.wasm" }).catch((error) => {
  console.error("Casedesk could not start", error);
  const message = document.createElement("p");
  message.className = "govuk-body govuk-width-container";
  message.textContent = "Sorry, Casedesk could not start. Try reloading the page.";
  document.body.append(message);
});
