/* Money fields (data-rp): the amount is grouped with dots as it is typed, 1000000 shows as
 * 1.000.000, so a zero too many or too few is seen before it is paid or saved.  The caret
 * stays after the digit it was after; Backspace just after a dot (Delete just before one)
 * takes the digit beside it, not only the dot.  Text that is not an amount (Rp, a comma, a
 * letter) is left as typed: the server says what is wrong with it (pos.money.parse_rupiah,
 * which reads both 1000000 and 1.000.000). */
(function () {
  "use strict";
  const AMOUNT = /^-?[0-9.]*$/;

  function group(digits) { return digits.replace(/\B(?=(\d{3})+(?!\d))/g, "."); }
  // An amount (a number or a string of digits) as a money field shows it.
  function shown(amount) {
    const text = String(amount);
    if (!/^-?[0-9]+$/.test(text)) return text;
    const sign = text.startsWith("-") ? "-" : "";
    return sign + group(text.slice(sign.length).replace(/^0+(?=\d)/, ""));
  }
  function digitsIn(text) { return text.replace(/[^0-9]/g, ""); }

  const before = new WeakMap();   // field -> its value before this edit
  document.addEventListener("beforeinput", (e) => {
    if (e.target.matches && e.target.matches("input[data-rp]")) before.set(e.target, e.target.value);
  });
  document.addEventListener("input", (e) => {
    const input = e.target;
    if (!input.matches || !input.matches("input[data-rp]") || !AMOUNT.test(input.value)) return;
    const value = input.value, was = before.get(input) || "";
    const sign = value.startsWith("-") ? "-" : "";
    let digits = digitsIn(value);
    let left = digitsIn(value.slice(0, input.selectionStart ?? value.length)).length;
    // Only a dot went: the key meant the digit beside it.
    if (digits === digitsIn(was) && value.length < was.length) {
      if (e.inputType === "deleteContentBackward" && left > 0) {
        digits = digits.slice(0, left - 1) + digits.slice(left);
        left -= 1;
      } else if (e.inputType === "deleteContentForward") {
        digits = digits.slice(0, left) + digits.slice(left + 1);
      }
    }
    const zeros = digits.length - digits.replace(/^0+(?=\d)/, "").length;
    digits = digits.slice(zeros);
    left = Math.max(0, left - zeros);
    const out = sign + group(digits);
    let caret = sign.length;
    for (let seen = 0; seen < left && caret < out.length; caret++) if (out[caret] !== ".") seen++;
    if (out !== value) {
      input.value = out;
      if (document.activeElement === input) input.setSelectionRange(caret, caret);
    }
    before.set(input, out);
  }, true);

  window.GeraiMoney = { shown };
})();
