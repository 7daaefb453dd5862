// Security keys and passkeys (WebAuthn): buttons with data-webauthn="register" or "login" fetch
// the options from data-options, ask the browser, and send the answer to data-verify.
(function () {
  function toBytes(b64url) {
    var b64 = b64url.replace(/-/g, "+").replace(/_/g, "/");
    while (b64.length % 4) { b64 += "="; }
    return Uint8Array.from(atob(b64), function (c) { return c.charCodeAt(0); });
  }
  function toB64url(buffer) {
    var bytes = new Uint8Array(buffer), text = "";
    for (var i = 0; i < bytes.length; i++) { text += String.fromCharCode(bytes[i]); }
    return btoa(text).replace(/\+/g, "-").replace(/\//g, "_").replace(/=+$/, "");
  }
  function post(url, token, body) {
    return fetch(url, {method: "POST", credentials: "same-origin",
      headers: {"Content-Type": "application/json", "Accept": "application/json",
                "X-CSRFToken": token},
      body: body === undefined ? "{}" : JSON.stringify(body)});
  }
  function serialise(credential) {
    var r = credential.response, out = {id: credential.id, rawId: toB64url(credential.rawId),
      type: credential.type, clientExtensionResults: {}, response: {
        clientDataJSON: toB64url(r.clientDataJSON)}};
    if (r.attestationObject) { out.response.attestationObject = toB64url(r.attestationObject); }
    if (r.authenticatorData) {
      out.response.authenticatorData = toB64url(r.authenticatorData);
      out.response.signature = toB64url(r.signature);
      if (r.userHandle) { out.response.userHandle = toB64url(r.userHandle); }
    }
    return out;
  }
  document.querySelectorAll("button[data-webauthn]").forEach(function (button) {
    button.hidden = !window.PublicKeyCredential;
    button.addEventListener("click", function () {
      var token = button.dataset.csrf, error = document.getElementById("webauthn-error");
      var registering = button.dataset.webauthn === "register";
      error.hidden = true;
      post(button.dataset.options, token).then(function (response) {
        if (!response.ok) { throw new Error(button.dataset.failed); }
        return response.json();
      }).then(function (options) {
        options.challenge = toBytes(options.challenge);
        (options.excludeCredentials || options.allowCredentials || []).forEach(function (c) {
          c.id = toBytes(c.id);
        });
        if (registering) {
          options.user.id = toBytes(options.user.id);
          return navigator.credentials.create({publicKey: options});
        }
        return navigator.credentials.get({publicKey: options});
      }).then(function (credential) {
        var body = serialise(credential);
        if (registering) {
          var name = document.getElementById("key-name");
          body = {credential: body, name: name ? name.value : ""};
        }
        return post(button.dataset.verify, token, body);
      }).then(function (response) {
        return response.json().then(function (answer) {
          if (!response.ok) { throw new Error(answer.error || button.dataset.failed); }
          window.location = answer.redirect;
        });
      }).catch(function (problem) {
        error.textContent = problem && problem.message ? problem.message : button.dataset.failed;
        error.hidden = false;
      });
    });
  });
})();
