// Portail: starts asciinema-player on the recording named by the page (no inline
// script, so the page's Content-Security-Policy can forbid them).
(function () {
  "use strict";
  var el = document.getElementById("player");
  if (!el || !window.AsciinemaPlayer) {
    return;
  }
  window.AsciinemaPlayer.create(el.getAttribute("data-src"), el, {
    autoPlay: true,
    preload: true,
    idleTimeLimit: 2,
    fit: "width",
    terminalFontFamily: "monospace"
  });
})();
