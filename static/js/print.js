// "Print" buttons (data-print): shown only when this script runs, so no button does nothing.
document.querySelectorAll("[data-print]").forEach(function (button) {
  button.hidden = false;
  button.addEventListener("click", function () {
    window.print();
  });
});
