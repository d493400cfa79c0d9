/**
 * The page script that draws the time charts (roles, zxids, operations, traffic) from the JSON the
 * report embeds, for the time window the reader picks: drag on the overview or a chart to select,
 * buttons and ctrl+wheel to zoom and pan, a click to find that moment in the space-time diagram.
 * Drawn in the browser so that zooming redraws only what the window holds. Plain ES5, no libraries.
 */
export const CHARTS_JS = `
(function () {
  var holder = document.getElementById("charts");
  var dataEl = document.getElementById("report-data");
  if (!holder || !dataEl) return;
  var D = JSON.parse(dataEl.textContent);
  var END = Math.max(1, D.endUs);
  var win = { t0: 0, t1: END };
  var svg = document.getElementById("timecharts");
  var label = document.getElementById("window-label");
  var NS = "http://www.w3.org/2000/svg";
  var GUT = 96, RIGHT = 16;
  var STATE_COLOUR = { LOOKING: "#f9a825", FOLLOWING: "#1e88e5", LEADING: "#2e7d32", OBSERVING: "#8e24aa" };
  var PHASE_OPACITY = { ELECTION: 0.45, DISCOVERY: 0.5, SYNCHRONIZATION: 0.7, BROADCAST: 1 };
  var PALETTE = ["#1f77b4", "#2ca02c", "#9467bd", "#8c564b", "#e377c2", "#17becf", "#bcbd22", "#7f7f7f", "#ff7f0e", "#3949ab"];

  function esc(s) { return String(s).replace(/&/g, "&amp;").replace(/</g, "&lt;").replace(/>/g, "&gt;").replace(/"/g, "&quot;"); }
  function fmt(us) {
    var a = Math.abs(us);
    if (a >= 1e6) return (us / 1e6).toFixed(a >= 1e7 ? 2 : 3).replace(/\\.?0+$/, "") + "s";
    if (a >= 1e3) return (us / 1e3).toFixed(a >= 1e4 ? 1 : 3).replace(/\\.?0+$/, "") + "ms";
    return us === 0 ? "0" : Math.round(us) + "\\u00b5s";
  }
  function width() { return Math.max(480, holder.clientWidth - 2); }
  function xOf(t, W) { return GUT + ((t - win.t0) / (win.t1 - win.t0)) * (W - GUT - RIGHT); }
  function tOf(x, W) { return win.t0 + ((x - GUT) / (W - GUT - RIGHT)) * (win.t1 - win.t0); }
  function clampWin(t0, t1) {
    var span = Math.max(20, Math.min(END, t1 - t0));
    if (t0 < 0) t0 = 0;
    if (t0 + span > END) t0 = END - span;
    win.t0 = Math.max(0, t0); win.t1 = win.t0 + span;
  }
  function ticks(W) {
    var span = win.t1 - win.t0, want = Math.max(2, Math.floor((W - GUT) / 110));
    var raw = span / want, p = Math.pow(10, Math.floor(Math.log(raw) / Math.LN10)), step = p;
    [1, 2, 5, 10].forEach(function (m) { if (p * m <= raw * 1.0001) step = p * m; });
    if (step < raw) step = step * 2;
    var out = [];
    for (var t = Math.ceil(win.t0 / step) * step; t <= win.t1; t += step) out.push(t);
    return out;
  }
  function clip(from, to, W) {
    var a = Math.max(from, win.t0), b = Math.min(to === null || to < 0 ? END : to, win.t1);
    if (b < a) return null;
    return [xOf(a, W), Math.max(xOf(b, W) - xOf(a, W), 1)];
  }

  function draw() {
    var W = width(), out = [], y = 0, i, j;
    svg.setAttribute("width", String(W));
    // The overview: the whole run, its traffic, the violations and the window.
    var ov = D.traffic, oh = 34, maxB = 1;
    var tot = ov.sends.map(function (r, b) { return r.reduce(function (s, v) { return s + v; }, 0) + (ov.drops[b] || 0); });
    tot.forEach(function (v) { if (v > maxB) maxB = v; });
    var full = function (t) { return GUT + (t / END) * (W - GUT - RIGHT); };
    out.push('<g class="overview"><rect class="ov-bg" x="' + GUT + '" y="0" width="' + (W - GUT - RIGHT) + '" height="' + oh + '"/>');
    tot.forEach(function (v, b) {
      if (!v) return;
      var h = Math.max(1, (v / maxB) * (oh - 4));
      out.push('<rect class="ov-bar" x="' + full(b * ov.bucketUs) + '" y="' + (oh - h) + '" width="' + Math.max(1, full((b + 1) * ov.bucketUs) - full(b * ov.bucketUs)) + '" height="' + h + '"/>');
    });
    D.drawn.forEach(function (s) { out.push('<rect class="ov-drawn" x="' + full(s[0]) + '" y="' + (oh - 3) + '" width="' + Math.max(1, full(s[1]) - full(s[0])) + '" height="3"><title>drawn in the space-time diagram: ' + fmt(s[0]) + ' to ' + fmt(s[1]) + '</title></rect>'); });
    D.violations.forEach(function (v) { out.push('<line class="ov-viol" x1="' + full(v[0]) + '" x2="' + full(v[0]) + '" y1="0" y2="' + oh + '"/>'); });
    out.push('<rect class="ov-win" x="' + full(win.t0) + '" y="0" width="' + Math.max(2, full(win.t1) - full(win.t0)) + '" height="' + oh + '"/>');
    out.push('<text class="pl" x="' + (GUT - 8) + '" y="' + (oh / 2 + 4) + '">whole run</text></g>');
    y = oh + 26;
    // The axis of the window.
    var axisY = y;
    ticks(W).forEach(function (t) {
      var x = xOf(t, W);
      out.push('<line class="tick" x1="' + x + '" x2="' + x + '" y1="' + (axisY - 4) + '" y2="' + axisY + '"/><text class="tl" x="' + x + '" y="' + (axisY - 8) + '">' + fmt(t) + '</text>');
    });
    var top = y;
    var grid = [];
    // Roles: a lane per server.
    if (D.servers.length > 0) {
      out.push('<text class="ph" x="4" y="' + (y + 12) + '">roles</text>');
      y += 16;
      D.servers.forEach(function (n, k) {
        var ly = y + k * 24;
        out.push('<text class="pl" x="' + (GUT - 8) + '" y="' + (ly + 15) + '">' + esc(n) + '</text><rect class="lane-bg" x="' + GUT + '" y="' + ly + '" width="' + (W - GUT - RIGHT) + '" height="20"/>');
      });
      D.bands.forEach(function (b) {
        var c = clip(b[1], b[2], W);
        if (!c) return;
        var st = D.states[b[3]], ph = D.phases[b[4]], ly = y + b[0] * 24;
        var tip = D.servers[b[0]] + " " + st + " " + ph + " epoch " + b[5] + " from " + fmt(b[1]) + " to " + (b[2] < 0 ? "the end" : fmt(b[2]));
        out.push('<rect class="band" data-node="' + esc(D.servers[b[0]]) + '" data-state="' + st + '" data-phase="' + ph + '" data-epoch="' + b[5] + '" x="' + c[0] + '" y="' + ly + '" width="' + c[1] + '" height="20" fill="' + (STATE_COLOUR[st] || "#90a4ae") + '" fill-opacity="' + (PHASE_OPACITY[ph] || 0.6) + '"><title>' + esc(tip) + '</title></rect>');
        if (c[1] > 34) {
          var text = c[1] > 120 ? st + " e" + b[5] + (ph !== "BROADCAST" && st !== "LOOKING" ? " " + ph.toLowerCase() : "") : st.charAt(0) + b[5];
          out.push('<text class="bl" x="' + (c[0] + 4) + '" y="' + (ly + 14) + '">' + esc(text) + '</text>');
        }
      });
      D.downs.forEach(function (d) {
        var c = clip(d[1], d[2], W);
        if (!c) return;
        var ly = y + d[0] * 24;
        out.push('<rect class="down" data-node="' + esc(D.servers[d[0]]) + '" x="' + c[0] + '" y="' + ly + '" width="' + c[1] + '" height="20"><title>' + esc(D.servers[d[0]] + " down from " + fmt(d[1]) + " to " + (d[2] < 0 ? "the end" : fmt(d[2]))) + '</title></rect>');
        if (c[1] > 34) out.push('<text class="bl dl" x="' + (c[0] + 4) + '" y="' + (ly + 14) + '">down</text>');
      });
      y += D.servers.length * 24 + 8;
    }
    // Zxids: last logged (dashed) and last applied (solid) per server, on the rank of the zxid.
    var Z = D.zxid;
    if (Z.series.length > 0 && Z.labels.length > 1) {
      var zh = 170, zy = y + 18, nL = Z.labels.length - 1;
      out.push('<text class="ph" x="4" y="' + (y + 12) + '">zxids</text>');
      var yOf = function (r) { return zy + zh - (r / nL) * zh; };
      out.push('<rect class="lane-bg" x="' + GUT + '" y="' + zy + '" width="' + (W - GUT - RIGHT) + '" height="' + zh + '"/>');
      var lastEpoch = null, marks = [];
      Z.labels.forEach(function (z, r) { var ep = z.length > 10 ? z.slice(0, z.length - 8) : "0x0"; if (ep !== lastEpoch) { marks.push(r); lastEpoch = ep; } });
      var every = Math.max(1, Math.ceil(nL / 6));
      for (i = 0; i <= nL; i++) {
        var isEpoch = marks.indexOf(i) >= 0;
        if (!isEpoch && i % every !== 0 && i !== nL) continue;
        var yy = yOf(i);
        out.push('<line class="' + (isEpoch ? "zep" : "zg") + '" x1="' + GUT + '" x2="' + (W - RIGHT) + '" y1="' + yy + '" y2="' + yy + '"/><text class="zl" x="' + (GUT - 6) + '" y="' + (yy + 3) + '">' + esc(Z.labels[i]) + '</text>');
      }
      Z.series.forEach(function (s, k) {
        // Servers that agree would hide each other: each is drawn a little lower than the last.
        var colour = PALETTE[k % PALETTE.length], p = s.pts, n = p.length / 3, dy = k * 2;
        var yS = function (r) { return yOf(r) + dy; };
        ["l", "c"].forEach(function (which) {
          var off = which === "l" ? 1 : 2, d = "", started = false, prev = null;
          for (j = 0; j < n; j++) {
            var t = p[3 * j], v = p[3 * j + off];
            if (t < win.t0) { prev = v; continue; }
            if (t > win.t1) break;
            if (!started) { d += "M" + GUT + " " + yS(prev === null ? v : prev); started = true; }
            d += " H" + xOf(t, W).toFixed(1) + " V" + yS(v).toFixed(1);
            prev = v;
          }
          if (prev === null) return;
          if (!started) d = "M" + GUT + " " + yS(prev);
          d += " H" + (W - RIGHT);
          out.push('<path class="zx ' + which + '" data-node="' + esc(s.node) + '" d="' + d + '" stroke="' + colour + '"><title>' + esc(s.node + (which === "l" ? " last logged" : " last applied")) + '</title></path>');
        });
        out.push('<text class="zlg" x="' + (GUT + 8 + k * 70) + '" y="' + (zy + zh + 14) + '" style="fill:' + colour + '">\\u25a0 ' + esc(s.node) + '</text>');
      });
      out.push('<text class="zlg" x="' + (GUT + 8 + Z.series.length * 70) + '" y="' + (zy + zh + 14) + '">solid: last applied, dashed: last logged</text>');
      y = zy + zh + 24;
    }
    // Operations: a lane per client (end to end) and per server (as served).
    var O = D.ops;
    if (O.lanes.length > 0) {
      out.push('<text class="ph" x="4" y="' + (y + 12) + '">operations</text>');
      y += 16;
      O.lanes.forEach(function (l, k) {
        var ly = y + k * 16;
        out.push('<text class="pl ' + l[0] + '" x="' + (GUT - 8) + '" y="' + (ly + 11) + '">' + esc(l[1] + (l[0] === "server" ? " served" : "")) + '</text><rect class="lane-bg" x="' + GUT + '" y="' + ly + '" width="' + (W - GUT - RIGHT) + '" height="13"/>');
      });
      var drawnOps = 0;
      O.ops.forEach(function (o) {
        var c = clip(o[2], o[3], W);
        if (!c) return;
        drawnOps++;
        var res = O.results[o[4]], name = O.names[o[1]];
        var cls = "op " + (res === "ok" ? "ok" : res === "lost" ? "lost" : "err") + (/^(create|set|delete|multi|setData|setACL|reconfig|check|createSession|closeSession|close)/.test(name) ? " w" : " r");
        var tip = O.lanes[o[0]][1] + " " + name + (o[5] ? " " + o[5] : "") + " -> " + res + " in " + fmt(o[3] - o[2]) + " (" + fmt(o[2]) + ")";
        out.push('<rect class="' + cls + '" data-lane="' + esc(O.lanes[o[0]][1]) + '" x="' + c[0] + '" y="' + (y + o[0] * 16 + 1) + '" width="' + Math.max(c[1], 2) + '" height="11"><title>' + esc(tip) + '</title></rect>');
      });
      y += O.lanes.length * 16 + 8;
    }
    // Traffic of the window, stacked by message type.
    var T = D.traffic;
    if (T.types.length > 0) {
      var th = 70, ty = y + 18, b0 = Math.max(0, Math.floor(win.t0 / T.bucketUs)), b1 = Math.min(T.sends.length - 1, Math.floor(win.t1 / T.bucketUs)), mx = 1;
      out.push('<text class="ph" x="4" y="' + (y + 12) + '">messages</text><rect class="lane-bg" x="' + GUT + '" y="' + ty + '" width="' + (W - GUT - RIGHT) + '" height="' + th + '"/>');
      for (i = b0; i <= b1; i++) mx = Math.max(mx, T.sends[i].reduce(function (s, v) { return s + v; }, 0) + (T.drops[i] || 0));
      out.push('<text class="zl" x="' + (GUT - 6) + '" y="' + (ty + 8) + '">' + mx + '/' + fmt(T.bucketUs) + '</text>');
      for (i = b0; i <= b1; i++) {
        var x0 = xOf(i * T.bucketUs, W), x1 = xOf((i + 1) * T.bucketUs, W), acc = 0;
        x0 = Math.max(x0, GUT); x1 = Math.min(x1, W - RIGHT);
        if (x1 <= x0) continue;
        for (j = 0; j < T.types.length; j++) {
          var v = T.sends[i][j];
          if (!v) continue;
          var h = (v / mx) * th;
          out.push('<rect x="' + x0 + '" y="' + (ty + th - acc - h) + '" width="' + Math.max(x1 - x0 - 0.5, 0.5) + '" height="' + h + '" fill="' + PALETTE[j % PALETTE.length] + '"><title>' + esc(T.types[j] + ": " + v + " sent from " + fmt(i * T.bucketUs)) + '</title></rect>');
          acc += h;
        }
        if (T.drops[i]) {
          var hd = (T.drops[i] / mx) * th;
          out.push('<rect class="drops" x="' + x0 + '" y="' + (ty + th - acc - hd) + '" width="' + Math.max(x1 - x0 - 0.5, 0.5) + '" height="' + hd + '"><title>' + esc(T.drops[i] + " dropped from " + fmt(i * T.bucketUs)) + '</title></rect>');
        }
      }
      var lx = GUT + 8, ly2 = ty + th + 14;
      T.types.concat(["dropped"]).forEach(function (t, k) {
        var w = 22 + t.length * 7.2;
        if (lx + w > W - RIGHT) { lx = GUT + 8; ly2 += 15; }
        var c = t === "dropped" && k === T.types.length ? "#c62828" : PALETTE[k % PALETTE.length];
        out.push('<text class="zlg" x="' + lx + '" y="' + ly2 + '" style="fill:' + c + '">\\u25a0 ' + esc(t) + '</text>');
        lx += w;
      });
      y = ly2 + 8;
    }
    D.violations.forEach(function (v) {
      if (v[0] < win.t0 || v[0] > win.t1) return;
      var x = xOf(v[0], W);
      var right = x > W - 160;
      grid.push('<g class="viol-line"><line x1="' + x + '" x2="' + x + '" y1="' + top + '" y2="' + y + '"/><text x="' + (right ? x - 3 : x + 3) + '" y="' + (top + 10) + '"' + (right ? ' text-anchor="end"' : "") + '>' + esc(v[1]) + '</text><title>' + esc(v[1] + " at event " + v[2] + " (" + fmt(v[0]) + ")") + '</title></g>');
    });
    out.push('<rect id="sel" class="sel" x="0" y="' + top + '" width="0" height="' + (y - top) + '" visibility="hidden"/>');
    svg.setAttribute("height", String(y + 4));
    svg.innerHTML = out.join("") + grid.join("");
    label.textContent = fmt(win.t0) + " \\u2013 " + fmt(win.t1) + (win.t0 === 0 && win.t1 === END ? " (whole run)" : "");
  }

  function setWin(t0, t1) { clampWin(t0, t1); draw(); }
  function zoom(f, at) {
    var c = at === undefined ? (win.t0 + win.t1) / 2 : at;
    setWin(c - (c - win.t0) * f, c + (win.t1 - c) * f);
  }
  document.getElementById("w-all").onclick = function () { setWin(0, END); };
  document.getElementById("w-in").onclick = function () { zoom(0.5); };
  document.getElementById("w-out").onclick = function () { zoom(2); };
  document.getElementById("w-left").onclick = function () { var s = win.t1 - win.t0; setWin(win.t0 - s / 2, win.t1 - s / 2); };
  document.getElementById("w-right").onclick = function () { var s = win.t1 - win.t0; setWin(win.t0 + s / 2, win.t1 + s / 2); };

  function svgX(ev) { var r = svg.getBoundingClientRect(); return ev.clientX - r.left; }
  function svgY(ev) { var r = svg.getBoundingClientRect(); return ev.clientY - r.top; }
  var drag = null;
  svg.addEventListener("mousedown", function (ev) {
    var W = width(), x = svgX(ev);
    if (x < GUT || x > W - RIGHT) return;
    drag = { x: x, overview: svgY(ev) < 36 };
    ev.preventDefault();
  });
  window.addEventListener("mousemove", function (ev) {
    if (!drag) return;
    var x = Math.max(GUT, Math.min(width() - RIGHT, svgX(ev))), sel = document.getElementById("sel");
    if (!sel || drag.overview) return;
    sel.setAttribute("visibility", "visible");
    sel.setAttribute("x", String(Math.min(drag.x, x)));
    sel.setAttribute("width", String(Math.abs(x - drag.x)));
  });
  window.addEventListener("mouseup", function (ev) {
    if (!drag) return;
    var W = width(), x = Math.max(GUT, Math.min(W - RIGHT, svgX(ev))), d = drag;
    drag = null;
    if (d.overview) {
      var full = function (px) { return ((px - GUT) / (W - GUT - RIGHT)) * END; };
      if (Math.abs(x - d.x) < 4) { var c = full(x), s = win.t1 - win.t0; setWin(c - s / 2, c + s / 2); }
      else setWin(full(Math.min(x, d.x)), full(Math.max(x, d.x)));
      return;
    }
    if (Math.abs(x - d.x) >= 4) { setWin(tOf(Math.min(x, d.x), W), tOf(Math.max(x, d.x), W)); return; }
    draw();
    findInDiagram(tOf(x, W));
  });
  svg.addEventListener("wheel", function (ev) {
    if (!ev.ctrlKey && !ev.metaKey) return;
    ev.preventDefault();
    zoom(ev.deltaY < 0 ? 0.7 : 1 / 0.7, tOf(svgX(ev), width()));
  }, { passive: false });

  /** Scrolls the space-time diagram to the first drawn row at or after virtual time t. */
  function findInDiagram(t) {
    var rows = document.querySelectorAll("#diagram text.time[data-t]"), best = null;
    for (var k = 0; k < rows.length; k++) { if (Number(rows[k].getAttribute("data-t")) >= t) { best = rows[k]; break; } }
    if (!best && rows.length > 0) best = rows[rows.length - 1];
    if (!best) return;
    Array.prototype.forEach.call(document.querySelectorAll("#diagram text.time.found"), function (e) { e.classList.remove("found"); });
    best.classList.add("found");
    best.scrollIntoView({ block: "center", inline: "nearest" });
  }
  window.zksimShowTime = function (t) {
    var s = Math.min(END, Math.max((win.t1 - win.t0) / 4, 200000));
    setWin(t - s / 2, t + s / 2);
  };
  window.addEventListener("resize", draw);
  draw();
})();
`;
