/* Members: the till's F7 live list (arrow keys walk it, Enter chooses; Esc, in pos.js, empties
 * the field and the list) and the A4 card sheet's print button.  No inline script or handler
 * (CSP); the server checks every choice again. */
(function () {
  "use strict";
  const results = () => document.getElementById("member-results");
  const buttons = () => Array.from(document.querySelectorAll("#member-results [data-member-result]"));

  function clearList() {
    const list = results();
    if (list) list.replaceChildren();
  }

  document.addEventListener("keydown", function (e) {
    const inField = e.target.id === "member";
    const inList = e.target.matches && e.target.matches("#member-results [data-member-result]");
    if (!inField && !inList) return;
    const all = buttons();
    // Enter in the field while the list shows what was typed (a name: "Budi"): the only member
    // listed is taken; of several, the first gets the focus and Enter takes it.  Without a list
    // for it (a card scanned, a number typed at once) the field is sent as a code.
    const list = document.querySelector("#member-results [data-query]");
    if (inField && e.key === "Enter" && all.length && list
        && list.dataset.query === e.target.value.trim()) {
      e.preventDefault();
      if (all.length === 1) all[0].click(); else all[0].focus();
      return;
    }
    if (e.key === "ArrowDown" || e.key === "ArrowUp") {
      if (!all.length) return;
      e.preventDefault();
      const at = all.indexOf(e.target);
      const next = e.key === "ArrowDown" ? Math.min(at + 1, all.length - 1) : at - 1;
      if (next < 0) document.getElementById("member").focus();
      else all[next].focus();
    } else if (inList && e.key.length === 1 && !e.ctrlKey && !e.altKey && !e.metaKey) {
      document.getElementById("member").focus();   // typing on goes on into the field
    }
  });

  // A member chosen (from the list, or typed / scanned and sent with Enter): the field and the
  // list are done, the cart shows the member.
  document.addEventListener("htmx:afterRequest", function (e) {
    const elt = e.detail.elt;
    if (!e.detail.successful || !elt || !elt.matches) return;
    if (elt.matches("[data-member-result]") || elt.matches("#member-form")) {
      const field = document.getElementById("member");
      if (field) field.value = "";
      clearList();
    }
  });
  // A list asked for after the field was sent and emptied (a card scanned: Enter comes before
  // the live search's 120 ms delay) is not asked for at all.
  document.addEventListener("htmx:beforeRequest", function (e) {
    const elt = e.detail.elt;
    if (elt && elt.id === "member" && !elt.value.trim()) { e.preventDefault(); clearList(); }
  });
  // A list that arrives for a field already emptied (the member was sent meanwhile) is dropped.
  document.addEventListener("htmx:beforeSwap", function (e) {
    if (e.detail.target && e.detail.target.id === "member-results") {
      const field = document.getElementById("member");
      if (field && !field.value.trim()) { e.detail.shouldSwap = false; clearList(); }
    }
  });
})();
