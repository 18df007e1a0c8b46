/* Gerai POS return form (/retur/struk/<id>): the first quantity field has the focus when the
 * page opens; the bank reference is there only while the refund goes through the bank.  A
 * cashier's return comes back as the manager's dialog (static/js/approval.js).
 * The booked return's slip takes the focus to Kembali ke kasir (Enter; F9 prints it again).
 * A scanner on the form's lines (static/js/scanburst.js) never sends it: the item scanned into
 * Jumlah retur was sent as a quantity of 8992951000210.  A code of one piece of a line on the
 * receipt (one line only) adds 1 to that line's Jumlah retur; any other code is refused and
 * says why.  The box scanned into keeps what it held. */
(function () {
  "use strict";
  const $$ = (sel) => Array.from(document.querySelectorAll(sel));
  // The bank reference (a QRIS or transfer sale's form only) is asked while the refund goes
  // back its own way; Tunai chosen, it is disabled and hidden: out of the Tab order, so the
  // reason typed after the refund choice lands in Alasan retur, and nothing of it is sent.
  const bankRefs = () => {
    const refs = document.querySelector("[data-bank-refs]");
    if (!refs) return;
    const chosen = refs.closest("form")?.querySelector("input[name=refund]:checked");
    const off = !!chosen && chosen.value === "tunai";
    refs.hidden = off;
    for (const input of refs.querySelectorAll("input")) input.disabled = off;
  };
  document.addEventListener("change", (event) => {
    if (event.target.matches && event.target.matches("input[name=refund]")) bankRefs();
  });
  document.addEventListener("DOMContentLoaded", () => {
    bankRefs();
    const first = document.querySelector(".return-qty");
    const a = document.activeElement;   // not when the user is already typing somewhere
    if (first && (!a || a === document.body)) first.focus();
  });
  document.addEventListener("htmx:afterSettle", () => {
    bankRefs();
    const back = document.getElementById("return-back");
    const a = document.activeElement;
    if (back && (!a || a === document.body || !document.contains(a))) back.focus();
  });

  const holds = (box, list, code) => (box.dataset[list] || "").split(" ").includes(code);
  function onScan(code, field) {
    const refuse = (why) => {
      window.GeraiPOS.showMessage(`Kode ${code} ${why}`);
      if (document.contains(field)) field.focus();
    };
    const boxes = $$("#return-form .return-qty");
    const one = boxes.filter((box) => holds(box, "codes", code));
    const other = boxes.filter((box) => holds(box, "otherCodes", code));
    if (!one.length && !other.length) {
      refuse("bukan barang di struk ini: pindaian tidak dipakai di formulir retur. Tulis jumlah " +
             "retur di kolom barangnya.");
      return;
    }
    if (one.length !== 1 || other.length) {
      refuse(one.length + other.length > 1
        ? "ada di beberapa baris struk ini: pindaian tidak dipakai di sini. Tulis jumlah retur di " +
          "baris yang benar."
        : "bukan satu buah barang (kemasan atau timbangan): pindaian tidak dipakai di sini. Tulis " +
          "jumlah retur di kolom barangnya.");
      return;
    }
    const box = one[0], raw = box.value.trim(), left = Number(box.dataset.left);
    if (raw !== "" && !/^[0-9]+$/.test(raw)) {
      refuse(`dipindai, tetapi Jumlah retur ${box.dataset.name} berisi "${raw}": tulis jumlahnya sendiri.`);
      return;
    }
    const wanted = Number(raw || "0") + 1;
    if (wanted > left) {
      refuse(`dipindai: ${box.dataset.name} paling banyak ${left} yang bisa diretur; jumlah tetap ` +
             `${raw || "0"}.`);
      return;
    }
    box.value = String(wanted);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    window.GeraiPOS.showNote(`Jumlah retur ${box.dataset.name}: ${wanted} (dipindai). Tekan Retur bila ` +
                             "sudah semua.");
    box.focus();
  }
  window.GeraiBurst.watch("#return-form .return-qty, #return-form input[name^=rusak_], " +
                          "#return-form input[name=refund]", onScan);
})();
