// Shared studio helpers: CSRF-carrying calls, raw-body uploads (drag and drop), and status polling.
"use strict";
const studio = (function () {
  const csrf = document.querySelector('meta[name="csrf-token"]').content;

  async function call(url, options) {
    const res = await fetch(url, { credentials: "same-origin", ...options,
      headers: { "X-CSRF-Token": csrf, ...(options && options.headers) } });
    let data;
    try { data = await res.json(); } catch (_) { data = { error: { code: res.status, message: `HTTP ${res.status}` } }; }
    if (!res.ok && !data.error) data = { error: { code: res.status, message: data.message || `HTTP ${res.status}` } };
    return data;
  }

  const json = (url, body) => call(url, { method: "POST", body: JSON.stringify(body),
    headers: { "Content-Type": "application/json" } });
  const upload = (url, file) => call(url, { method: "POST", body: file,
    headers: { "Content-Type": file.type || "application/octet-stream" } });

  function poll(videoId, onStatus) {
    const tick = async () => {
      const s = await call(`/studio/api/videos/${videoId}`);
      if (s.error) return;
      onStatus(s);
      if (s.status !== "completed" && s.status !== "failed") setTimeout(tick, 700);
    };
    tick();
  }

  function dropzone(zone) {
    const input = zone.querySelector('input[type="file"]');
    const status = zone.querySelector('[role="status"]');
    const errorBox = document.getElementById(zone.id.replace("-drop", "-error"));
    async function send(file) {
      errorBox.hidden = true;
      status.textContent = `Uploading ${file.name}…`;
      const res = await upload(`${zone.dataset.upload}?name=${encodeURIComponent(file.name)}`, file);
      if (res.error) {
        status.textContent = "";
        errorBox.textContent = res.error.message;
        errorBox.hidden = false;
        return;
      }
      status.textContent = "Uploaded.";
      const id = res.id || res.avatar_id || "";
      window.location.assign(`${window.location.pathname}?uploaded=${encodeURIComponent(id)}`);
    }
    input.addEventListener("change", () => { if (input.files[0]) send(input.files[0]); });
    zone.addEventListener("dragover", e => { e.preventDefault(); zone.classList.add("over"); });
    zone.addEventListener("dragleave", () => zone.classList.remove("over"));
    zone.addEventListener("drop", e => {
      e.preventDefault();
      zone.classList.remove("over");
      if (e.dataTransfer.files[0]) send(e.dataTransfer.files[0]);
    });
  }

  function videoPage(view) {
    const id = view.dataset.videoId;
    const $ = sel => document.getElementById(sel);
    poll(id, s => {
      $("progress").value = s.progress;
      $("progress").textContent = `${s.progress}%`;
      $("progress-text").textContent = `${s.progress}%`;
      $("stage").textContent = s.stage;
      if (s.status === "failed") {
        $("progress-box").hidden = true;
        $("error-code").textContent = s.error.code;
        $("error-message").textContent = s.error.message;
        $("failure").hidden = false;
      } else if (s.status === "completed") {
        $("progress-box").hidden = true;
        const player = $("player");
        if (!player.getAttribute("src")) { player.poster = s.thumbnail_url || ""; player.src = s.video_url; }
        document.querySelectorAll("[data-out]").forEach(a => {
          const url = s[a.dataset.out];
          a.parentElement.hidden = !url;
          if (url) a.href = url;
        });
        $("duration").textContent = s.duration ? s.duration.toFixed(2) : "";
        $("result").hidden = false;
      }
    });
  }

  function trainingRows() {
    const rows = document.querySelectorAll("tr[data-poll]");
    if (!rows.length) return;
    const tick = async () => {
      let changed = false;
      for (const row of rows) {
        const s = await call(`/studio/api/avatars/${row.dataset.avatarId}`);
        const bar = row.querySelector("progress");
        if (bar && !s.error) { bar.value = s.progress; }
        if (s.train_status === "ready" || s.train_status === "failed") changed = true;
      }
      if (changed) window.location.reload(); else setTimeout(tick, 2000);
    };
    setTimeout(tick, 2000);
  }

  document.addEventListener("DOMContentLoaded", () => {
    document.querySelectorAll(".dropzone").forEach(dropzone);
    const view = document.getElementById("video-view");
    if (view && !["completed", "failed"].includes(view.dataset.status)) videoPage(view);
    trainingRows();
  });

  return { json, upload, poll, call };
})();
