/* The member at the till (issue 9): a second member card asks before replacing the member.
 * The cart shows "Ganti anggota" / "Batal"; the confirm gets the focus so Enter replaces and
 * Esc (or Batal) keeps the member already on the sale.  No inline script (CSP). */
(function () {
  "use strict";
  const confirmBox = () => document.getElementById("member-confirm");
  function dismiss() {
    const box = confirmBox();
    if (box) box.remove();
    const scan = document.getElementById("scan");
    if (scan) scan.focus();
  }
  document.addEventListener("htmx:afterSettle", (e) => {
    if (!e.target || e.target.id !== "cart") return;
    const replace = document.getElementById("member-replace");
    if (replace) replace.focus();
  });
  document.addEventListener("click", (e) => {
    const el = e.target.closest && e.target.closest("[data-action=cancel-member]");
    if (el) { e.preventDefault(); dismiss(); }
  });
  document.addEventListener("keydown", (e) => {
    if (e.key === "Escape" && confirmBox()) dismiss();
  });
})();
