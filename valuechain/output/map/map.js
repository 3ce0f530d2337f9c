"use strict";
// The linkage map's behaviour. Every data value reaches the page through
// textContent or vis-network's data, never through innerHTML: names are untrusted.
(function () {
  const data = JSON.parse(document.getElementById("vc-data").textContent);
  // The mark of a firm to protect: a dark halo around the node.
  const HALO = { enabled: true, color: "rgba(0,0,0,0.85)", size: 14, x: 0, y: 0 };
  const S = data.strings;
  const LARGE_EDGES = 3000;

  function el(tag, attrs, text) {
    const e = document.createElement(tag);
    if (attrs) for (const k in attrs) e.setAttribute(k, attrs[k]);
    if (text !== undefined && text !== null) e.textContent = String(text);
    return e;
  }
  function fmt(v, pct) {
    if (v === null || v === undefined || v === "") return "–";
    if (typeof v === "number") {
      if (!pct) return v.toLocaleString(data.locale, { maximumFractionDigits: 1 });
      const p = (100 * v).toLocaleString(data.locale, { minimumFractionDigits: 1, maximumFractionDigits: 1 });
      return data.lang === "vi" ? p + " %" : p + "%";
    }
    return String(v);
  }
  function tip(title, rows) {
    const box = el("div", { class: "tip" });
    box.appendChild(el("b", null, title));
    const table = el("table");
    for (const [label, value, cls] of rows) {
      if (value === undefined || value === null || value === "" ||
          (Array.isArray(value) && value.length === 0)) continue;
      const tr = el("tr");
      tr.appendChild(el("td", null, label));
      const td = el("td", cls ? { class: cls } : null, Array.isArray(value) ? value.join(", ") : value);
      tr.appendChild(td);
      table.appendChild(tr);
    }
    box.appendChild(table);
    return box;
  }

  for (const n of data.nodes) {
    const i = n.info;
    n.title = tip(i.name, [
      [S.id, i.id], [S.type, i.type], [S.district, i.district],
      [S.enterprises, i.enterprises === undefined ? undefined : fmt(i.enterprises)],
      [S.unlinked_of, i.unlinked, "gap"],
      [S.outputs, i.outputs], [S.inputs, i.inputs],
      [S.flow_out, fmt(i.flow_out)], [S.flow_in, fmt(i.flow_in)],
      [S.value_added, fmt(i.value_added), i.value_added < 0 ? "gap" : undefined],
      [S.local_share, i.local_share === undefined ? undefined : fmt(i.local_share, true)],
      [S.status, i.status, "gap"], [S.flags, i.flags, "gap"],
      [S.risk, i.risk === undefined || i.risk === null ? undefined : fmt(i.risk, true)], ["", i.context],
      [S.scenario, i.scenario, "gap"], ...(i.extra || []),
    ]);
    // Labels are drawn by the label layer below (a constant size on screen, never
    // overlapping), not by vis-network, which would grow them with the zoom.
    n.text = n.label || "";
    n.label = undefined;
    // Hovered like selected (vis-network's own hover colour is a pale blue).
    if (n.color && typeof n.color === "object") n.color.hover = n.color.highlight || { background: n.color.background, border: n.color.border };
    n.fixed = true;
    if (n.critical) n.shadow = HALO;
  }
  for (const e of data.edges) {
    const i = e.info;
    const kind = e.change === "gained" ? S.gained : e.change === "lost" ? S.lost :
      e.kind === "suggestion" ? (e.priority ? S.priority_link : S.suggested) : (e.kind === "external" ? S.external_link : S.local_link);
    e.title = tip(kind, [[S.rank, i.rank ? "#" + i.rank : undefined], [S.products, i.products], [S.chain, i.chain], [S.weight + " (" + (data.weight_label || data.weight) + ")", fmt(i.weight)],
                         ["km", fmt(i.km)], [S.value_out, i.value === undefined || i.value === null ? undefined : fmt(i.value)],
                         [S.reason, i.reason, "gap"]]);
  }

  const nodeColour = new Map(data.nodes.map(function (n) { return [n.id, n.color]; }));
  const FADED = data.context_colour;
  function baseColour(id) {
    if (!fadedNow.has(id)) return nodeColour.get(id);
    const own = nodeColour.get(id) || {};
    return { background: FADED.background, border: FADED.border, highlight: own.highlight, hover: own.hover };
  }
  const nodes = new vis.DataSet(data.nodes);
  const edges = new vis.DataSet(data.edges);
  const state = { chain: "", district: "", types: new Set(data.types), external: true, suggest: false };

  function filtersActive() {
    return (uses("chain") && state.chain !== "") || (uses("district") && state.district !== "") ||
      (uses("type") && state.types.size !== data.types.length);
  }
  const uses = function (f) { return data.filters.indexOf(f) >= 0; };
  // Context nodes (partners outside a slice) and outside parties are drawn only
  // beside a visible enterprise of the slice, through a link that is drawn.
  function enterpriseVisible(n) {
    if (n.group === "external" || n.context) return false;
    if (uses("type") && !state.types.has(n.group)) return false;
    if (uses("district") && state.district && n.district !== state.district) return false;
    if (uses("chain") && state.chain && n.chains.indexOf(state.chain) < 0) return false;
    return true;
  }
  const byId = new Map();
  nodes.forEach(function (n) { byId.set(n.id, n); });
  let visibleNodes = new Set();
  let coreNodes = new Set();
  // Enterprises of other districts drawn only as partners of the district the
  // panel selects: faded, as `map --district` draws them.
  let fadedNow = new Set();
  function districtPartner(n) {
    if (!(uses("district") && state.district) || n.group === "external" || n.context) return false;
    if (n.district === state.district || !state.types.has(n.group)) return false;
    return !(uses("chain") && state.chain && n.chains.indexOf(state.chain) < 0);
  }
  function recompute() {
    const core = new Set();
    nodes.forEach(function (n) { if (enterpriseVisible(n)) core.add(n.id); });
    const partners = new Set();
    const extSeen = new Set();
    edges.forEach(function (e) {
      if (!edgeBase(e)) return;
      for (const [a, b] of [[e.from, e.to], [e.to, e.from]]) {
        if (!core.has(a)) continue;
        const other = byId.get(b);
        if (!other) continue;
        if ((other.context || districtPartner(other)) && state.types.has(other.group)) partners.add(b);
        if (other.group === "external") extSeen.add(b);
      }
    });
    coreNodes = core;
    const faded = new Set();
    for (const id of partners) if (!byId.get(id).context) faded.add(id);
    const changed = [];
    for (const id of faded) if (!fadedNow.has(id)) changed.push(id);
    for (const id of fadedNow) if (!faded.has(id)) changed.push(id);
    fadedNow = faded;
    if (changed.length) nodes.update(changed.map(function (id) { return { id: id, color: baseColour(id) }; }));
    visibleNodes = new Set(core);
    for (const id of partners) visibleNodes.add(id);
    if (state.external && state.types.has("external")) {
      nodes.forEach(function (n) {
        if (n.group === "external" && (!filtersActive() || extSeen.has(n.id))) visibleNodes.add(n.id);
      });
    }
  }
  function edgeBase(e) {
    // The top priorities are always drawn; the other suggestions on request.
    if (e.kind === "suggestion" && !e.priority && !state.suggest) return false;
    if (uses("chain") && state.chain && e.kind !== "external" && e.chain !== state.chain) {
      return data.aggregated ? true : false;
    }
    if (!data.aggregated && state.chain && e.chain !== state.chain) return false;
    return true;
  }
  // The visible set is computed before the views are made: a DataView keeps the
  // ids it held when made and sends the network only the difference on refresh.
  recompute();
  const nodeView = new vis.DataView(nodes, { filter: function (n) { return visibleNodes.has(n.id); } });
  const edgeView = new vis.DataView(edges, {
    filter: function (e) { return edgeBase(e) && visibleNodes.has(e.from) && visibleNodes.has(e.to); },
  });
  // After every filter the view is fitted to what is drawn, and the header
  // counts what is drawn.
  function refresh(fit) {
    recompute(); nodeView.refresh(); edgeView.refresh(); updateHeader();
    if (fit !== false && typeof fitAll === "function" && home) fitAll();
  }

  const container = document.getElementById("network");
  const large = data.edges.length > LARGE_EDGES;
  const options = {
    physics: { enabled: false },
    layout: { improvedLayout: false },
    // A large network (thousands of links) would be redrawn whole at every hover,
    // pan and zoom: then hovering only shows the tooltip, and links are left out
    // while the view moves (measured in docs/methods.md).
    interaction: { hover: !large, hideEdgesOnDrag: large, hideEdgesOnZoom: large, tooltipDelay: 120,
                   navigationButtons: false, keyboard: true, multiselect: false },
    edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.6 } }, selectionWidth: 2 },
  };
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);

  // The label layer: 13 px on screen at any zoom, the largest nodes first (the
  // slice's own before its faded partners), each label drawn only where it
  // overlaps none already drawn; zooming in makes room for more. While a node is
  // selected, only it and its partners are labelled.
  const LABEL_PX = 13, LINE_PX = 16, LABEL_FONT = "Segoe UI, Roboto, Noto Sans, Arial, sans-serif";
  const measure = document.createElement("canvas").getContext("2d");
  measure.font = LABEL_PX + "px " + LABEL_FONT;
  const textWidth = new Map();
  function widthOf(n) {
    let w = textWidth.get(n.id);
    if (w === undefined) {
      w = Math.max.apply(null, n.text.split("\n").map(function (l) { return measure.measureText(l).width; }));
      textWidth.set(n.id, w);
    }
    return w;
  }
  // (A scenario's new plant is named before anything else.)
  const ranked = data.nodes.filter(function (n) { return n.text; }).sort(function (a, b) {
    return ((b.scenario === "new") - (a.scenario === "new")) || (a.context - b.context) ||
      (b.size - a.size) || (a.id < b.id ? -1 : a.id > b.id ? 1 : 0);
  });
  let focus = null;  // the selected node and its partners, while one is selected
  let labelBoxes = [];  // what the last frame drew, in page pixels of the network's box
  function drawLabels(ctx) {
    const scale = network.getScale(), body = network.body.nodes;
    const tl = network.DOMtoCanvas({ x: 0, y: 0 });
    const br = network.DOMtoCanvas({ x: container.clientWidth, y: container.clientHeight });
    const cell = 240 / scale, grid = new Map(), placed = [];
    function cells(b, visit) {
      for (let i = Math.floor(b.x / cell); i <= Math.floor((b.x + b.w) / cell); i++) {
        for (let j = Math.floor(b.y / cell); j <= Math.floor((b.y + b.h) / cell); j++) {
          if (visit(i + ":" + j) === false) return false;
        }
      }
      return true;
    }
    function free(b) {
      return cells(b, function (key) {
        for (const o of grid.get(key) || []) {
          if (b.x < o.x + o.w && o.x < b.x + b.w && b.y < o.y + o.h && o.y < b.y + b.h) return false;
        }
      });
    }
    ctx.save();
    ctx.font = (LABEL_PX / scale) + "px " + LABEL_FONT;
    ctx.textAlign = "center"; ctx.textBaseline = "top"; ctx.lineJoin = "round";
    ctx.lineWidth = 3 / scale; ctx.strokeStyle = "#ffffff"; ctx.fillStyle = "#222222";
    // The drawn selection's own enterprises first, their faded partners after.
    const order = ranked.filter(function (n) { return !n.context && !fadedNow.has(n.id); })
      .concat(ranked.filter(function (n) { return n.context || fadedNow.has(n.id); }));
    for (const n of order) {
      const node = body[n.id];
      if (!node || (focus && !focus.has(n.id))) continue;
      const lines = n.text.split("\n");
      const b = { id: n.id, w: (widthOf(n) + 4) / scale, h: lines.length * LINE_PX / scale };
      b.x = node.x - b.w / 2; b.y = node.y + node.options.size + 2 / scale;
      // Only labels wholly in view: a label cut by the edge is not drawn.
      if (b.x < tl.x || b.x + b.w > br.x || b.y < tl.y || b.y + b.h > br.y || !free(b)) continue;
      cells(b, function (key) { if (!grid.has(key)) grid.set(key, []); grid.get(key).push(b); });
      placed.push(b);
      lines.forEach(function (line, k) {
        const y = b.y + (k * LINE_PX + 1) / scale;
        ctx.strokeText(line, node.x, y); ctx.fillText(line, node.x, y);
      });
    }
    ctx.restore();
    labelBoxes = placed.map(function (b) {
      const p = network.canvasToDOM({ x: b.x, y: b.y });
      return { id: b.id, x: p.x, y: p.y, w: b.w * scale, h: b.h * scale };
    });
  }
  network.on("afterDrawing", drawLabels);

  // District or commune outlines from the planner's GIS, under everything else,
  // each named at its centre in grey.
  const outlines = data.boundaries || [];
  // The chain layout's columns are named at their top: raw production, first
  // processing, … sold outside.
  const headings = data.headings || [];
  network.on("beforeDrawing", function (ctx) {
    if (!headings.length) return;
    const scale = network.getScale();
    ctx.save();
    ctx.font = "bold " + (14 / scale) + "px " + LABEL_FONT;
    ctx.textAlign = "center"; ctx.textBaseline = "bottom"; ctx.fillStyle = "#555555";
    for (const h of headings) ctx.fillText(h.label, h.x, h.y - 30 / scale);
    ctx.restore();
  });
  network.on("beforeDrawing", function (ctx) {
    if (!outlines.length) return;
    const scale = network.getScale();
    ctx.save();
    ctx.strokeStyle = "#8A8A8A"; ctx.lineWidth = 1.5 / scale; ctx.setLineDash([6 / scale, 4 / scale]);
    for (const o of outlines) {
      for (const r of o.rings) {
        ctx.beginPath();
        ctx.moveTo(r[0], r[1]);
        for (let k = 2; k < r.length; k += 2) ctx.lineTo(r[k], r[k + 1]);
        ctx.closePath(); ctx.stroke();
      }
    }
    ctx.setLineDash([]);
    ctx.font = "italic " + (LABEL_PX / scale) + "px " + LABEL_FONT;
    ctx.textAlign = "center"; ctx.textBaseline = "middle"; ctx.fillStyle = "#7A7A7A";
    for (const o of outlines) if (o.name) ctx.fillText(o.name, o.at[0], o.at[1]);
    ctx.restore();
  });

  // Selecting a node brings out its partners and the links between them; the
  // rest is dimmed until the selection ends.
  const DIM_NODE = { background: "#EFEFEF", border: "#D0D0D0" };
  const DIM_EDGE = { color: "#CCCCCC", opacity: 0.25 };
  const edgeColour = new Map(data.edges.map(function (e) { return [e.id, e.color]; }));
  function bringOut(selected) {
    const near = new Set(selected);
    for (const id of selected) for (const other of network.getConnectedNodes(id)) near.add(other);
    focus = selected.length ? near : null;
    nodes.update(nodeView.getIds().map(function (id) {
      return { id: id, color: !focus || near.has(id) ? baseColour(id) : DIM_NODE };
    }));
    const chosen = new Set(selected);
    edges.update(edgeView.get().map(function (e) {
      const lit = !focus || chosen.has(e.from) || chosen.has(e.to);
      return { id: e.id, color: lit ? edgeColour.get(e.id) : DIM_EDGE };
    }));
  }
  function clearSelection() { network.unselectAll(); bringOut([]); }
  network.on("selectNode", function (ev) { bringOut(ev.nodes); });
  network.on("deselectNode", function (ev) { bringOut(ev.nodes); });
  // Fit the drawing with a margin, where the labels of the outermost nodes go.
  // (Computed from the nodes' own positions, which are fixed, so it holds the
  // moment a filter changes, before the network has drawn the change.)
  function fitAll() {
    let x0 = Infinity, y0 = Infinity, x1 = -Infinity, y1 = -Infinity;
    for (const id of visibleNodes) {
      const n = byId.get(id), r = n.size || 10;
      x0 = Math.min(x0, n.x - r); x1 = Math.max(x1, n.x + r);
      y0 = Math.min(y0, n.y - r); y1 = Math.max(y1, n.y + r);
    }
    if (!isFinite(x0)) return;
    const w = container.clientWidth || 1, h = container.clientHeight || 1;
    let scale = 0.92 * Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1));
    if (headings.length) {
      // The column headings are drawn at a constant size on screen: widen the
      // box by each one's half width at this scale, then fit again.
      const ctx = document.createElement("canvas").getContext("2d");
      ctx.font = "bold 14px " + LABEL_FONT;
      for (const hd of headings) {
        const half = (ctx.measureText(hd.label).width / 2 + 8) / scale;
        x0 = Math.min(x0, hd.x - half); x1 = Math.max(x1, hd.x + half);
        y0 = Math.min(y0, hd.y - 50 / scale);
      }
      scale = 0.92 * Math.min(w / Math.max(x1 - x0, 1), h / Math.max(y1 - y0, 1));
    }
    network.moveTo({ position: { x: (x0 + x1) / 2, y: (y0 + y1) / 2 }, scale: Math.min(scale, 2.5),
                     animation: false });
  }
  // The first view, which "reset" restores exactly.
  let home = null;
  network.once("afterDrawing", function () {
    fitAll();
    home = { position: network.getViewPosition(), scale: network.getScale() };
    document.body.setAttribute("data-ready", "1");
  });
  function goHome() { if (home) network.moveTo({ position: home.position, scale: home.scale, animation: false }); }

  // The header line: the dataset's figures while nothing is filtered; with a
  // filter, what is drawn and which filter draws it.
  const summaryEl = document.getElementById("summary");
  const summaryAll = summaryEl.textContent;
  function count(v) { return Number(v).toLocaleString(data.locale); }
  function updateHeader() {
    const filtered = filtersActive() || !state.external;
    if (!filtered) { summaryEl.textContent = summaryAll; return; }
    let firms = 0, unlinked = 0, links = 0, local = 0;
    for (const id of coreNodes) {
      const n = byId.get(id);
      firms += n.info && n.info.enterprises !== undefined ? n.info.enterprises : 1;
      unlinked += n.unlinked ? (n.info && n.info.unlinked_n !== undefined ? n.info.unlinked_n : 1) : 0;
    }
    edgeView.forEach(function (e) {
      if (e.kind !== "local" && e.kind !== "external") return;
      links += e.n || 1;
      if (e.kind === "local") local += e.n || 1;
    });
    const what = [];
    if (uses("chain") && state.chain) {
      const c = data.chains.find(function (x) { return x.chain === state.chain; });
      what.push(S.filter_chain.replace("{name}", c ? c.name : state.chain));
    }
    if (uses("district") && state.district) what.push(S.filter_district.replace("{name}", state.district));
    if (uses("type") && state.types.size !== data.types.length) {
      what.push(S.filter_types.replace("{names}", data.types.filter(function (ty) { return state.types.has(ty); })
        .map(function (ty) { return data.type_styles[ty].label; }).join(", ")));
    }
    if (!state.external) what.push(S.filter_no_external);
    summaryEl.textContent = S.summary_drawn.replace("{n}", count(firms)).replace("{l}", count(links))
      .replace("{i}", count(local)).replace("{u}", count(unlinked)) + " · " +
      S.filtered_by.replace("{what}", what.join(" · "));
  }

  // Panel: filters, toggles, search, legend.
  for (const [f, id] of [["chain", "f-chain"], ["district", "f-district"], ["type", "f-types"]]) {
    if (!uses(f)) (id === "f-types" ? document.getElementById(id) : document.getElementById(id).parentNode).style.display = "none";
  }
  if (data.aggregated) document.getElementById("t-suggest").parentNode.style.display = "none";
  const chainSel = document.getElementById("f-chain");
  for (const c of data.chains) {
    chainSel.appendChild(el("option", { value: c.chain }, (c.weak ? "⚠ " : "") + (c.name || c.chain)));
  }
  const distSel = document.getElementById("f-district");
  for (const d of data.districts) distSel.appendChild(el("option", { value: d }, d));
  chainSel.addEventListener("change", function () { state.chain = chainSel.value; refresh(); });
  distSel.addEventListener("change", function () { state.district = distSel.value; refresh(); });
  const typeBox = document.getElementById("f-types");
  for (const ty of data.types) {
    const style = data.type_styles[ty];
    const lab = el("label");
    const box = el("input", { type: "checkbox", "data-type": ty });
    box.checked = true;
    box.addEventListener("change", function () {
      if (box.checked) state.types.add(ty); else state.types.delete(ty);
      refresh();
    });
    lab.appendChild(box);
    lab.appendChild(document.createTextNode(" "));
    lab.appendChild(el("span", { class: "sw", style: "background:" + style.colour }));
    lab.appendChild(document.createTextNode(style.label + " (" + style.shape + ")"));
    typeBox.appendChild(lab);
  }
  document.getElementById("t-external").addEventListener("change", function (ev) { state.external = ev.target.checked; refresh(); });
  document.getElementById("t-suggest").addEventListener("change", function (ev) { state.suggest = ev.target.checked; refresh(); });
  // Critical enterprises (their loss costs 5 % of output or more): a dark halo.
  const critBox = document.getElementById("t-critical");
  function markCritical() {
    nodes.update(nodes.get({ filter: function (n) { return n.critical; } }).map(function (n) {
      return { id: n.id, color: baseColour(n.id), shadow: critBox.checked ? HALO : { enabled: false } };
    }));
  }
  if (!data.nodes.some(function (n) { return n.critical; })) critBox.parentNode.style.display = "none";
  critBox.addEventListener("change", markCritical);
  document.getElementById("reset").addEventListener("click", function () {
    state.chain = ""; state.district = ""; state.types = new Set(data.types);
    state.external = true; state.suggest = false;
    chainSel.value = ""; distSel.value = "";
    for (const box of typeBox.querySelectorAll("input[data-type]")) box.checked = true;
    document.getElementById("t-external").checked = true;
    document.getElementById("t-suggest").checked = false;
    search.value = ""; found.textContent = ""; clearSelection();
    refresh(false);
    goHome();
  });

  const legendEdges = document.getElementById("legend-edges");
  // The top suggestions are drawn wide and strong, the others (on request) thin and light.
  for (const [label, colour, style, px] of [[S.local_link, "#555", "solid", 3], [S.external_link, "#9A9A9A", "dotted", 3],
                                             [S.priority_link, "#D55E00", "dashed", 4],
                                             [S.suggested, "rgba(213,94,0,0.6)", "dashed", 2]]) {
    if (data.aggregated && (label === S.priority_link || label === S.suggested)) continue;
    legendLine(label, colour, style, px);
  }
  function legendLine(label, colour, style, px) {
    const row = el("div");
    row.appendChild(el("span", { class: "line", style: "border-top: " + (px || 3) + "px " + style + " " + colour }));
    row.appendChild(document.createTextNode(label));
    legendEdges.appendChild(row);
  }
  if (data.scenario) {
    if (data.scenario.gained) legendLine(data.scenario.gained, "#009E73", "solid");
    if (data.scenario.lost) legendLine(data.scenario.lost, "#CC79A7", "dashed");
  }
  if (data.compare) {
    legendLine(S.gained + " " + data.compare.year, "#009E73", "solid");
    legendLine(S.lost + " " + data.compare.year, "#CC79A7", "dashed");
  }
  const gapRow = el("div");
  gapRow.appendChild(el("span", { class: "sw", style: "border: 3px solid #D55E00; background: #fff" }));
  gapRow.appendChild(document.createTextNode(S.unlinked_producer));
  legendEdges.appendChild(gapRow);
  const legendChains = document.getElementById("legend-chains");
  legendChains.appendChild(el("h2", null, S.chains));
  for (const c of data.chains) {
    const row = el("div", c.weak ? { class: "weak" } : null);
    row.appendChild(el("span", { class: "line", style: "border-top-color:" + c.colour }));
    const score = c.score === null ? "–" : c.score.toFixed(0);
    row.appendChild(document.createTextNode((c.name || c.chain) + " · " + score + (c.weak ? " ⚠ " + S.weak : "")));
    legendChains.appendChild(row);
  }

  // Fold the panel to give the map the whole width; unfold it again.
  const foldButton = document.getElementById("fold");
  foldButton.addEventListener("click", function () {
    const main = document.getElementById("main");
    main.classList.toggle("folded");
    foldButton.textContent = main.classList.contains("folded") ? "»" : "«";
    network.redraw();
    fitAll();
  });

  // Save the current view as a PNG picture (for a slide or a Word document), as
  // print lays it out: the title (with the slice), the header line, the source
  // and date above the map, the legend beside it; nothing leaves the page.
  document.getElementById("save-png").addEventListener("click", function () {
    const canvas = container.querySelector("canvas");
    const ratio = canvas.width / container.clientWidth || 1;
    const legend = legendItems();
    const legendW = Math.round(260 * ratio), pad = Math.round(12 * ratio);
    const out = document.createElement("canvas");
    out.width = canvas.width + legendW;
    const g = out.getContext("2d");
    // The header line wraps at its " · " between figures to the picture's width.
    g.font = Math.round(13 * ratio) + "px " + LABEL_FONT;
    const summaryLines = [];
    for (const part of summaryEl.textContent.split(" · ")) {
      const last = summaryLines.length - 1;
      if (last >= 0 && g.measureText(summaryLines[last] + " · " + part).width < out.width - 2 * pad) {
        summaryLines[last] += " · " + part;
      } else {
        summaryLines.push(part);
      }
    }
    const top = Math.round((66 + 18 * summaryLines.length) * ratio);
    out.height = Math.max(canvas.height, Math.round((legend.length * 18 + 20) * ratio)) + top;
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, out.width, out.height);
    g.fillStyle = "#222222"; g.font = "bold " + Math.round(20 * ratio) + "px " + LABEL_FONT;
    g.fillText(document.getElementById("title").textContent, pad, Math.round(27 * ratio));
    g.font = Math.round(13 * ratio) + "px " + LABEL_FONT;
    summaryLines.forEach(function (line, k) { g.fillText(line, pad, Math.round((50 + 18 * k) * ratio)); });
    g.fillStyle = "#666666"; g.font = Math.round(11 * ratio) + "px " + LABEL_FONT;
    g.fillText(document.getElementById("source").textContent, pad, top - Math.round(12 * ratio));
    g.drawImage(canvas, legendW, top);
    let y = top + Math.round(18 * ratio);
    for (const item of legend) {
      const x = pad;
      if (item.kind === "head") {
        g.fillStyle = "#222222"; g.font = "bold " + Math.round(13 * ratio) + "px " + LABEL_FONT;
      } else {
        g.font = Math.round(12 * ratio) + "px " + LABEL_FONT;
        if (item.kind === "swatch") {
          g.fillStyle = item.colour; g.fillRect(x, y - 10 * ratio, 12 * ratio, 12 * ratio);
          g.strokeStyle = "#333333"; g.lineWidth = ratio; g.strokeRect(x, y - 10 * ratio, 12 * ratio, 12 * ratio);
        } else {
          g.strokeStyle = item.colour; g.lineWidth = (item.px || 3) * ratio;
          g.setLineDash(item.dash ? [6 * ratio, 4 * ratio] : []);
          g.beginPath(); g.moveTo(x, y - 4 * ratio); g.lineTo(x + 24 * ratio, y - 4 * ratio); g.stroke();
          g.setLineDash([]);
        }
        g.fillStyle = item.weak ? "#B03A00" : "#222222";
      }
      g.fillText(item.text, item.kind === "head" ? x : x + 30 * ratio, y);
      y += 18 * ratio;
    }
    const link = document.createElement("a");
    link.download = "valuechain_map.png";
    link.href = out.toDataURL("image/png");
    document.body.appendChild(link); link.click(); link.remove();
  });
  // The legend as drawn in the panel, for the PNG.
  function legendItems() {
    const items = [{ kind: "head", text: S.legend }];
    for (const ty of data.types) {
      const st = data.type_styles[ty];
      if (state.types.has(ty)) items.push({ kind: "swatch", colour: st.colour, text: st.label + " (" + st.shape + ")" });
    }
    items.push({ kind: "line", colour: "#555555", text: S.local_link });
    items.push({ kind: "line", colour: "#9A9A9A", dash: true, text: S.external_link });
    if (!data.aggregated) items.push({ kind: "line", colour: "#D55E00", dash: true, px: 4, text: S.priority_link });
    items.push({ kind: "swatch", colour: "#ffffff", text: S.unlinked_producer });
    items.push({ kind: "head", text: S.chains });
    for (const c of data.chains) {
      const score = c.score === null ? "–" : c.score.toFixed(0);
      items.push({ kind: "line", colour: c.colour, weak: c.weak, text: (c.name || c.chain) + " · " + score + (c.weak ? " ⚠ " + S.weak : "") });
    }
    return items;
  }

  // On paper the page is laid out again (A3): draw the network to its new size.
  function refit() { network.setSize("100%", "100%"); network.redraw(); fitAll(); }
  window.addEventListener("beforeprint", refit);
  window.addEventListener("afterprint", refit);
  if (window.matchMedia) window.matchMedia("print").addEventListener("change", refit);

  const search = document.getElementById("search");
  const found = document.getElementById("found");
  // Search without case or diacritics: "cho don" finds "Chợ Đồn" (đ is a letter
  // of its own, not d with a mark, so it is folded by hand).
  function fold(text) {
    return String(text).normalize("NFD").replace(/[\u0300-\u036f]/g, "")
      .replace(/[đĐ]/g, "d").toLowerCase();
  }
  search.addEventListener("input", function () {
    const q = fold(search.value.trim());
    if (!q) { found.textContent = ""; clearSelection(); fitAll(); return; }
    const hits = nodeView.get({ filter: function (n) {
      return fold(n.info.name).indexOf(q) >= 0 || fold(n.id).indexOf(q) >= 0;
    } });
    found.textContent = S.found.replace("{n}", hits.length);
    if (hits.length) {
      const ids = hits.map(function (n) { return n.id; });
      network.selectNodes(ids);
      bringOut(ids);
      if (hits.length === 1) network.focus(hits[0].id, { scale: 1.4, animation: false });
      else { network.fit({ nodes: ids, animation: false }); network.moveTo({ scale: 0.85 * network.getScale(), animation: false }); }
    } else {
      clearSelection();
    }
  });

  window.valuechainMap = { labels: function () { return labelBoxes; }, network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state, refresh: refresh };
})();
