/* Stock count and adjustment screens (scan first): what htmx cannot do alone.
 * - the scan field gets the focus back whenever the focused field went away (a saved count,
 *   a filed request) and on Esc; Enter in the name search picks the first hit;
 * - a stale "saved" message goes as soon as a new entry is being typed or sent;
 * - forms with data-confirm ask before they are sent (approve, cancel);
 * - picking a category or a shelf for a new count chooses that scope;
 * - a code scanned into a count's or an adjustment's field is scanned (GeraiBurst, scanburst.js).
 * No inline script or handler: the pages run under a Content-Security-Policy. */
(function () {
  "use strict";
  function scanField() { return document.querySelector("[data-scan]"); }
  function focusScan() { const s = scanField(); if (s) s.focus(); }
  function clearMessages() { const m = document.getElementById("messages"); if (m) m.innerHTML = ""; }
  function inEntry(elt) { return elt && elt.closest && elt.closest("#count-entry, #adjust-entry"); }

  document.addEventListener("htmx:beforeRequest", function (e) {
    // A new count or request is on its way: whatever the last one said no longer applies.
    if (inEntry(e.detail.elt)) clearMessages();
  });
  document.addEventListener("htmx:afterRequest", function (e) {
    const elt = e.detail.elt;
    if (!e.detail.successful || !elt || !elt.closest || !elt.closest("[data-pick]")) return;
    document.querySelectorAll("[data-pick-search]").forEach(function (s) { s.value = ""; });
    document.querySelectorAll("[data-pick-results]").forEach(function (r) { r.innerHTML = ""; });
  });
  // When the focused field was swapped away (a saved count, a filed request), the next
  // thing is a scan; a field the answer asks for (autofocus) keeps the focus htmx gave it.
  document.addEventListener("htmx:afterSettle", function () {
    const a = document.activeElement;
    if (!a || a === document.body || !document.contains(a)) focusScan();
  });
  document.addEventListener("input", function (e) {
    if (inEntry(e.target)) {
      const m = document.getElementById("messages");
      if (m && m.querySelector(".msg-ok")) clearMessages();
    }
  });
  document.addEventListener("keydown", function (e) {
    if (e.key === "Escape" && scanField()) { focusScan(); return; }
    if (e.key !== "Enter" || !e.target.matches("[data-pick-search]")) return;
    e.preventDefault();
    const results = document.querySelector(e.target.getAttribute("hx-target") || "[data-pick-results]");
    window.GeraiSearch.pickFirst(e.target, results);   // the list for what is typed (pos.js)
  });
  // After a scan the cursor waits in the count's first field (Kemasan utuh, Jumlah dihitung, the
  // batch): the next product's code scanned there was read as a number ("Jumlah kemasan terlalu
  // besar.") and the scan lost. Such a burst is taken back out of the field and scanned, as on
  // receiving; the entry it landed in is not sent, so nothing half-typed is saved for it. So on
  // the adjustment screen, where the cursor waits on Penyesuaian/Pemusnahan (a code scanned
  // there sent the form with no Jumlah); its Alasan is a person's words, left alone.
  window.GeraiBurst.watch("#count-entry input, #count-entry select, " +
                          "#adjust-form input:not(#adjust-reason), #adjust-form select", function (code) {
    const scan = scanField();
    if (!scan || !scan.form) return;
    scan.value = code;
    scan.form.requestSubmit();   // the scan field's queue (pos.js), as a scan typed there
    focusScan();
  });
  // Choosing a category or a shelf is choosing that scope: left on "Semua barang", the count
  // opened over every product and the category picked was ignored.
  document.addEventListener("change", function (e) {
    const t = e.target;
    if (!t.matches || !t.matches(".scope-choice select") || !t.value) return;
    const radio = t.closest(".scope-choice").querySelector(
      'input[name=scope][value="' + (t.name === "shelf" ? "shelf" : "category") + '"]');
    if (radio) radio.checked = true;
  });
})();
