// Live "characters left" counter for inputs with data-counter; the page works without it.
document.querySelectorAll("[data-counter]").forEach(function (input) {
  var out = document.getElementById(input.dataset.counter);
  if (!out) return;
  var max = parseInt(input.getAttribute("maxlength"), 10);
  var template = out.dataset.template;
  var update = function () {
    out.textContent = template.replace("__N__", String(max - input.value.length));
  };
  input.addEventListener("input", update);
  update();
});
