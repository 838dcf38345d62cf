// After a submitted search the results heading takes the focus, so a screen reader announces
// the count and one Tab reaches the first result. A static file: the CSP allows no inline script.
(function () {
  var heading = document.querySelector("[data-focus-on-load]");
  if (!heading) return;
  heading.focus({ preventScroll: true });
  var box = heading.getBoundingClientRect();
  if (box.top < 0 || box.bottom > window.innerHeight) heading.scrollIntoView({ block: "start" });
})();
