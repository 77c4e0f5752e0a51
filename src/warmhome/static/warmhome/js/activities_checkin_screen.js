// The organiser's check-in screen: replace the QR code before its token expires.
(function () {
  "use strict";
  function start() {
    var image = document.getElementById("checkin-qr");
    if (!image) {
      return;
    }
    var source = image.getAttribute("data-src");
    var every = parseInt(image.getAttribute("data-refresh-ms"), 10) || 20000;
    window.setInterval(function () {
      var next = new Image();
      var url = source + (source.indexOf("?") === -1 ? "?" : "&") + "_=" + Date.now();
      next.onload = function () {
        image.src = url;
      };
      next.src = url;
    }, every);
  }
  if (document.readyState === "loading") {
    document.addEventListener("DOMContentLoaded", start);
  } else {
    start();
  }
})();
