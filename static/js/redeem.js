// The till's camera: where the browser has BarcodeDetector and a camera,
// "Scan" reads the gift's QR code into the code box and looks it up.
// Typing the code always works; without this script nothing is lost.
(function () {
  "use strict";
  if (!("BarcodeDetector" in window) || !navigator.mediaDevices) return;
  var box = document.querySelector(".scanner");
  var button = document.getElementById("scan");
  var video = document.getElementById("scan-video");
  var input = document.getElementById("code");
  if (!box || !button || !video || !input) return;
  box.hidden = false;
  var stream = null;
  function stop() {
    if (stream) stream.getTracks().forEach(function (t) { t.stop(); });
    stream = null;
    video.hidden = true;
  }
  button.addEventListener("click", function () {
    if (stream) { stop(); return; }
    var detector = new window.BarcodeDetector({ formats: ["qr_code"] });
    navigator.mediaDevices.getUserMedia({ video: { facingMode: "environment" } }).then(function (s) {
      stream = s;
      video.srcObject = s;
      video.hidden = false;
      return video.play();
    }).then(function look() {
      if (!stream) return;
      detector.detect(video).then(function (codes) {
        if (codes.length > 0) {
          input.value = codes[0].rawValue;
          stop();
          input.form.submit();
        } else {
          window.requestAnimationFrame(look);
        }
      }, function () { window.requestAnimationFrame(look); });
    }).catch(function () { stop(); });
  });
})();
