// "Use my location": only after the resident asks, never stored or sent anywhere. Without
// JavaScript (or geolocation) the address/postcode form beside it does the same on the server.
(function () {
  var button = document.querySelector("[data-distance]");
  if (!button || !navigator.geolocation) return;
  var status = document.getElementById("distance-status");
  var input = document.getElementById("distance-from");
  button.hidden = false;
  function km(lat1, lon1, lat2, lon2) {
    var r = 6371, toRad = Math.PI / 180;
    var dLat = (lat2 - lat1) * toRad, dLon = (lon2 - lon1) * toRad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * r * Math.asin(Math.sqrt(a));
  }
  function say(text, isError) {
    if (!status) return;
    status.textContent = text;
    status.className = isError ? "field-error" : "hint";
  }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.querySelectorAll(".channel[data-lat]").forEach(function (el) {
        var d = km(pos.coords.latitude, pos.coords.longitude, parseFloat(el.dataset.lat), parseFloat(el.dataset.lon));
        var out = el.querySelector(".distance");
        if (out) out.textContent = " · " + d.toFixed(1).replace(".", document.documentElement.lang === "en" ? "." : ",") + " km";
      });
      say(button.dataset.done, false);
    }, function (error) {
      // Refused (code 1) or not found: say so and offer the typed address instead.
      say(error.code === 1 ? button.dataset.denied : button.dataset.failed, true);
      if (input) input.focus();
    }, { timeout: 15000, maximumAge: 600000 });
  });
})();
