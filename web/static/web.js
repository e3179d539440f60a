// Progressive enhancement only: every page works without this script.
(function () {
  "use strict";
  // A form sent once is not sent again by a second click (the server refuses a repeat too).
  document.addEventListener("submit", function (event) {
    var form = event.target;
    if (form.dataset.sent === "yes") { event.preventDefault(); return; }
    form.dataset.sent = "yes";
    var buttons = form.querySelectorAll("button[type=submit], button:not([type])");
    window.setTimeout(function () {
      buttons.forEach(function (b) { b.disabled = true; b.setAttribute("aria-busy", "true"); });
    }, 0);
  });
  // Filters apply only when their button is pressed: a list changed with the keyboard
  // (arrow keys step through its options) must not reload the page on the first step.
  // On a phone the filters fold away unless some are in use, so the tasks come first.
  if (window.matchMedia("(max-width: 640px)").matches) {
    document.querySelectorAll("details[data-fold-on-phone]").forEach(function (box) {
      if (!/\(đang lọc\)/.test(box.querySelector("summary").textContent)) { box.open = false; }
    });
  }
  // Printing needs the script, so its button shows only when the script runs.
  document.querySelectorAll("button[data-print]").forEach(function (button) {
    button.hidden = false;
    button.addEventListener("click", function () { window.print(); });
  });
  // After a refusal, bring the reader to the list of what to correct.
  var summary = document.querySelector(".error-summary");
  if (summary) { summary.focus(); }
}());
