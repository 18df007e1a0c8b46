/* Gerai POS till: discounts, price overrides, a manager's approval, and parked sales (Tahan).
 *
 *   F5        discount on the highlighted line     Shift+F5  discount on the whole sale
 *   Shift+F3  new price for the highlighted line   F6        park the sale (Tahan)
 *   Shift+F6  parked sales: arrows choose, Enter resumes     Esc closes a form or the dialog
 *
 * The forms come from the server into #adjust-panel; a change beyond the cashier's right
 * comes back as the manager's dialog in #approval-dialog.  Keys are read in the capture
 * phase, before pos.js, so Shift+F3 is not F3 (quantity) and open forms keep their keys. */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const $$ = (sel, root) => Array.from((root || document).querySelectorAll(sel));
  const script = document.currentScript;
  const urls = script ? script.dataset : {};

  const panel = () => $("#adjust-panel");
  const dialog = () => $("#approval-dialog");
  const panelOpen = () => !!(panel() && panel().children.length);
  const dialogOpen = () => !!(dialog() && dialog().children.length);
  const payOpen = () => { const p = $("#pay-panel"); return !!(p && !p.hidden); };

  function say(text) {
    const box = $("#messages");
    if (!box) return;
    const div = document.createElement("div");
    div.className = "msg msg-error";
    div.setAttribute("role", "alert");
    div.textContent = text;
    box.replaceChildren(div);
  }
  function focusScan() { const scan = $("#scan"); if (scan) scan.focus(); }
  function closePanel() { if (panel()) panel().replaceChildren(); if (!dialogOpen()) focusScan(); }
  function closeDialog() { if (dialog()) dialog().replaceChildren(); focusScan(); }
  // The PIN checked and the buyer asked next (428, the buyer's dialog drawn): the approval
  // travels on in that dialog as a one-time pass, so the manager's or apoteker's dialog (rx.js)
  // and the PIN typed in it go now; left under the buyer's, its Setujui sent the PIN again
  // after an Esc there.
  function askedBuyer(e) {
    const xhr = e.detail.xhr;
    if (!xhr || xhr.getResponseHeader("HX-Retarget") !== "#buyer-dialog") return false;
    if (dialog()) dialog().replaceChildren();
    return true;
  }
  window.GeraiApproval = { askedBuyer };

  // The line F3/F4 act on in pos.js: the one whose box has the focus, else the highlighted one
  // (the one just scanned or changed, tapped, or walked to with the arrows), else the last.
  function currentLine() {
    const a = document.activeElement;
    const focused = a && a.closest && a.closest("#cart tr.line");
    if (focused) return focused;
    const cart = $("#cart");
    const hl = cart && cart.dataset.highlight ? $(`#line-${cart.dataset.highlight}`) : null;
    if (hl) return hl;
    const rows = $$("#cart tr.line");
    return rows.length ? rows[rows.length - 1] : null;
  }
  function cartEmpty() { const cart = $("#cart"); return !cart || cart.dataset.count === "0"; }
  function open(url) {
    htmx.ajax("GET", url, { target: "#adjust-panel", swap: "innerHTML" }).catch(() => {});
  }
  function openLine(what) {
    const line = currentLine();
    if (!line) { say("Keranjang masih kosong."); return; }
    open(`${urls.lineUrl}/${line.dataset.line}/${what}`);
  }
  function hold() {
    if (cartEmpty()) { say("Keranjang masih kosong; tidak ada yang ditahan."); return; }
    open(urls.holdUrl);
  }

  function walkHolds(e) {
    const picks = $$("#adjust-panel .hold-pick");
    if (!picks.length) return;
    e.preventDefault();
    const at = picks.indexOf(document.activeElement);
    const next = e.key === "ArrowDown" ? Math.min(at + 1, picks.length - 1) : Math.max(at - 1, 0);
    picks[next].focus();
  }

  // In the dialog, Enter walks user name -> PIN -> reason before it sends.
  function dialogEnter(e) {
    const t = e.target;
    if (t.id === "approval-user") { e.preventDefault(); $("#approval-pin").focus(); }
    else if (t.id === "approval-pin" && !$("#approval-reason").value.trim()) {
      e.preventDefault(); $("#approval-reason").focus();
    }
  }

  function onKey(e) {
    if (!$("#scan")) return;
    // An open form or dialog has every key to itself: no till key (nor the pay panel's,
    // underneath) acts, typing stays in its fields; an F key does nothing at all.
    const fkey = /^F[0-9]{1,2}$/.test(e.key);
    if (dialogOpen() || panelOpen()) {
      e.stopPropagation();
      if (fkey) e.preventDefault();
      if (e.key === "Escape") { e.preventDefault(); if (dialogOpen()) closeDialog(); else closePanel(); }
      else if (e.key === "Enter" && dialogOpen()) dialogEnter(e);
      else if ((e.key === "ArrowDown" || e.key === "ArrowUp") && !dialogOpen()) walkHolds(e);
      return;
    }
    if (payOpen() || $("#weigh-form")) return;
    let act = null;
    if (e.key === "F5") act = e.shiftKey ? () => open(urls.saleDiscountUrl) : () => openLine("diskon");
    else if (e.key === "F3" && e.shiftKey) act = () => openLine("harga");
    else if (e.key === "F6") act = e.shiftKey ? () => open(urls.holdsUrl) : hold;
    if (!act) return;
    e.preventDefault();
    e.stopPropagation();   // pos.js never sees it (Shift+F3 is not the quantity key)
    act();
  }
  document.addEventListener("keydown", onKey, true);

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-action]");
    if (!el) return;
    const action = el.dataset.action;
    if (action === "hold") hold();
    else if (action === "holds") open(urls.holdsUrl);
    else if (action === "line-discount") openLine("diskon");
    else if (action === "sale-discount") open(urls.saleDiscountUrl);
    else if (action === "price") openLine("harga");
    else if (action === "close-adjust") closePanel();
    else if (action === "close-approval") closeDialog();
  });

  document.addEventListener("htmx:afterSettle", (e) => {
    const t = e.target;
    if (t === dialog() && dialogOpen()) {
      if (panel()) panel().replaceChildren();   // the dialog carries the form's fields
      const user = $("#approval-user");
      if (user) user.focus();
    } else if (t === panel() && panelOpen()) {
      const first = $("#adjust-panel input:not([type=hidden]):not([type=checkbox]), #adjust-panel .hold-pick");
      if (first) first.focus();
    }
  });
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    // A parked sale another till resumed first (410, gone, its reason said): it leaves the
    // list, which keeps the focus for the next pick, or says none is left.  Any other refusal
    // (this till's own cart not empty, 422; a cart another cashier left here, 409) leaves the
    // list as it is: the parked sale is still there.
    if (elt && elt.classList && elt.classList.contains("hold-pick") && e.detail.xhr
        && e.detail.xhr.status === 410) {
      const item = elt.closest("li"), list = item && item.parentElement;
      if (item) item.remove();
      const next = $("#adjust-panel .hold-pick");
      if (next) next.focus();
      else if (list) {
        const none = document.createElement("p");
        none.id = "holds-empty"; none.textContent = "Tidak ada transaksi yang ditahan.";
        list.replaceWith(none);
        const close = $("#adjust-panel [data-action=close-adjust]");
        if (close) close.focus();
      }
      return;
    }
    // A discount or price refused for what is missing ("Tulis alasan diskon."): the field left
    // empty is next (the reason typed went on into the amount, "3%pelanggan tetap").
    if (elt && elt.id === "adjust-form" && !e.detail.successful) {
      const empty = Array.from(elt.querySelectorAll("input:not([type=hidden]):not([type=checkbox])"))
        .find((field) => !field.value.trim());
      if (empty) empty.focus();
      return;
    }
    if (!elt || elt.id !== "approval-form") return;
    if (askedBuyer(e)) return;
    if (!e.detail.successful) {               // a wrong PIN: type it again
      const pin = $("#approval-pin");
      if (pin) { pin.value = ""; pin.focus(); }
      return;
    }
    const xhr = e.detail.xhr;
    if (!xhr || xhr.getResponseHeader("HX-Retarget") !== "#approval-dialog") closeDialog();
  });
})();
