// The admin's autocomplete (select2 4.0) builds markup that axe-core faults, and rebuilds it on every change, so
// it is mended whenever the page changes:
// - its search box has no label (axe «label», critical): it gets the name of the field it searches, from the
//   <label for> of the <select> select2 replaced;
// - its combobox names its list with aria-owns only (ARIA 1.2 wants aria-controls: «aria-required-attr»);
// - its «remove all» cross is a <span> inside a <ul> of choices («list»): it moves beside the list;
// - its open dropdown is appended to <body>, outside every landmark («region»): it becomes a named region.
(function () {
  "use strict";

  function selectFor(box) {
    // A multiple select's box sits in the container that follows its <select>; a dropdown's (at the end of
    // <body>) names its results list «select2-<select id>-results».
    var container = box.closest(".select2-container");
    var previous = container && container.previousElementSibling;
    if (previous && previous.tagName === "SELECT") return previous;
    var match = (box.getAttribute("aria-controls") || "").match(/^select2-(.+)-results$/);
    return match ? document.getElementById(match[1]) : null;
  }

  function fieldName(box) {
    var select = selectFor(box);
    var label = select && select.id ? document.querySelector('label[for="' + select.id + '"]') : null;
    var text = label ? label.textContent.replace(/[:：]\s*$/, "").trim() : "";
    return text ? "ابحث في " + text : "ابحث";
  }

  function mend(root) {
    root.querySelectorAll(".select2-search__field:not([aria-label])").forEach(function (box) {
      box.setAttribute("aria-label", fieldName(box));
    });
    root.querySelectorAll('[role="combobox"][aria-owns]:not([aria-controls])').forEach(function (box) {
      box.setAttribute("aria-controls", box.getAttribute("aria-owns"));
    });
    root.querySelectorAll(".select2-selection__rendered > :not(li)").forEach(function (stray) {
      stray.parentNode.parentNode.appendChild(stray);
    });
    root.querySelectorAll("body > .select2-container:not([role])").forEach(function (dropdown) {
      dropdown.setAttribute("role", "region");
      dropdown.setAttribute("aria-label", "اختيارات البحث");
    });
  }

  function start() {
    mend(document);
    new MutationObserver(function () { mend(document); })
      .observe(document.body, { childList: true, subtree: true });
  }

  if (document.readyState === "loading") document.addEventListener("DOMContentLoaded", start);
  else start();
})();
