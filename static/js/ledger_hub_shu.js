// The SHU screens: the split's running total, Bekukan held back while the form is not the
// simulation shown, the freeze confirmation, printing a slip.
(function () {
  "use strict";
  function bp(text) {
    var raw = (text || "").trim().replace(/%$/, "").trim().replace(",", ".");
    var m = /^(\d+)(?:\.(\d{1,2}))?$/.exec(raw);
    if (!m) { return null; }
    return parseInt(m[1], 10) * 100 + parseInt(((m[2] || "0") + "0").slice(0, 2), 10);
  }
  function showSum(form) {
    var out = document.getElementById("shu-sum");
    if (!out) { return; }
    var total = 0, bad = false;
    form.querySelectorAll("input[inputmode=decimal]").forEach(function (input) {
      var value = bp(input.value);
      if (value === null) { bad = true; } else { total += value; }
    });
    out.textContent = bad ? "Ada persentase yang belum berupa angka." :
      "Jumlah: " + Math.floor(total / 100) + "," + String(total % 100).padStart(2, "0") + "%" +
      (total === 10000 ? "" : " (harus 100%)");
    out.classList.toggle("off", bad || total !== 10000);
  }
  // What on the form differs from the stored simulation (data-saved), as the server says it
  // when it refuses the freeze; "" when the form is the simulation shown.
  function unsimulated(form) {
    var percent = false;
    form.querySelectorAll("input[inputmode=decimal][data-saved]").forEach(function (input) {
      var typed = bp(input.value);
      if (typed === null || typed !== bp(input.dataset.saved)) { percent = true; }
    });
    if (percent) { return "Persentase diubah tetapi belum disimulasikan: simulasikan dulu."; }
    var basis = form.querySelector("select[data-saved]");
    if (basis && basis.value !== basis.dataset.saved) {
      return "Dasar jasa modal diubah tetapi belum disimulasikan: simulasikan dulu.";
    }
    var pool = form.querySelector("input[name=pool][data-saved]");
    function digits(text) { return (text || "").replace(/^\s*Rp\s*/i, "").replace(/[.\s]|,-$/g, "").replace(/^0+(?=\d)/, ""); }
    if (pool && digits(pool.value) !== digits(pool.dataset.saved)) {
      return "SHU dibagi diubah tetapi belum disimulasikan: simulasikan dulu.";
    }
    return "";
  }
  function holdFreeze(form) {
    var button = document.getElementById("shu-freeze");
    var note = document.getElementById("shu-freeze-note");
    if (!button || !note) { return; }
    var reason = unsimulated(form);
    button.disabled = reason !== "";
    note.textContent = reason;
    note.hidden = reason === "";
  }
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("shu-form");
    if (form) {
      var changed = function () { showSum(form); holdFreeze(form); };
      form.addEventListener("input", changed);
      form.addEventListener("change", changed);
      changed();
      form.addEventListener("submit", function (event) {
        if (event.submitter && event.submitter.id === "shu-freeze" &&
            !window.confirm("Bekukan SHU ini? Daftar yang dibekukan tidak bisa diubah lagi.")) {
          event.preventDefault();
        }
      });
    }
    var by = document.getElementById("shu-by");
    if (by) {   // Enter here belongs to Bekukan, not to the form's first button (Simulasikan)
      by.addEventListener("keydown", function (event) {
        if (event.key === "Enter") { event.preventDefault(); }
      });
    }
    var print = document.getElementById("shu-print");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
  });
})();
