/* Gerai POS return form (/retur/struk/<id>): the manager's approval dialog on this page.
 *
 * A cashier's return comes back as the dialog in #approval-dialog (the form's fields ride along
 * hidden): the user name gets the focus, Enter walks user name -> PIN -> reason, Esc or Batal
 * closes it, and a wrong PIN empties the PIN field for another try.  The first quantity field
 * has the focus when the page opens. */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const dialog = () => $("#approval-dialog");
  const dialogOpen = () => !!(dialog() && dialog().children.length);

  function closeDialog() {
    if (dialog()) dialog().replaceChildren();
    const first = $(".return-qty");
    if (first) first.focus();
  }

  document.addEventListener("DOMContentLoaded", () => {
    const first = $(".return-qty");
    const a = document.activeElement;   // not when the user is already typing somewhere
    if (first && (!a || a === document.body)) first.focus();
  });

  document.addEventListener("keydown", (e) => {
    if (!dialogOpen()) return;
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); closeDialog(); return; }
    if (e.key !== "Enter") return;
    const t = e.target;
    if (t.id === "approval-user") { e.preventDefault(); $("#approval-pin").focus(); }
    else if (t.id === "approval-pin" && !$("#approval-reason").value.trim()) {
      e.preventDefault(); $("#approval-reason").focus();
    }
  }, true);

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-action='close-approval']");
    if (el) closeDialog();
  });

  document.addEventListener("htmx:afterSettle", (e) => {
    if (e.target === dialog() && dialogOpen()) {
      const user = $("#approval-user");
      if (user) user.focus();
    }
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!elt || elt.id !== "approval-form" || e.detail.successful) return;
    const pin = $("#approval-pin");
    if (pin) { pin.value = ""; pin.focus(); }
  });
})();
