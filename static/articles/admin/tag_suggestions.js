// Moved out of templates/admin/articles/article/change_form.html: the Content-Security-Policy forbids inline script.
// One click accepts a suggestion: it joins the tags field's selection (saved with the form, like any edit).
document.addEventListener("click", function (event) {
  var button = event.target.closest(".suggest-tag");
  if (!button || button.disabled) return;
  var select = document.getElementById("id_tags");
  if (!select) return;
  var id = button.dataset.tagId;
  var option = Array.prototype.find.call(select.options, function (o) { return o.value === id; });
  if (option) {
    option.selected = true;
  } else {
    select.appendChild(new Option(button.dataset.tagName, id, true, true));
  }
  if (window.django && django.jQuery) django.jQuery(select).trigger("change");
  button.disabled = true;
  button.classList.add("accepted");
});
