// The SHU screens: the split's running total, the freeze confirmation, printing a slip.
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
  document.addEventListener("DOMContentLoaded", function () {
    var form = document.getElementById("shu-form");
    if (form) {
      form.addEventListener("input", function () { showSum(form); });
      showSum(form);
    }
    var freeze = document.getElementById("shu-freeze-form");
    if (freeze) {
      freeze.addEventListener("submit", function (event) {
        if (!window.confirm("Bekukan SHU ini? Daftar yang dibekukan tidak bisa diubah lagi.")) {
          event.preventDefault();
        }
      });
    }
    var print = document.getElementById("shu-print");
    if (print) { print.addEventListener("click", function () { window.print(); }); }
  });
})();
