/* The "Copy to clipboard" button beside a newly created API token.
 *
 * The button starts hidden (without JavaScript the token is still selectable by hand); this
 * script shows it, also after htmx swaps a fresh tokens section in, and copies the token. */
(function () {
  "use strict";

  function reveal(root) {
    root.querySelectorAll("[data-copy-token][hidden]").forEach(function (button) {
      button.hidden = false;
    });
  }

  function announce(button, message) {
    var status = button.parentNode.querySelector("[data-copy-status]");
    if (status) status.textContent = message;
  }

  document.addEventListener("click", function (event) {
    var button = event.target instanceof Element ? event.target.closest("[data-copy-token]") : null;
    if (!button) return;
    var input = document.getElementById(button.getAttribute("data-copy-token"));
    if (!input) return;
    input.focus();
    input.select();
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(input.value).then(
        function () { announce(button, "Copied."); },
        function () { announce(button, "Press Ctrl+C (⌘C on a Mac) to copy."); }
      );
    } else {
      announce(button, "Selected: press Ctrl+C (⌘C on a Mac) to copy.");
    }
  });

  document.addEventListener("htmx:afterSwap", function (event) {
    reveal(event.target instanceof Element ? event.target : document);
  });

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", function () { reveal(document); });
  } else {
    reveal(document);
  }
})();
