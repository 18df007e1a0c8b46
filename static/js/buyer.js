/* Gerai POS till: the buyer of regulated goods (templates/sales/_buyer_dialog.html).
 *
 *   Alt+B   set or change the buyer (NIK / Nomor anggota, LPG category)
 *   1-4     pick the LPG category (in the category box, or once the whole NIK is typed)
 *   Enter   save (from the NIK field, first to the category when one is needed)
 *   Esc     cancel
 *
 * A scan that needs a buyer comes back as the dialog in #buyer-dialog, carrying the request;
 * once the buyer is saved the server answers with the cart and a "buyer-set" event, and the
 * request is sent again (a scan through pos.js's queue, so scans keep their order).  While
 * the dialog is open it has every key: a KTP scanner typing the NIK and Enter lands in the
 * NIK field, never in the scan queue (keys are read on window, before pos.js). */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);
  const script = document.currentScript;
  const dialogUrl = script ? script.dataset.dialogUrl : "";

  const box = () => $("#buyer-dialog");
  const isOpen = () => !!(box() && box().children.length);
  const payOpen = () => { const p = $("#pay-panel"); return !!(p && !p.hidden); };
  function focusScan() { const scan = $("#scan"); if (scan) scan.focus(); }
  function close() { if (box()) box().replaceChildren(); focusScan(); }
  function open() {
    if (!dialogUrl || !box()) return;
    htmx.ajax("GET", dialogUrl, { source: document.body, target: "#buyer-dialog", swap: "innerHTML" })
      .catch(() => {});
  }
  function pick(n) {
    const select = $("#buyer-category");
    if (!select || n >= select.options.length) return false;
    select.selectedIndex = n;
    select.focus();
    return true;
  }
  function submit() {
    const form = $("#buyer-form");
    if (form) htmx.trigger(form, "submit");
  }

  function onKey(e) {
    if (!$("#scan")) return;
    if (!isOpen()) {
      if (e.altKey && !e.ctrlKey && (e.code === "KeyB" || e.key === "b" || e.key === "B") && !payOpen()) {
        e.preventDefault();
        e.stopPropagation();
        if (!e.shiftKey) open();
        else if ($("#buyer-clear")) $("#buyer-clear").click();   // Shift+Alt+B: Hapus, as Shift+F7 lepas
      }
      return;
    }
    e.stopPropagation();   // pos.js, till_extra.js and the scan queue never see it
    const t = e.target;
    if (/^F[0-9]{1,2}$/.test(e.key)) { e.preventDefault(); return; }
    if (e.key === "Escape") { e.preventDefault(); close(); return; }
    const inText = t && t.tagName === "INPUT" && t.type !== "hidden";
    const category = $("#buyer-category");
    // In the NIK field a digit picks the category only after a whole NIK, typed to its end (a
    // refused NIK comes back selected: typing replaces it), while none is chosen (a NIK has no
    // 17th digit: Alt+B before LPG is scanned takes the category keys too).
    const nikDone = t && t.id === "buyer-input" && category && !category.value
      && t.value.replace(/\D/g, "").length >= 16
      && t.selectionStart === t.value.length && t.selectionEnd === t.value.length;
    if (/^[1-4]$/.test(e.key) && !e.altKey && !e.ctrlKey && category
        && (t === category || !inText || nikDone)) {
      if (pick(Number(e.key))) e.preventDefault();
      return;
    }
    if (e.key !== "Enter") return;
    if (t && t.id === "buyer-input" && category && category.required && !category.value) {
      e.preventDefault();
      category.focus();
    } else if (t === category) {
      e.preventDefault();
      submit();
    }
  }
  window.addEventListener("keydown", onKey, true);

  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-action=close-buyer]");
    if (el) close();
  });
  document.addEventListener("htmx:afterSettle", (e) => {
    if (e.target === box() && isOpen()) {
      const input = $("#buyer-input");
      if (input) { input.focus(); input.select(); }
    }
  });

  // Saved: close the dialog and send the request that asked for the buyer again.
  document.addEventListener("buyer-set", (e) => {
    const retry = e.detail && e.detail.retry;
    setTimeout(() => replay(retry), 0);   // after htmx has swapped the cart in
  });
  function replay(retry) {
    if (box()) box().replaceChildren();
    if (!retry || !retry.url) { focusScan(); return; }
    const values = retry.values || {};
    const scanForm = $("#scan-form");
    if (scanForm && scanForm.getAttribute("hx-post") === retry.url && values.code
        && window.GeraiPOS) {
      // in the scan queue, in order; a buyer checked for it on an empty cart goes along (pembeli)
      window.GeraiPOS.enqueueScan(scanForm, values.code, null,
                                  values.pembeli ? { pembeli: values.pembeli } : null);
    } else {
      const target = "#" + (retry.target || "cart");
      htmx.ajax("POST", retry.url, {
        source: document.body, values: values, target: target,
        swap: target === "#cart" ? "outerHTML" : "innerHTML",
      }).catch(() => {});
    }
    focusScan();
  }
})();
