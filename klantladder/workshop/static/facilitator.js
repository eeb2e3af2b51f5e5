// The facilitator's screen: replace the live part whenever the server sends a new board.
// Progressive enhancement: without JavaScript the page refreshes itself (noscript meta).
(function () {
  "use strict";
  var board = document.getElementById("board");
  if (!board || !window.EventSource) {
    return;
  }
  var closed = board.getAttribute("data-closed") === "true";
  var source = new EventSource(board.getAttribute("data-events"));
  source.addEventListener("board", function (event) {
    var update = JSON.parse(event.data);
    if (update.closed !== closed) {
      window.location.reload(); // the close / reopen button changes too
      return;
    }
    if (String(update.version) !== board.getAttribute("data-version")) {
      board.innerHTML = update.html; // rendered and escaped by the server
      board.setAttribute("data-version", String(update.version));
    }
  });
})();
