// «انسخ الاستشهاد»: the copy button of the article page. Without this file the citation is still on the page,
// in a read-only box the reader selects and copies by hand; the button is hidden until this script shows it.
(function () {
  "use strict";

  function selectAll(box) {
    box.focus();
    box.select();
    box.setSelectionRange(0, box.value.length);
  }

  function copy(button) {
    var box = document.getElementById(button.getAttribute("data-copy-target"));
    var status = button.parentNode.querySelector(".copy-status");
    function say(copied) {
      if (status) {
        status.textContent = copied ? "نُسخ الاستشهاد." : "حُدّد النص: انسخه بـ Ctrl+C (أو ⌘+C).";
      }
    }
    function fallback() {
      // No clipboard API (plain HTTP, an old browser, a refused permission): select the text for the reader.
      selectAll(box);
      var copied = false;
      try { copied = document.execCommand("copy"); } catch (e) { copied = false; }
      say(copied);
    }
    if (!box) { return; }
    if (navigator.clipboard && window.isSecureContext) {
      navigator.clipboard.writeText(box.value).then(function () { say(true); }, fallback);
    } else {
      fallback();
    }
  }

  function init() {
    var buttons = document.querySelectorAll("[data-copy-target]");
    for (var i = 0; i < buttons.length; i++) {
      var button = buttons[i];
      button.hidden = false;
      button.addEventListener("click", copy.bind(null, button));
    }
  }

  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", init);
  } else {
    init();
  }
})();
