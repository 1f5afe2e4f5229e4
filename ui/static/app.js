/* PolicyKG app script: the source viewer links, table filters and the interactive evidence graph.
   Plain DOM code served inline by the app itself; it listens on the document, so content that Gradio
   renders later (answers, tables, graphs) works without re-binding. */
(function () {
  "use strict";

  /* Hand a request to a hidden Gradio textbox and press its hidden button (the server does the rest). */
  function send(boxId, buttonId, value) {
    var box = document.querySelector("#" + boxId + " textarea, #" + boxId + " input");
    var button = document.getElementById(buttonId);
    if (!box || !button) return;
    var proto = box.tagName === "TEXTAREA" ? HTMLTextAreaElement.prototype : HTMLInputElement.prototype;
    Object.getOwnPropertyDescriptor(proto, "value").set.call(box, value);
    box.dispatchEvent(new Event("input", { bubbles: true }));
    setTimeout(function () { button.click(); }, 30);
  }

  /* Gradio titles its toasts with the level in English ("Info", "Warning", "Error") whatever title
     the server gives; the app speaks Chinese. */
  var TOAST_ZH = { Info: "提示", Warning: "注意", Error: "出错了", Success: "完成" };
  function translateToasts(root) {
    (root.querySelectorAll ? root.querySelectorAll(".toast-title") : []).forEach(function (t) {
      var span = t.firstChild;
      var text = (t.textContent || "").trim();
      if (TOAST_ZH[text]) t.textContent = TOAST_ZH[text];
      else if (span && TOAST_ZH[(span.textContent || "").trim()]) span.textContent = TOAST_ZH[span.textContent.trim()];
    });
    (root.querySelectorAll ? root.querySelectorAll("[aria-label='More tabs'], [aria-label='Close']") : []).forEach(
      function (b) { b.setAttribute("aria-label", b.getAttribute("aria-label") === "Close" ? "关闭" : "更多"); }
    );
  }
  var TEXT_ZH = { "Use via API": "API 调用说明", "Built with Gradio": "基于 Gradio 构建", "Settings": "设置" };
  function translateTexts(root) {
    if (!root.querySelectorAll) return;
    root.querySelectorAll("footer a, footer button, footer span").forEach(function (el) {
      el.childNodes.forEach(function (n) {
        var t = n.nodeType === 3 ? n.textContent.trim() : "";
        if (TEXT_ZH[t]) n.textContent = TEXT_ZH[t];
      });
    });
  }
  new MutationObserver(function (records) {
    records.forEach(function (r) {
      if (r.type === "attributes") { readable(r.target); return; }  // a graph redrawn in place
      r.addedNodes.forEach(function (n) { if (n.nodeType === 1) { translateToasts(n); translateTexts(n); readable(n); } });
    });
  }).observe(document.documentElement, { childList: true, subtree: true, attributes: true, attributeFilter: ["data-w"] });

  window.pkgFocusSource = function () {
    var tries = 0;
    (function look() {
      var focus = document.querySelector("#pkg-source .pkg-focus");
      if (focus) { focus.scrollIntoView({ block: "center" }); return; }
      if (tries++ < 20) setTimeout(look, 100);
    })();
  };

  document.addEventListener("click", function (ev) {
    var link = ev.target.closest && ev.target.closest("a.pkg-open-src");
    if (link) {
      ev.preventDefault();
      ev.stopPropagation();
      var q = new URLSearchParams((link.getAttribute("href") || "").split("?")[1] || "");
      send("pkg-src-req", "pkg-src-go", JSON.stringify({
        policy: q.get("p") || "", measure: q.get("m") || "", spans: q.get("s") || "", t: Date.now()
      }));
      return;
    }
    var zoom = ev.target.closest && ev.target.closest(".pkg-graph [data-zoom]");
    if (zoom) {
      var svg = zoom.closest(".pkg-graph").querySelector("svg");
      var f = parseFloat(zoom.dataset.zoom);
      if (f === 0) reset(svg); else scale(svg, 1 / f);
      return;
    }
    var expand = ev.target.closest && ev.target.closest(".pkg-graph .pkg-expand");
    if (expand && expand.dataset.node) {
      expand.disabled = true;
      expand.textContent = "正在展开…";
      send("pkg-expand-req", "pkg-expand-go", expand.dataset.node + "|" + Date.now());
    }
  }, true);

  /* Table filters: keep the rows that contain every typed word. */
  document.addEventListener("input", function (ev) {
    if (!ev.target.classList || !ev.target.classList.contains("pkg-filter")) return;
    var words = ev.target.value.trim().split(/\s+/).filter(Boolean);
    var rows = ev.target.closest(".pkg-tablebox").querySelectorAll("tbody tr");
    rows.forEach(function (tr) {
      var text = tr.textContent;
      tr.style.display = words.every(function (w) { return text.indexOf(w) >= 0; }) ? "" : "none";
    });
  });

  /* Kind filters in the evidence graph: hide a kind's nodes and the edges that touch them. */
  document.addEventListener("change", function (ev) {
    var box = ev.target;
    if (!box.dataset || !box.dataset.kind) return;
    var graph = box.closest(".pkg-graph");
    var off = {};
    graph.querySelectorAll("input[data-kind]").forEach(function (b) { if (!b.checked) off[b.dataset.kind] = true; });
    var hidden = {};
    graph.querySelectorAll("g.pkg-node").forEach(function (g) {
      var out = !!off[g.dataset.label];
      g.classList.toggle("pkg-off", out);
      if (out) hidden[g.dataset.id] = true;
    });
    graph.querySelectorAll("path.pkg-edge").forEach(function (p) {
      p.classList.toggle("pkg-off", !!(hidden[p.dataset.source] || hidden[p.dataset.target]));
    });
  });

  /* A large graph drawn whole in a small box (a phone) has unreadable labels: start at its left end
     at a readable scale instead; 复位 shows the whole graph. */
  function readable(root) {
    var svgs = root.matches && root.matches(".pkg-graph svg") ? [root]
      : (root.querySelectorAll ? root.querySelectorAll(".pkg-graph svg") : []);
    Array.prototype.forEach.call(svgs, function (svg) {
      var r = svg.getBoundingClientRect(), w = +svg.dataset.w, h = +svg.dataset.h;
      if (!r.width || !w) return;
      var k = Math.min(r.width / w, r.height / h);
      if (k >= 0.5) return;
      var vw = r.width / 0.8, vh = r.height / 0.8;
      setBox(svg, { x: 0, y: Math.max(0, h / 2 - vh / 2), w: vw, h: vh });
    });
  }

  function box(svg) {
    var vb = svg.viewBox.baseVal;
    return { x: vb.x, y: vb.y, w: vb.width, h: vb.height };
  }
  function setBox(svg, b) { svg.setAttribute("viewBox", [b.x, b.y, b.w, b.h].join(" ")); }
  function reset(svg) { setBox(svg, { x: 0, y: 0, w: +svg.dataset.w, h: +svg.dataset.h }); }
  function scale(svg, k, cx, cy) {
    var b = box(svg);
    cx = cx === undefined ? b.x + b.w / 2 : cx;
    cy = cy === undefined ? b.y + b.h / 2 : cy;
    var w = Math.min(Math.max(b.w * k, 60), +svg.dataset.w * 4);
    var h = b.h * (w / b.w);
    setBox(svg, { x: cx - (cx - b.x) * (w / b.w), y: cy - (cy - b.y) * (h / b.h), w: w, h: h });
  }
  function point(svg, ev) {
    var r = svg.getBoundingClientRect(), b = box(svg);
    var k = Math.max(b.w / r.width, b.h / r.height);
    var ox = (r.width * k - b.w) / 2, oy = (r.height * k - b.h) / 2;
    return { x: b.x + (ev.clientX - r.left) * k - ox, y: b.y + (ev.clientY - r.top) * k - oy, k: k };
  }

  document.addEventListener("wheel", function (ev) {
    var svg = ev.target.closest && ev.target.closest(".pkg-graph svg");
    if (!svg) return;
    ev.preventDefault();
    var p = point(svg, ev);
    scale(svg, ev.deltaY > 0 ? 1.15 : 1 / 1.15, p.x, p.y);
  }, { passive: false });

  var drag = null;
  document.addEventListener("pointerdown", function (ev) {
    var svg = ev.target.closest && ev.target.closest(".pkg-graph svg");
    if (!svg) return;
    drag = { svg: svg, x: ev.clientX, y: ev.clientY, b: box(svg), k: point(svg, ev).k, moved: false };
  });
  document.addEventListener("pointermove", function (ev) {
    if (!drag) return;
    var dx = ev.clientX - drag.x, dy = ev.clientY - drag.y;
    if (Math.abs(dx) + Math.abs(dy) > 4) drag.moved = true;
    if (drag.moved) {
      setBox(drag.svg, { x: drag.b.x - dx * drag.k, y: drag.b.y - dy * drag.k, w: drag.b.w, h: drag.b.h });
    }
  });
  document.addEventListener("pointerup", function (ev) {
    if (!drag) return;
    var d = drag;
    drag = null;
    if (d.moved) return;
    var node = ev.target.closest && ev.target.closest("g.pkg-node");
    var graph = d.svg.closest(".pkg-graph");
    graph.querySelectorAll("g.pkg-node.pkg-selected").forEach(function (g) { g.classList.remove("pkg-selected"); });
    if (!node) return;
    node.classList.add("pkg-selected");
    var props = {};
    try { props = JSON.parse(node.dataset.props || "{}"); } catch (e) { props = {}; }
    var info = graph.querySelector(".pkg-node-info");
    info.innerHTML = "";
    var dl = document.createElement("dl");
    Object.keys(props).forEach(function (k) {
      var dt = document.createElement("dt"); dt.textContent = k;
      var dd = document.createElement("dd"); dd.textContent = props[k];
      dl.appendChild(dt); dl.appendChild(dd);
    });
    info.appendChild(dl);
    var expand = graph.querySelector(".pkg-expand");
    if (expand) { expand.disabled = false; expand.dataset.node = node.dataset.id; }
  });
})();
