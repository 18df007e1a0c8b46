/* Gerai POS: a manager's approval dialog on a page away from the till (Tutup shift, the return
 * form, the savings counter's withdrawal).  The till has its own (till_extra.js).
 *
 * The asking form comes back as the dialog in #approval-dialog (its fields ride along hidden):
 * the user name gets the focus, Enter walks user name -> PIN -> reason, Esc or Batal closes it
 * and gives the focus back to where it was, and a wrong PIN empties the PIN field for another
 * try; a field left empty gets the focus.  When every field was filled and the action itself
 * is refused (another tab took the money first: 409/422), the dialog closes so the message
 * above the page shows.  The approved answer clears the dialog itself (an out-of-band swap). */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const dialog = () => $("#approval-dialog");
  const offTill = () => !$("#scan") && dialog();
  const open = () => !!(offTill() && dialog().children.length);
  let before = null;   // what had the focus when the dialog came

  function closeDialog() {
    dialog().replaceChildren();
    if (before && before.isConnected) before.focus();
    before = null;
  }

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-action='close-approval']");
    if (el && open()) closeDialog();
  });
  document.addEventListener("keydown", (e) => {
    if (!open()) return;
    if (e.key === "Escape") { e.preventDefault(); e.stopPropagation(); closeDialog(); return; }
    if (e.key !== "Enter") return;
    if (e.target.id === "approval-user") { e.preventDefault(); $("#approval-pin").focus(); }
    else if (e.target.id === "approval-pin" && !$("#approval-reason").value.trim()) {
      e.preventDefault(); $("#approval-reason").focus();
    }
  }, true);
  document.addEventListener("htmx:beforeSwap", (e) => {
    if (offTill() && e.detail.target === dialog() && !dialog().children.length) before = document.activeElement;
  });
  document.addEventListener("htmx:afterSettle", (e) => {
    if (!offTill() || e.target !== dialog() || !open()) return;
    const user = $("#approval-user");
    if (user) user.focus();
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!offTill() || !elt || elt.id !== "approval-form" || e.detail.successful) return;
    const status = e.detail.xhr ? e.detail.xhr.status : 0;
    const empty = ["#approval-user", "#approval-pin", "#approval-reason"].map((s) => $(s))
      .find((field) => field && !field.value.trim());
    if (status === 403 || status === 429 || status === 0) {   // the PIN, or the till throttled
      const pin = $("#approval-pin");
      if (pin) { pin.value = ""; pin.focus(); }
    } else if (empty) empty.focus();
    else closeDialog();
  });
})();
