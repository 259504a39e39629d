/* Ecotone: small progressive enhancements. Every page works without this file. */
(function () {
  "use strict";

  document.documentElement.classList.add("js");

  /* The org chart opened at someone: bring them into view (the script is deferred: the DOM is ready). */
  var focused = document.querySelector(".org-node.is-focused");
  if (focused) focused.scrollIntoView({ block: "center" });

  function closest(target, selector) {
    return target instanceof Element ? target.closest(selector) : null;
  }

  /* Destructive actions: forms marked data-confirm ask first. */
  document.addEventListener("submit", function (event) {
    var form = closest(event.target, "form[data-confirm]");
    if (form && !window.confirm(form.getAttribute("data-confirm"))) event.preventDefault();
  });

  /* Navigation toggle on narrow screens. */
  function toggleNav(button) {
    var nav = document.getElementById(button.getAttribute("aria-controls"));
    if (!nav) return;
    var open = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(open));
    nav.classList.toggle("is-open", open);
  }

  /* Dismissable toasts. */
  function dismissToast(button) {
    var toast = closest(button, ".toast");
    if (toast) toast.remove();
  }

  /* Org chart: expand a branch (loading it once with htmx), or collapse it. */
  function toggleBranch(button) {
    var branch = document.getElementById(button.getAttribute("aria-controls"));
    if (!branch) return;
    var expand = button.getAttribute("aria-expanded") !== "true";
    button.setAttribute("aria-expanded", String(expand));
    if (!expand) {
      branch.hidden = true;
      return;
    }
    branch.hidden = false;
    if (branch.dataset.loaded !== "true" && window.htmx) {
      branch.dataset.loaded = "true";
      branch.setAttribute("aria-busy", "true");
      window.htmx
        .ajax("GET", button.dataset.url, { target: branch, swap: "innerHTML" })
        .then(function () {
          branch.removeAttribute("aria-busy");
        });
    }
  }

  document.addEventListener("click", function (event) {
    var target = event.target;
    var button = closest(target, "[data-nav-toggle]");
    if (button) {
      toggleNav(button);
      return;
    }
    button = closest(target, ".toast-close");
    if (button) {
      dismissToast(button);
      return;
    }
    button = closest(target, ".org-toggle");
    if (button && window.htmx) {
      event.preventDefault();
      toggleBranch(button);
      return;
    }
    /* A click outside an open menu closes it. */
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      if (!menu.contains(target)) menu.removeAttribute("open");
    });
  });

  document.addEventListener("keydown", function (event) {
    if (event.key !== "Escape") return;
    document.querySelectorAll("details.menu[open]").forEach(function (menu) {
      menu.removeAttribute("open");
      var summary = menu.querySelector("summary");
      if (summary) summary.focus();
    });
  });

  /* A live request that landed on the sign-in page (the session expired): go there whole,
     instead of swapping a sign-in form into a fragment. */
  document.addEventListener("htmx:beforeSwap", function (event) {
    var xhr = event.detail.xhr;
    if (xhr && xhr.responseURL && xhr.responseURL.indexOf("/accounts/login/") !== -1) {
      event.detail.shouldSwap = false;
      window.location.href = xhr.responseURL;
    }
  });

  /* A picked option fills its picker's "current" label, so the choice stays visible. */
  document.addEventListener("change", function (event) {
    var input = event.target;
    if (!(input instanceof HTMLInputElement) || input.type !== "radio") return;
    var picker = closest(input, ".picker");
    if (!picker) return;
    var status = picker.querySelector("[data-picker-status]");
    if (status) status.textContent = input.dataset.label ? "Selected: " + input.dataset.label : "";
  });
})();
