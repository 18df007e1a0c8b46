/* Receiving screen: what htmx cannot do alone (keys, the scan field's focus, reloading a refused line).
 * Loaded only by the receiving pages; pos.js stays inactive there (it looks for the till's #scan). */
(function () {
  "use strict";
  const $ = (sel, root) => (root || document).querySelector(sel);

  function focusScan() {
    const scan = $("#gr-scan");
    if (scan) scan.focus();
  }
  function clearSearch() {
    const search = $("#gr-search");
    if (search) search.value = "";
    const results = $("#gr-search-results");
    if (results) results.innerHTML = "";
  }

  // Blur first: the field being typed in fires "change" and its line is saved
  // (queued before the posting on #gr-draft), so what is posted is what is seen.
  function post() {
    const button = $("#gr-post button");
    if (!button) return;
    if (document.activeElement) document.activeElement.blur();
    button.click();
  }

  function onKey(e) {
    if (!$("#gr-scan")) return;
    if (e.key === "F2") { e.preventDefault(); $("#gr-search").focus(); $("#gr-search").select(); }
    else if (e.key === "F9") { e.preventDefault(); post(); }
    else if (e.key === "Escape") { clearSearch(); focusScan(); }
    else if (e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      const a = document.activeElement;
      if (!a || a === document.body || a.tagName === "BUTTON") focusScan();  // a scanner typing "nowhere"
    }
  }

  // Enter in the name search adds the first hit.
  function onSearchEnter(e) {
    if (e.key !== "Enter" || e.target.id !== "gr-search") return;
    e.preventDefault();
    const first = $("#gr-search-results .result");
    if (first) first.click();
  }

  document.addEventListener("keydown", onKey);
  document.addEventListener("keydown", onSearchEnter, true);
  document.addEventListener("htmx:afterRequest", (e) => {
    const elt = e.detail.elt;
    if (!elt || !elt.matches) return;
    if (elt.matches("form.gr-line") && !e.detail.successful) {
      // The server refused the change and kept the line as it was: show what is stored.
      const lines = $("#gr-lines");
      if (lines) htmx.ajax("GET", lines.dataset.url, { target: "#gr-lines", swap: "outerHTML" });
    } else if (elt.matches("[data-search-result]") && e.detail.successful) {
      clearSearch();
      focusScan();
    }
  });
  document.addEventListener("htmx:afterSettle", () => {
    const a = document.activeElement;
    if (!a || a === document.body || !document.contains(a)) focusScan();
  });
})();
