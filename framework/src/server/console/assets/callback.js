// The OAuth redirect lands here: hand the redirect URL (code and state) back to the console page
// that opened this popup, same origin only, then close. Nothing is stored or sent anywhere else.
'use strict';
(function () {
  var message = { type: 'connector-console-oauth', url: window.location.href };
  var delivered = false;
  try {
    if (window.opener && !window.opener.closed) {
      window.opener.postMessage(message, window.location.origin);
      delivered = true;
    }
  } catch (e) {
    delivered = false;
  }
  try {
    var channel = new BroadcastChannel('connector-console-oauth');
    channel.postMessage(message);
    channel.close();
    delivered = true;
  } catch (e) {
    // no BroadcastChannel: the opener was the only way
  }
  // Drop the code from this window's address bar and history.
  window.history.replaceState(null, '', window.location.pathname);
  var status = document.getElementById('callback-status');
  if (delivered) {
    status.textContent = 'Done: the console finishes the sign-in. This window closes itself.';
    window.setTimeout(function () { window.close(); }, 300);
  } else {
    status.textContent = 'The console page that started the sign-in is gone; start the OAuth consent again from it.';
  }
})();
