// Cek harga on a shelf tablet: the scan field keeps the focus, empties after each scan, and
// the result goes back to the hint after 20 seconds so the next shopper starts clean.
(function () {
  "use strict";
  var IDLE_MS = 20000;
  var timer = null;
  function field() { return document.getElementById("pc-code"); }
  function refocus() {
    var input = field();
    if (input && document.activeElement !== input) { input.focus(); }
  }
  document.addEventListener("htmx:beforeRequest", function (event) {
    if (event.detail.elt && event.detail.elt.id === "pc-form") {
      window.setTimeout(function () { var input = field(); if (input) { input.value = ""; } }, 0);
    }
  });
  document.addEventListener("htmx:afterSwap", function () {
    refocus();
    if (timer) { window.clearTimeout(timer); }
    timer = window.setTimeout(function () {
      var result = document.getElementById("pc-result");
      if (result) {
        result.replaceChildren();
        var hint = document.createElement("p");
        hint.className = "pc-hint";
        hint.textContent = "Arahkan barcode barang ke pemindai.";
        result.appendChild(hint);
      }
    }, IDLE_MS);
  });
  document.addEventListener("click", refocus);
  document.addEventListener("DOMContentLoaded", refocus);
}());
