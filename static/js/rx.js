/* Gerai POS till: the prescription dialog of an obat keras (sales/_rx_dialog.html).
 *
 * It arrives in #approval-dialog (till_extra.js closes it with Esc or Batal and keeps the till
 * keys away while it is open).  Here: the first empty field gets the focus; Enter in a field
 * goes on to the next empty one, and sends the form when none is left or when pressed in the
 * empty one (the answer names what is missing).  Any refusal empties the apoteker's PIN: it
 * approves exactly what is sent with it, so a prescription put right after a refusal is sent
 * only with the PIN typed again for it (kept, the cashier's next Enter sent a date the apoteker
 * never saw).  The field the server names (``X-Pos-Field``) gets the focus, its text selected
 * and marked aria-invalid until typed in; a refused PIN puts the focus in the empty PIN; once
 * approved, the scan field is next.
 * A refusal goes once a field is typed in: it spoke of what the form held then (a date since
 * put right stayed "sudah lebih dari 30 hari" while the doctor's name was now what was missing).
 * Enter in a date field that holds no date stays there and says why. */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const fields = () => Array.from(document.querySelectorAll("#rx-form input:not([type=hidden])"));
  const firstEmpty = () => fields().find((el) => !el.value.trim());

  document.addEventListener("htmx:afterSettle", (e) => {
    if (!e.target || e.target.id !== "approval-dialog" || !$("#rx-form")) return;
    const next = firstEmpty() || fields()[0];
    if (next) next.focus();
  });
  document.addEventListener("keydown", (e) => {
    if (e.key !== "Enter" || !e.target.closest || !e.target.closest("#rx-form")) return;
    if (e.target.tagName === "BUTTON") return;
    if (badDate(e.target)) { e.preventDefault(); return; }
    const next = firstEmpty();
    // Enter on the empty field itself sends the form: the answer says what is missing, and
    // replaces a refusal still shown for a field since put right (it did nothing, said nothing)
    if (next && next !== e.target) { e.preventDefault(); next.focus(); }
  }, true);   // capture: till_extra.js stops the key from going further while a dialog is open
  // A prescription date that is no date ("5122026", "31-02-2026") stops Enter in its field and
  // says why beside it (dates.js), before the apoteker is asked for a PIN it would be wasted on.
  function badDate(input) {
    if (!input.matches("[data-date]") || !window.GeraiDates || !input.value.trim()) return false;
    const found = window.GeraiDates.parse(input.value);
    if (!found || !(found.error || found.incomplete)) return false;
    window.GeraiDates.show(input, true);
    return true;
  }
  // the field the server refused, marked until typed in (dates.js marks a date no date itself)
  const unmark = (el) => { el.removeAttribute("data-refused"); el.removeAttribute("aria-invalid"); };
  let refused = false;
  document.addEventListener("input", (e) => {
    if (!e.target.closest || !e.target.closest("#rx-form")) return;
    if (e.target.hasAttribute("data-refused")) unmark(e.target);
    if (!refused) return;
    refused = false;
    if (window.GeraiPOS) window.GeraiPOS.clearMessages();
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!elt || elt.id !== "rx-form") return;
    if (window.GeraiApproval && window.GeraiApproval.askedBuyer(e)) return;   // till_extra.js
    refused = !e.detail.successful;
    if (!e.detail.successful) {
      const pin = $("#rx-pin");
      if (pin) pin.value = "";
      const xhr = e.detail.xhr;
      const name = xhr && xhr.getResponseHeader ? xhr.getResponseHeader("X-Pos-Field") : null;
      const named = name ? fields().find((el) => el.name === name) : null;
      fields().filter((el) => el.hasAttribute("data-refused")).forEach(unmark);
      const next = named || firstEmpty();
      if (!next) return;
      if (named) { named.setAttribute("data-refused", ""); named.setAttribute("aria-invalid", "true"); }
      next.focus();
      if (named && next.select) next.select();
      return;
    }
    const scan = $("#scan");
    if (scan && !$("#rx-form")) scan.focus();
  });
})();
