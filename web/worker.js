// The page's worker: the library (kaiin.js, emscripten's output, follows this file
// in the same script) runs here, off the page's thread, so that the page stays
// responsive and draws its progress bar while a big file is checked.
//
// Why a worker: a page opened from a file has no SharedArrayBuffer, so the library
// runs on one thread, and it reads its input with read() as the programs do. In a
// worker, emscripten's WORKERFS serves read() from the File itself with
// FileReaderSync, a slice (File.slice) at a time: the file is never read whole into
// memory, and 1,000,000 members fit. (Asyncify would let the library wait for the
// page's asynchronous reads on the page's own thread instead, but makes the code
// larger and slower, and the page would freeze between reads.) A worker made from a
// blob: URL is allowed from a file:// page, and the page's Content-Security-Policy
// names blob: for workers.
//
// Messages from the page: {job: "check" | "fix" | "conv", file, current, to}.
// To the page: {type: "ready", version}, {type: "progress", done, total},
// {type: "done", job, status, error, report, outputs: [{name, bytes}], seconds}.
//
// Everything but Module is inside a function: emscripten's script, which follows in
// the same scope, has globals of its own (run, out, err...).
(() => {
"use strict";

self.Module = {
  // The language the page chose (the worker's name): messages as the programs give
  // them under that locale.
  preRun: [() => {
    ENV.LANG = self.name === "ja" ? "ja_JP.UTF-8" : "C.UTF-8";
  }],
  // The wasm is in the script (SINGLE_FILE); emscripten would fetch() its data: URL
  // first, which the page's connect-src 'none' refuses: it is decoded here instead,
  // and nothing is fetched.
  instantiateWasm: (imports, receive) => {
    WebAssembly.instantiate(tryParseAsDataURI(wasmBinaryFile), imports).then((r) => receive(r.instance));
    return {};
  },
  onRuntimeInitialized: () => {
    FS.mkdir("/in");
    FS.mkdir("/work");
    watchReads();
    postMessage({type: "ready", version: Module.ccall("kaiin_version", "string", [], [])});
  },
  print: () => {},
  printErr: () => {},
};

// Progress: the bytes read of the inputs, posted a few times a second. A rewind
// (the encoding is detected, then the file read again) reads bytes twice, and the
// total grows by them, as the programs' progress line counts them.
let progress = null;

function watchReads() {
  const read = WORKERFS.stream_ops.read;
  WORKERFS.stream_ops.read = function (stream, buffer, offset, length, position) {
    const n = read.call(this, stream, buffer, offset, length, position);
    if (progress) {
      const last = progress.end.get(stream.node) || 0;
      if (position < last) progress.total += last - position;
      progress.end.set(stream.node, position + n);
      progress.done += n;
      const now = performance.now();
      if (now - progress.posted > 100) {
        progress.posted = now;
        postMessage({type: "progress", done: progress.done, total: progress.total});
      }
    }
    return n;
  };
}

// The inputs of a job, each in a folder of its own (WORKERFS: a File as a file), and
// a link to it by its own name in /work, where the job runs: the report names the
// file as the user knows it, and the outputs land beside it.
function mountInputs(files) {
  for (const entry of FS.readdir("/work")) {
    if (entry !== "." && entry !== "..") FS.unlink("/work/" + entry);
  }
  for (const dir of FS.readdir("/in")) {
    if (dir === "." || dir === "..") continue;
    FS.unmount("/in/" + dir);
    FS.rmdir("/in/" + dir);
  }
  const names = [];
  files.forEach((file, i) => {
    if (!file) {
      names.push("");
      return;
    }
    const dir = "/in/" + i;
    FS.mkdir(dir);
    FS.mount(WORKERFS, {files: [file]}, dir);
    const name = names.includes(file.name) ? dir + "/" + file.name : file.name;
    if (name === file.name) FS.symlink(dir + "/" + file.name, "/work/" + file.name);
    names.push(name);
  });
  FS.chdir("/work");
  return names;
}

// "members.csv" -> "members_fixed.csv".
function beside(name, suffix) {
  const dot = name.lastIndexOf(".");
  return dot > 0 ? name.slice(0, dot) + suffix + name.slice(dot) : name + suffix + ".csv";
}

const REPORT = "/tmp/kaiin-report";

function runJob(job) {
  const [file, current] = mountInputs([job.file, job.current]);
  let outputs = [];
  progress = {done: 0, total: job.file.size + (job.current ? job.current.size : 0), end: new Map(), posted: 0};
  const started = performance.now();
  let status;
  if (job.job === "check") {
    status = Module.ccall("kaiin_check", "number", ["string", "string", "string"], [file, current, REPORT]);
  } else if (job.job === "fix") {
    outputs = [beside(job.file.name, "_fixed"), beside(job.file.name, "_changes")];
    status = Module.ccall("kaiin_fix", "number", ["string", "string", "string", "string", "string"],
                          [file, current, outputs[0], outputs[1], REPORT]);
  } else {
    outputs = [beside(job.file.name, job.to === "cp932" ? "_cp932" : "_utf8")];
    status = Module.ccall("kaiin_conv", "number", ["string", "string", "string", "string"],
                          [file, job.to, outputs[0], REPORT]);
  }
  const seconds = (performance.now() - started) / 1000;
  progress = null;
  const result = {type: "done", job: job.job, status, seconds, outputs: [],
                  error: Module.ccall("kaiin_error", "string", [], [])};
  if (FS.analyzePath(REPORT).exists) {
    result.report = FS.readFile(REPORT, {encoding: "utf8"});
    FS.unlink(REPORT);
  }
  const transfer = [];
  for (const name of outputs) {
    if (!FS.analyzePath("/work/" + name).exists) continue;  // nothing written: the job failed
    const bytes = FS.readFile("/work/" + name);
    FS.unlink("/work/" + name);
    result.outputs.push({name, bytes});
    transfer.push(bytes.buffer);
  }
  postMessage(result, transfer);
}

onmessage = (e) => {
  try {
    runJob(e.data);
  } catch (err) {
    progress = null;
    postMessage({type: "done", job: e.data.job, status: 2, outputs: [], error: String(err)});
  }
};
})();
