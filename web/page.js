// The page's script: what the user sees and does. The library runs in a worker
// (worker.js); this script hands it the files the user gives, shows its progress and
// its report, and offers what it wrote for download. Nothing is sent anywhere: the
// page's Content-Security-Policy (connect-src 'none') would refuse it anyway.
"use strict";

// The page's words in the browser's language: Japanese where the first of the
// browser's languages kaiin has is Japanese (po/ja.po, made a table at build time).
const words = JSON.parse(document.getElementById("words").textContent);
const languages = navigator.languages && navigator.languages.length ? navigator.languages : [navigator.language || ""];
const spoken = languages.find((l) => /^(ja|en)(-|$)/i.test(l)) || "en";
const japanese = spoken.toLowerCase().startsWith("ja");
function _(msgid) {
  return (japanese && words[msgid]) || msgid;
}
// "{} of {}" with its arguments, in order.
function format(text, ...args) {
  let i = 0;
  return text.replace(/\{\}/g, () => args[i++]);
}

const $ = (id) => document.getElementById(id);
document.documentElement.lang = japanese ? "ja" : "en";
document.title = _("kaiin: check a member file");
$("title").textContent = _("kaiin: check a member file");
$("privacy").textContent = _("Your file never leaves this PC: kaiin runs inside this page, which works offline " +
                             "and sends nothing anywhere.");
$("drop-text").textContent = _("Drop a member CSV here (CP932 or UTF-8, as the admin screen or Excel saved it), " +
                               "or choose it:");
$("file-label").textContent = _("Member file");
$("current-label").textContent = _("The shop's current member export (optional)");
$("check").textContent = _("Check");
$("fix").textContent = _("Fix");
$("to-utf8").textContent = _("Convert to UTF-8");
$("to-cp932").textContent = _("Convert to CP932");
$("offline").textContent = _("works offline");
// The date of Japan Post's table in the page (make_page.py puts it there), if it has one.
if ($("postal").dataset.date) {
  $("postal").textContent = " · " + format(_("postal codes: Japan Post, {}"), $("postal").dataset.date);
  $("postal").hidden = false;
}
$("version").textContent = _("Loading kaiin…");
$("report").title = _("Report");

const worker = new Worker(URL.createObjectURL(new Blob([$("worker-source").textContent], {type: "text/javascript"})),
                          {name: japanese ? "ja" : "en"});
let ready = false, busy = false, file = null, current = null, links = [];
let again = false;  // a file given while a job ran: checked once it ends

function enable() {
  for (const id of ["check", "fix", "to-utf8", "to-cp932"]) $(id).disabled = !ready || busy || !file;
}

function start(job) {
  if (!file) return;
  busy = true;
  enable();
  for (const url of links) URL.revokeObjectURL(url);
  links = [];
  $("downloads").replaceChildren();
  $("report").hidden = true;
  $("status").className = "";
  $("status").textContent = format(_("Working on {}…"), file.name);
  $("time").textContent = "";
  $("progress").value = 0;
  $("progress").hidden = false;
  worker.postMessage({job, file, current, to: job === "conv-cp932" ? "cp932" : "utf-8"});
}

// A link that downloads \p bytes as \p name.
function offer(label, name, bytes, type) {
  const url = URL.createObjectURL(new Blob([bytes], {type}));
  links.push(url);
  const a = document.createElement("a");
  a.href = url;
  a.download = name;
  a.textContent = format(label, name);
  $("downloads").append(a);
}

const OUTCOME = {
  check: [_("No errors: the file is ready to upload. Warnings, if any, are in the report."),
          _("The file has errors: the report lists each, with its line and column.")],
  fix: [_("Fixed: download the fixed copy and the list of changes. The copy has no errors left."),
        _("Fixed what can be fixed: download the fixed copy and the list of changes. The report lists what " +
          "remains.")],
  conv: [_("Converted: download the converted file."), _("Not converted: the report lists what stands in the way.")],
};

function show(result) {
  busy = false;
  enable();
  if (again) {
    again = false;
    start("check");
    return;
  }
  $("progress").hidden = true;
  const job = result.job.startsWith("conv") ? "conv" : result.job;
  const status = $("status");
  status.className = result.status === 0 ? "good" : "bad";
  status.textContent = result.status === 2 ? result.error : OUTCOME[job][result.status];
  if (result.seconds !== undefined) $("time").textContent = format(_("{} took {} s"), file.name, result.seconds.toFixed(2));
  const labels = job === "fix" ? [_("Download the fixed copy ({})"), _("Download the list of changes ({})")]
                               : [_("Download the converted file ({})")];
  result.outputs.forEach((o, i) => offer(labels[i], o.name, o.bytes, "text/csv"));
  if (result.report) {
    const stem = file.name.replace(/\.[^.]*$/, "");
    offer(_("Download the report ({})"), stem + "_report.html", result.report, "text/html");
    showReport(result.report);
  }
}

// The report, the page --report html writes, in a frame without scripts (sandbox),
// as tall as its page.
function showReport(html) {
  const frame = $("report");
  frame.onload = () => {
    frame.style.height = frame.contentDocument.documentElement.scrollHeight + 24 + "px";
  };
  frame.srcdoc = html;
  frame.hidden = false;
}

worker.onmessage = (e) => {
  const m = e.data;
  if (m.type === "ready") {
    ready = true;
    $("version").textContent = "kaiin " + m.version;
    enable();
    check();
  } else if (m.type === "progress") {
    $("progress").value = m.total ? m.done / m.total : 0;
  } else if (m.type === "done") {
    show(m);
  }
};
worker.onerror = (e) => {
  $("status").className = "bad";
  $("status").textContent = e.message;
};

// A file given (chosen or dropped) is checked at once; so is the file again when
// the shop's export is given after it.
function check() {
  if (!file || !ready) return;
  if (busy) again = true;
  else start("check");
}

function choose(f) {
  file = f;
  enable();
  check();
}

$("file").onchange = (e) => choose(e.target.files[0] || null);
$("current").onchange = (e) => {
  current = e.target.files[0] || null;
  check();
};
$("check").onclick = () => start("check");
$("fix").onclick = () => start("fix");
$("to-utf8").onclick = () => start("conv-utf8");
$("to-cp932").onclick = () => start("conv-cp932");

const drop = $("drop");
drop.ondragover = (e) => {
  e.preventDefault();
  drop.classList.add("over");
};
drop.ondragleave = () => drop.classList.remove("over");
drop.ondrop = (e) => {
  e.preventDefault();
  drop.classList.remove("over");
  if (e.dataTransfer.files.length) choose(e.dataTransfer.files[0]);
};
