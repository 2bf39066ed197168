document.documentElement.classList.add("js");
document.addEventListener("DOMContentLoaded", function () {
  var lang = document.getElementById("f-lang"), code = document.getElementById("f-code");
  function apply() {
    var l = lang ? lang.value : "", c = code ? code.value : "";
    document.querySelectorAll("[data-lang]").forEach(function (el) {
      var codes = " " + (el.getAttribute("data-flags") || "") + " ";
      var show = (!l || el.getAttribute("data-lang") === l) && (!c || el.hasAttribute("data-section") || codes.indexOf(" " + c + " ") >= 0);
      el.classList.toggle("hidden", !show);
    });
  }
  if (lang) lang.addEventListener("change", apply);
  if (code) code.addEventListener("change", apply);
  var query = new URLSearchParams(window.location.search);
  if (lang && query.get("lang")) lang.value = query.get("lang");
  if (code && query.get("flag")) code.value = query.get("flag");
  if (query.get("lang") || query.get("flag")) apply();
  document.querySelectorAll("th[data-sort]").forEach(function (th) {
    th.addEventListener("click", function () {
      var table = th.closest("table"), body = table.tBodies[0], col = th.cellIndex;
      var asc = th.getAttribute("data-dir") !== "asc";
      th.setAttribute("data-dir", asc ? "asc" : "desc");
      Array.prototype.slice.call(body.rows).sort(function (a, b) {
        var x = parseFloat(a.cells[col].getAttribute("data-value")), y = parseFloat(b.cells[col].getAttribute("data-value"));
        return asc ? x - y : y - x;
      }).forEach(function (row) { body.appendChild(row); });
    });
  });
});
/* Editors' verdicts on flags: kept in this browser (localStorage, keyed by report and flag) until
   "Download verdicts" saves verdicts.json, which the next run takes with --verdicts. No network. */
document.addEventListener("DOMContentLoaded", function () {
  var bar = document.getElementById("verdicts"), store = null;
  if (!bar) return;
  try { store = window.localStorage; store.getItem("backtrans"); } catch (e) { store = null; }
  if (!store) { bar.textContent = "Verdicts need a browser that keeps local storage for this page."; return; }
  var report = bar.getAttribute("data-report"), prefix = "backtrans-verdict:" + report + ":";
  function read(key) {
    try { return JSON.parse(store.getItem(prefix + key) || "null"); } catch (e) { return null; }
  }
  function all() {
    var out = [];
    for (var i = 0; i < store.length; i++) {
      var name = store.key(i);
      if (name && name.indexOf(prefix) === 0) {
        var item = read(name.slice(prefix.length));
        if (item && item.verdict) out.push(item);
      }
    }
    return out.sort(function (a, b) { return a.time < b.time ? -1 : a.time > b.time ? 1 : 0; });
  }
  function paint(el) {
    var item = read(el.getAttribute("data-key")), verdict = item ? item.verdict : "";
    el.querySelectorAll("button[data-verdict]").forEach(function (b) {
      var on = verdict === b.getAttribute("data-verdict");
      b.setAttribute("aria-pressed", on ? "true" : "false");
      b.classList.toggle("on", on);
    });
    var row = el.closest("tr, li");
    if (row) {
      row.classList.toggle("v-error", verdict === "error");
      row.classList.toggle("v-not-error", verdict === "not_error");
    }
    var note = el.querySelector("input.v-note");
    if (note && document.activeElement !== note) note.value = item ? item.note || "" : "";
  }
  function count() {
    var n = all().length;
    document.getElementById("verdict-count").textContent = n ? n + " verdict(s) in this browser" : "no verdicts yet";
  }
  function save(el, verdict) {
    var key = el.getAttribute("data-key");
    store.setItem(prefix + key, JSON.stringify({
      article: el.getAttribute("data-article"),
      lang: el.getAttribute("data-vlang"),
      code: el.getAttribute("data-code"),
      segments: (el.getAttribute("data-segments") || "").split(" ").filter(Boolean),
      key: key,
      verdict: verdict,
      note: el.querySelector("input.v-note").value,
      time: new Date().toISOString(),
      evidence: el.getAttribute("data-evidence"),
      message: el.getAttribute("data-message")
    }));
    document.querySelectorAll(".verdict").forEach(function (other) {
      if (other.getAttribute("data-key") === key) paint(other);
    });
    count();
  }
  document.querySelectorAll(".verdict").forEach(function (el) {
    var key = el.getAttribute("data-key");
    paint(el);
    el.querySelectorAll("button[data-verdict]").forEach(function (b) {
      b.addEventListener("click", function () {
        var now = read(key), verdict = b.getAttribute("data-verdict");
        save(el, now && now.verdict === verdict ? "" : verdict);
      });
    });
    el.querySelector("input.v-note").addEventListener("change", function () {
      var now = read(key);
      save(el, now ? now.verdict : "");
    });
  });
  document.getElementById("download-verdicts").addEventListener("click", function () {
    var data = { format: "backtrans-verdicts", version: 1, report: report, saved: new Date().toISOString(), verdicts: all() };
    var link = document.createElement("a");
    link.href = URL.createObjectURL(new Blob([JSON.stringify(data, null, 1) + "\n"], { type: "application/json" }));
    link.download = "verdicts.json";
    document.body.appendChild(link);
    link.click();
    setTimeout(function () { URL.revokeObjectURL(link.href); link.remove(); }, 1000);
  });
  count();
});
