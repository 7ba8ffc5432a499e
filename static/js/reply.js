// The reply page: insertIntoReply(text) puts a text (an article's answer,
// a snippet) at the cursor of the reply's text field. Panels in
// #reply-suggestions call it; buttons with data-insert-text use it as is.
(function () {
  "use strict";

  function insertIntoReply(text) {
    const aside = document.getElementById("reply-suggestions");
    const body = aside && document.getElementById(aside.dataset.replyBody);
    if (!body) return;
    const start = body.selectionStart ?? body.value.length;
    const end = body.selectionEnd ?? body.value.length;
    body.value = body.value.slice(0, start) + text + body.value.slice(end);
    body.selectionStart = body.selectionEnd = start + text.length;
    body.focus();
  }

  window.insertIntoReply = insertIntoReply;
  document.addEventListener("click", function (event) {
    const button = event.target.closest("[data-insert-text]");
    if (button) {
      event.preventDefault();
      insertIntoReply(button.dataset.insertText);
    }
  });
})();
