// The Live page: HeyGen's legacy raw-WebRTC flow from a browser. streaming.new gives the server's SDP offer, the
// browser answers (streaming.start) and trickles its ICE candidates (streaming.ice); text goes to streaming.task.
"use strict";
(function () {
  const root = document.getElementById("live");
  const token = root.dataset.token;
  const $ = id => document.getElementById(id);
  const video = $("live-video"), status = $("live-status"), errorBox = $("live-error");
  let sessionId = null, pc = null;

  async function call(path, body) {
    const res = await fetch("/v1/" + path, {
      method: "POST", credentials: "omit",
      headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
      body: JSON.stringify(body || {}),
    });
    const json = await res.json().catch(() => ({ code: res.status, message: res.statusText }));
    if (!res.ok || json.code !== 100) throw new Error(json.message || ("HTTP " + res.status));
    return json.data;
  }

  function show(text) { status.textContent = text; }
  function fail(err) { errorBox.textContent = err.message || String(err); errorBox.hidden = false; }
  function running(on) {
    $("live-start").disabled = on;
    for (const id of ["live-stop", "live-speak", "live-interrupt"]) $(id).disabled = !on;
  }

  async function start() {
    errorBox.hidden = true;
    $("live-start").disabled = true;
    show("Starting…");
    try {
      const data = await call("streaming.new", { avatar_id: $("live-avatar").value, quality: $("live-quality").value });
      sessionId = data.session_id;
      pc = new RTCPeerConnection({ iceServers: data.ice_servers2 || [] });
      const stream = new MediaStream();
      pc.ontrack = ev => { stream.addTrack(ev.track); video.srcObject = stream; video.play().catch(() => {}); };
      pc.onicecandidate = ev => {
        if (ev.candidate && sessionId) call("streaming.ice", { session_id: sessionId, candidate: ev.candidate.toJSON() }).catch(() => {});
      };
      pc.onconnectionstatechange = () => {
        show("Connection: " + pc.connectionState);
        if (pc.connectionState === "failed") fail(new Error("The connection failed"));
      };
      await pc.setRemoteDescription(data.sdp);
      await pc.setLocalDescription(await pc.createAnswer());
      await call("streaming.start", { session_id: sessionId, sdp: pc.localDescription.toJSON() });
      running(true);
      show("Session " + sessionId.slice(0, 8) + " started");
    } catch (err) {
      fail(err);
      await stop();
    }
  }

  async function stop() {
    const id = sessionId;
    sessionId = null;
    running(false);
    if (id) await call("streaming.stop", { session_id: id }).catch(() => {});  // before the close ends it anyway
    if (pc) { pc.close(); pc = null; }
    video.srcObject = null;
    show("Stopped.");
  }

  $("live-start").addEventListener("click", start);
  $("live-stop").addEventListener("click", stop);
  $("live-say").addEventListener("submit", async ev => {
    ev.preventDefault();
    errorBox.hidden = true;
    const text = $("live-text").value;
    try {
      const data = await call("streaming.task", { session_id: sessionId, text, task_type: "repeat", task_mode: "async" });
      show("Speaking (about " + Math.round(data.duration_ms / 1000) + " s)");
    } catch (err) { fail(err); }
  });
  $("live-interrupt").addEventListener("click", () => call("streaming.interrupt", { session_id: sessionId }).then(() => show("Interrupted")).catch(fail));
  window.addEventListener("pagehide", () => {
    if (sessionId) {
      fetch("/v1/streaming.stop", { method: "POST", keepalive: true, credentials: "omit",
        headers: { "Authorization": "Bearer " + token, "Content-Type": "application/json" },
        body: JSON.stringify({ session_id: sessionId }) });
    }
  });
})();
