// "Show distance from my location": only after the resident asks, never stored or sent anywhere.
(function () {
  var button = document.querySelector("[data-distance]");
  if (!button || !navigator.geolocation) return;
  button.hidden = false;
  function km(lat1, lon1, lat2, lon2) {
    var r = 6371, toRad = Math.PI / 180;
    var dLat = (lat2 - lat1) * toRad, dLon = (lon2 - lon1) * toRad;
    var a = Math.sin(dLat / 2) * Math.sin(dLat / 2) +
      Math.cos(lat1 * toRad) * Math.cos(lat2 * toRad) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * r * Math.asin(Math.sqrt(a));
  }
  button.addEventListener("click", function () {
    navigator.geolocation.getCurrentPosition(function (pos) {
      document.querySelectorAll(".channel[data-lat]").forEach(function (el) {
        var d = km(pos.coords.latitude, pos.coords.longitude, parseFloat(el.dataset.lat), parseFloat(el.dataset.lon));
        var out = el.querySelector(".distance");
        if (out) out.textContent = " · " + d.toFixed(1).replace(".", document.documentElement.lang === "en" ? "." : ",") + " km";
      });
    });
  });
})();
