// The create page: a scenes editor whose state is turned into exactly the JSON of POST /v2/video/generate.
"use strict";
(function () {
  const cat = JSON.parse(document.getElementById("catalogue").textContent);
  const MAX_SCENES = 50;
  const DEFAULT_VOICE = "piper.en_US-joe-medium";
  const list = document.getElementById("scenes");
  const template = document.getElementById("scene-template");
  const form = document.getElementById("create-form");
  let uid = 0;
  let requestFormat = "json";

  const languages = [...new Set(cat.voices.map(v => v.language))].sort();
  const voiceById = Object.fromEntries(cat.voices.map(v => [v.voice_id, v]));

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    for (const [k, v] of Object.entries(attrs || {})) e.setAttribute(k, v);
    if (text !== undefined) e.textContent = text;
    return e;
  }

  function field(li, name) { return li.querySelector(`[data-f="${name}"]`); }

  function fillVoices(li, keep) {
    const lang = field(li, "lang").value, gender = field(li, "gender").value;
    const sel = field(li, "voice");
    const current = keep || sel.value;
    sel.replaceChildren();
    const matches = cat.voices.filter(v => (!lang || v.language === lang) && (!gender || v.gender.toLowerCase() === gender));
    for (const v of matches) sel.append(el("option", { value: v.voice_id }, `${v.name} (${v.language}, ${v.gender})`));
    if (matches.some(v => v.voice_id === current)) sel.value = current;
    if (!matches.length) sel.append(el("option", { value: "" }, "No voice matches"));
  }

  function fillAssets(li) {
    const type = field(li, "bg-type").value;
    const sel = field(li, "bg-asset");
    const current = sel.value;
    sel.replaceChildren(el("option", { value: "" }, cat.assets.some(a => a.type === type) ? "Choose…" : "No " + type + " assets: upload one"));
    for (const a of cat.assets.filter(a => a.type === type)) sel.append(el("option", { value: a.id }, a.name));
    sel.value = current;
    if (sel.selectedIndex < 0) sel.selectedIndex = 0;
  }

  function showBackground(li) {
    const type = field(li, "bg-type").value;
    li.querySelectorAll("[data-show]").forEach(d => {
      d.hidden = d.dataset.show === "color" ? type !== "color" : type === "color";
    });
    if (type !== "color") fillAssets(li);
  }

  function updateCount(li) {
    const n = field(li, "script").value.length;
    const out = li.querySelector('[data-o="count"]');
    out.textContent = `${n} / ${cat.max_text} characters`;
    out.classList.toggle("over", n > cat.max_text);
  }

  function buildPresenters(li, id) {
    const grid = li.querySelector(".presenter-grid");
    let group = null, box = null;
    cat.presenters.forEach((p, i) => {
      if (p.group !== group) {
        group = p.group;
        grid.append(el("p", { class: "group-name" }, group));
        box = el("div", { class: "cards" });
        grid.append(box);
      }
      const inputId = `s${id}-p${i}`;
      const input = el("input", { type: "radio", name: `presenter-${id}`, id: inputId, value: String(i) });
      if (i === 0) input.checked = true;
      const label = el("label", { for: inputId, class: "presenter" });
      const img = el("img", { src: p.image, alt: "", loading: "lazy", width: "96", height: "96" });
      label.append(img, el("span", {}, p.name));
      box.append(input, label);
    });
  }

  function addScene(copyFrom) {
    if (list.children.length >= MAX_SCENES) return;
    const id = ++uid;
    const li = template.content.firstElementChild.cloneNode(true);
    li.dataset.uid = id;
    li.querySelectorAll("[data-f]").forEach(f => { f.id = `s${id}-${f.dataset.f}`; });
    li.querySelectorAll("label[data-for]").forEach(l => { l.htmlFor = `s${id}-${l.dataset.for}`; });
    buildPresenters(li, id);
    const lang = field(li, "lang");
    lang.append(el("option", { value: "" }, "Any"));
    for (const l of languages) lang.append(el("option", { value: l }, l));
    fillVoices(li, DEFAULT_VOICE);
    field(li, "script").value = copyFrom ? "" : "Hello! This video was made in the talkframe studio.";
    list.append(li);
    wire(li);
    updateCount(li);
    renumber();
    return li;
  }

  function wire(li) {
    field(li, "lang").addEventListener("change", () => fillVoices(li));
    field(li, "gender").addEventListener("change", () => fillVoices(li));
    field(li, "script").addEventListener("input", () => updateCount(li));
    field(li, "bg-type").addEventListener("change", () => showBackground(li));
    for (const name of ["speed", "pitch"]) {
      field(li, name).addEventListener("input", e => { li.querySelector(`[data-o="${name}"]`).textContent = e.target.value; });
    }
    li.querySelector(".presenter-grid").addEventListener("change", e => {
      const p = cat.presenters[Number(e.target.value)];
      if (p && p.voice && voiceById[p.voice]) {
        field(li, "lang").value = ""; field(li, "gender").value = "";
        fillVoices(li, p.voice);
      }
    });
    field(li, "bg-upload").addEventListener("change", async e => {
      const file = e.target.files[0];
      if (!file) return;
      const res = await studio.upload("/studio/api/assets?name=" + encodeURIComponent(file.name), file);
      if (res.error) { showError(res.error.message); return; }
      cat.assets.unshift({ id: res.id, name: res.name, type: res.file_type, url: res.url });
      field(li, "bg-type").value = res.file_type === "video" ? "video" : "image";
      showBackground(li);
      field(li, "bg-asset").value = res.id;
      refreshRequest();
    });
    li.addEventListener("click", e => {
      const act = e.target.closest("[data-act]");
      if (!act) return;
      const a = act.dataset.act;
      if (a === "remove" && list.children.length > 1) { li.remove(); renumber(); }
      else if (a === "up" && li.previousElementSibling) { list.insertBefore(li, li.previousElementSibling); renumber(); act.focus(); }
      else if (a === "down" && li.nextElementSibling) { list.insertBefore(li.nextElementSibling, li); renumber(); act.focus(); }
      else if (a === "pause") insertPause(li);
      else if (a === "play") playVoice(li);
      else if (a === "preview") preview(li);
      refreshRequest();
    });
  }

  function insertPause(li) {
    const ta = field(li, "script");
    const tag = `<break time="${field(li, "pause-len").value}"/>`;
    const start = ta.selectionStart ?? ta.value.length, end = ta.selectionEnd ?? start;
    ta.value = ta.value.slice(0, start) + " " + tag + " " + ta.value.slice(end);
    const pos = start + tag.length + 2;
    ta.focus();
    ta.setSelectionRange(pos, pos);
    updateCount(li);
  }

  let audio = null;
  function playVoice(li) {
    const v = voiceById[field(li, "voice").value];
    if (!v) return;
    if (audio) audio.pause();
    audio = new Audio(v.preview_audio);
    audio.play().catch(() => showError("The voice sample could not be played."));
  }

  function renumber() {
    [...list.children].forEach((li, i) => {
      li.querySelector(".scene-title").textContent = `Scene ${i + 1}`;
      li.setAttribute("aria-label", `Scene ${i + 1}`);
      li.querySelectorAll("[data-act]").forEach(b => {
        const base = { up: "Move up", down: "Move down", remove: "Remove", preview: "Preview 2 s", play: "Play sample", pause: "Insert pause" }[b.dataset.act];
        b.setAttribute("aria-label", `${base}: scene ${i + 1}`);
      });
      li.querySelector('[data-act="up"]').disabled = i === 0;
      li.querySelector('[data-act="down"]').disabled = i === list.children.length - 1;
      li.querySelector('[data-act="remove"]').disabled = list.children.length === 1;
    });
    document.getElementById("add-scene").disabled = list.children.length >= MAX_SCENES;
    document.getElementById("scene-count").textContent = `${list.children.length} of ${MAX_SCENES} scenes`;
    refreshRequest();
  }

  function dimension() {
    const short = Number(document.getElementById("resolution").value);
    const aspect = form.querySelector('input[name="aspect"]:checked').value;
    const long = Math.round(short * 16 / 9 / 2) * 2;
    if (aspect === "16:9") return { width: long, height: short };
    if (aspect === "9:16") return { width: short, height: long };
    return { width: short, height: short };
  }

  function sceneJson(li) {
    const p = cat.presenters[Number(li.querySelector(".presenter-grid input:checked").value)];
    const character = p.kind === "talking_photo"
      ? { type: "talking_photo", talking_photo_id: p.id }
      : { type: "avatar", avatar_id: p.id, avatar_style: "normal" };
    const voice = { type: "text", input_text: field(li, "script").value, voice_id: field(li, "voice").value };
    const speed = Number(field(li, "speed").value), pitch = Number(field(li, "pitch").value);
    if (speed !== 1) voice.speed = speed;
    if (pitch !== 0) voice.pitch = pitch;
    if (field(li, "emotion").value) voice.emotion = field(li, "emotion").value;
    const type = field(li, "bg-type").value;
    let background;
    if (type === "color") background = { type: "color", value: field(li, "bg-color").value };
    else {
      background = { type, fit: field(li, "bg-fit").value };
      background[type === "image" ? "image_asset_id" : "video_asset_id"] = field(li, "bg-asset").value;
    }
    const scene = { character, voice, background };
    const overlay = field(li, "overlay").value.trim();
    if (overlay) scene.text = { type: "text", text: overlay, position: { x: 0.5, y: 0.9 }, text_align: "center" };
    return scene;
  }

  function requestJson() {
    const body = { video_inputs: [...list.children].map(sceneJson), dimension: dimension() };
    const title = document.getElementById("title").value.trim();
    if (title) body.title = title;
    if (document.getElementById("captions").checked) body.caption = true;
    if (document.getElementById("test-mode").checked) body.test = true;
    const folder = document.getElementById("folder-id").value;
    if (folder) body.folder_id = folder;
    return body;
  }

  function code(body) {
    const json = JSON.stringify(body, null, 2);
    if (requestFormat === "curl") {
      return `curl -s -X POST ${cat.base_url}/v2/video/generate \\\n  -H "X-Api-Key: $TALKFRAME_API_KEY" -H 'Content-Type: application/json' \\\n  -d '${json.replace(/'/g, "'\\''")}'`;
    }
    if (requestFormat === "python") {
      return `import json, os, urllib.request\n\nbody = json.loads(r'''${json}''')\nreq = urllib.request.Request("${cat.base_url}/v2/video/generate", data=json.dumps(body).encode(),\n    headers={"X-Api-Key": os.environ["TALKFRAME_API_KEY"], "Content-Type": "application/json"})\nprint(json.load(urllib.request.urlopen(req))["data"]["video_id"])`;
    }
    return json;
  }

  function refreshRequest() {
    const d = dimension();
    document.getElementById("dimension-text").textContent = `${d.width} × ${d.height}`;
    document.querySelector("#request-code code").textContent = code(requestJson());
  }

  function showError(message, fields) {
    const box = document.getElementById("generate-error");
    box.textContent = message + (fields && fields.length ? " — " + fields.map(f => `${f.field}: ${f.message}`).join("; ") : "");
    box.hidden = false;
  }

  async function submit(body) {
    document.getElementById("generate-error").hidden = true;
    const res = await studio.json("/studio/api/generate", body);
    if (res.error) { showError(res.error.message, res.error.fields); return null; }
    return res.video_id;
  }

  async function preview(li) {
    const scene = sceneJson(li);
    const text = scene.voice.input_text.replace(/<break[^>]*>/g, " ").trim();
    const words = text.split(/\s+/);
    let short = "";
    for (const w of words) { if ((short + " " + w).trim().length > 32) break; short = (short + " " + w).trim(); }
    scene.voice.input_text = short || text.slice(0, 32);
    const d = dimension(), k = 180 / Math.min(d.width, d.height);
    const even = x => Math.max(128, Math.round(x * k / 2) * 2);
    const body = { title: "Preview", test: true, video_inputs: [scene], dimension: { width: even(d.width), height: even(d.height) } };
    const panel = document.getElementById("preview-panel");
    const status = document.getElementById("preview-status");
    const player = document.getElementById("preview-player");
    panel.hidden = false; player.hidden = true;
    status.textContent = "Rendering a 2-second preview…";
    const id = await submit(body);
    if (!id) { status.textContent = "The preview could not start."; return; }
    studio.poll(id, s => {
      if (s.status === "completed") {
        status.textContent = "Preview ready.";
        player.poster = s.thumbnail_url || "";
        player.src = s.video_url;
        player.hidden = false;
      }
      else if (s.status === "failed") status.textContent = `Preview failed: ${s.error.message} (${s.error.code})`;
      else status.textContent = `Rendering a 2-second preview… ${s.progress}%`;
    });
  }

  form.addEventListener("input", refreshRequest);
  form.addEventListener("change", refreshRequest);
  form.addEventListener("submit", async e => {
    e.preventDefault();
    const button = document.getElementById("generate");
    button.disabled = true;
    const id = await submit(requestJson());
    button.disabled = false;
    if (id) window.location.assign(`/studio/videos/${id}`);
  });
  document.getElementById("add-scene").addEventListener("click", () => {
    const li = addScene(true);
    if (li) field(li, "script").focus();
  });
  document.querySelectorAll("[role=tab]").forEach(tab => tab.addEventListener("click", () => {
    requestFormat = tab.id.replace("tab-", "");
    document.querySelectorAll("[role=tab]").forEach(t => t.setAttribute("aria-selected", String(t === tab)));
    refreshRequest();
  }));
  document.getElementById("copy-request").addEventListener("click", () => {
    const text = document.querySelector("#request-code code").textContent;
    if (navigator.clipboard) navigator.clipboard.writeText(text).catch(() => {});
  });
  addScene(false);
})();
