/* Pengaturan screen: Enter in the QRIS field saves it (a payload is one line, so a newline
 * is never wanted; a phone's copy may end with one, which the server trims).  The field
 * gets the focus when the page opens, unless the page asks for another (the PKP
 * confirmation's button has autofocus).  No inline script or handler (CSP). */
(function () {
  "use strict";
  document.addEventListener("keydown", function (e) {
    const field = e.target.closest && e.target.closest("textarea[data-submit-on-enter]");
    if (!field || e.key !== "Enter" || e.shiftKey || e.isComposing) return;
    e.preventDefault();
    field.form.requestSubmit();
  });
  document.addEventListener("DOMContentLoaded", function () {
    const field = document.querySelector("textarea[data-submit-on-enter]");
    if (!field || document.querySelector("[autofocus]")) return;
    if (!document.activeElement.closest("form")) field.focus();
  });
})();
