/* Label screen: rows of the label form live only in the page until it is sent (the server
 * checks them again); a scan that lands in a label count; the A4 sheet's print button.
 * No inline script or handler (CSP). */
(function () {
  "use strict";
  function refresh() {
    const rows = document.getElementById("label-rows");
    document.getElementById("label-empty").hidden = rows.children.length > 0;
  }
  // A new selection: the last print's "N label dikirim" no longer speaks of it (it stayed above
  // a count the browser refused, as if that one had printed too).
  function forgetDone() { document.querySelectorAll("#messages .msg-ok").forEach(function (m) { m.remove(); }); }
  document.addEventListener("input", function (e) { if (e.target.closest("#label-form")) forgetDone(); });
  document.addEventListener("invalid", forgetDone, true);
  // The label list changed (a row added or removed, goods given their store codes): a refusal
  // shown ("Pilih minimal satu barang untuk label.", "… belum punya barcode; beri kode toko
  // dulu.") or the last print's answer speaks of the list before and goes, as at the till.
  function listChanged() {
    const problem = document.getElementById("label-problem");
    if (problem) problem.remove();
    const box = document.getElementById("messages");
    if (box) box.replaceChildren();
  }
  // Before the swap: the codes' form is still in the page (an event on it once swapped out
  // never reaches the document).
  document.addEventListener("htmx:beforeSwap", function (e) {
    const from = e.detail.requestConfig && e.detail.requestConfig.elt;
    if (e.detail.xhr.status < 300 && from && from.matches("[data-assign-codes]")) listChanged();
  });
  function addRow(data) {
    listChanged();
    const rows = document.getElementById("label-rows");
    const existing = rows.querySelector('tr[data-product="' + data.id + '"]');
    if (existing) {
      const copies = existing.querySelector("input.copies");
      copies.value = String((parseInt(copies.value, 10) || 0) + 1);
      copies.focus();
      copies.select();     // a number typed now replaces the count (1 then 3 made 31)
      return;
    }
    const row = document.getElementById("label-row-template").content.firstElementChild.cloneNode(true);
    row.dataset.product = data.id;
    row.querySelector("input[name=product_id]").value = data.id;
    row.querySelector(".name span").textContent = data.name;
    row.querySelector(".price").textContent = data.price;
    rows.append(row);
    refresh();
    row.querySelector("input.copies").focus();
    row.querySelector("input.copies").select();
  }
  document.addEventListener("click", function (e) {
    if (e.target.closest("[data-print]")) return;   // pos.js prints
    const add = e.target.closest("[data-add-label]");
    if (add) { addRow(add.dataset); return; }
    const remove = e.target.closest("[data-remove-row]");
    if (remove) { remove.closest("tr").remove(); refresh(); listChanged(); }
  });
  // Enter in the search (a scanner ends a barcode with it) adds the first hit of what was
  // typed: the search is sent at once and its first result added when it arrives.
  let addOnResults = false;
  document.addEventListener("keydown", function (e) {
    if (e.key !== "Enter" || e.target.id !== "label-q") return;
    e.preventDefault();
    addOnResults = true;
    htmx.trigger(e.target, "search");
  });
  // A row added by a scan puts the cursor in its label count; the next code the scanner types
  // lands there too ("2020000000631" labels, refused, and the code lost): taken back out of the
  // count and looked up as a scan (static/js/scanburst.js).
  window.GeraiBurst.watch("#label-rows input.copies", function (code) {
    document.getElementById("label-q").value = code;
    addOnResults = true;
    htmx.trigger(document.getElementById("label-q"), "search");
  });
  document.addEventListener("htmx:afterSettle", function () {
    if (!addOnResults) return;
    addOnResults = false;
    const first = document.querySelector("#label-search-results [data-add-label]");
    if (!first) return;
    first.click();
    const search = document.getElementById("label-q");
    search.value = "";
    document.getElementById("label-search-results").innerHTML = "";
  });
})();
