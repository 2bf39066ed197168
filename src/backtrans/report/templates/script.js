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
