// Small behaviours declared by data attributes, so templates need no inline event handlers
// (the content security policy refuses them). Delegated from the document, so content that
// htmx swaps in later works too.
(function () {
  document.addEventListener("change", function (event) {
    var el = event.target;
    if (el.matches && el.matches("[data-submit-on-change]") && el.form) { el.form.requestSubmit(); }
  });
  document.addEventListener("click", function (event) {
    var el = event.target.closest && event.target.closest("[data-confirm]");
    if (el && !window.confirm(el.getAttribute("data-confirm"))) { event.preventDefault(); }
  });
  document.addEventListener("input", function (event) {
    var el = event.target;
    if (!el.matches || !el.matches("[data-mirror-to]") || !el.form) { return; }
    var target = el.form.elements[el.getAttribute("data-mirror-to")];
    if (target) { target.value = el.value; }
  });
})();
