/* Gerai POS return form (/retur/struk/<id>): the first quantity field has the focus when the
 * page opens.  A cashier's return comes back as the manager's dialog (static/js/approval.js).
 * The booked return's slip takes the focus to Kembali ke kasir (Enter; F9 prints it again). */
(function () {
  "use strict";
  document.addEventListener("DOMContentLoaded", () => {
    const first = document.querySelector(".return-qty");
    const a = document.activeElement;   // not when the user is already typing somewhere
    if (first && (!a || a === document.body)) first.focus();
  });
  document.addEventListener("htmx:afterSettle", () => {
    const back = document.getElementById("return-back");
    const a = document.activeElement;
    if (back && (!a || a === document.body || !document.contains(a))) back.focus();
  });
})();
