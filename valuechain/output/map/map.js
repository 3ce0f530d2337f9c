"use strict";
// The linkage map's behaviour. Every data value reaches the page through
// textContent or vis-network's data, never through innerHTML: names are untrusted.
(function () {
  const data = JSON.parse(document.getElementById("vc-data").textContent);
  // The mark of a firm to protect: a dark halo around the node.
  const HALO = { enabled: true, color: "rgba(0,0,0,0.85)", size: 14, x: 0, y: 0 };
  const S = data.strings;

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
      [S.local_share, i.local_share === undefined ? undefined : fmt(i.local_share, true)],
      [S.status, i.status, "gap"], [S.flags, i.flags, "gap"],
      [S.risk, i.risk === undefined || i.risk === null ? undefined : fmt(i.risk, true)], ["", i.context],
      [S.scenario, i.scenario, "gap"],
    ]);
    // Minor nodes (font size 0 from Python) get their label when the planner zooms in.
    n.minor = n.font.size === 0;
    n.fullLabel = n.label;
    if (n.minor) n.label = undefined;
    n.font = { size: n.minor ? 18 : n.font.size, face: "Segoe UI, Roboto, Noto Sans, Arial", strokeWidth: 4, strokeColor: "#ffffff" };
    n.fixed = true;
    if (n.critical) n.shadow = HALO;
  }
  for (const e of data.edges) {
    const i = e.info;
    const kind = e.change === "gained" ? S.gained : e.change === "lost" ? S.lost :
      e.kind === "suggestion" ? S.suggested : (e.kind === "external" ? S.external_link : S.local_link);
    e.title = tip(kind, [[S.products, i.products], [S.chain, i.chain], [S.weight + " (" + (data.weight_label || data.weight) + ")", fmt(i.weight)],
                         ["km", fmt(i.km)], [S.value_out, i.value === undefined || i.value === null ? undefined : fmt(i.value)],
                         [S.reason, i.reason, "gap"]]);
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
        if (other.context && state.types.has(other.group)) partners.add(b);
        if (other.group === "external") extSeen.add(b);
      }
    });
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
  function refresh() { recompute(); nodeView.refresh(); edgeView.refresh(); }

  const container = document.getElementById("network");
  const options = {
    physics: { enabled: false },
    layout: { improvedLayout: false },
    interaction: { hover: true, tooltipDelay: 120, navigationButtons: false, keyboard: true, multiselect: false },
    edges: { smooth: false, arrows: { to: { enabled: true, scaleFactor: 0.6 } }, selectionWidth: 2 },
    nodes: { scaling: { label: { enabled: false, drawThreshold: 8 } } },
  };
  const network = new vis.Network(container, { nodes: nodeView, edges: edgeView }, options);
  let labelsShown = false;
  network.on("zoom", function (ev) {
    const show = ev.scale > 0.9;
    if (show === labelsShown) return;
    labelsShown = show;
    nodes.update(nodes.get({ filter: function (n) { return n.minor; } }).map(function (n) {
      return { id: n.id, label: show ? n.fullLabel : undefined };
    }));
  });
  network.once("afterDrawing", function () { network.fit({ animation: false }); document.body.setAttribute("data-ready", "1"); });

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
      return { id: n.id, color: n.color, shadow: critBox.checked ? HALO : { enabled: false } };
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
    search.value = ""; found.textContent = ""; network.unselectAll();
    refresh();
  });

  const legendEdges = document.getElementById("legend-edges");
  for (const [label, colour, style] of [[S.local_link, "#555", "solid"], [S.external_link, "#9A9A9A", "dotted"],
                                         [S.suggested, "#D55E00", "dashed"]]) {
    const row = el("div");
    row.appendChild(el("span", { class: "line", style: "border-top: 3px " + style + " " + colour }));
    row.appendChild(document.createTextNode(label));
    legendEdges.appendChild(row);
  }
  function legendLine(label, colour, style) {
    const row = el("div");
    row.appendChild(el("span", { class: "line", style: "border-top: 3px " + style + " " + colour }));
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
    network.fit({ animation: false });
  });

  // Save the current view as a PNG picture (for a slide or a Word document):
  // the canvas on a white ground, with the title above it; nothing leaves the page.
  document.getElementById("save-png").addEventListener("click", function () {
    const canvas = container.querySelector("canvas");
    const title = document.getElementById("title").textContent;
    const out = document.createElement("canvas");
    out.width = canvas.width; out.height = canvas.height + 40;
    const g = out.getContext("2d");
    g.fillStyle = "#ffffff"; g.fillRect(0, 0, out.width, out.height);
    g.fillStyle = "#222222"; g.font = "bold 20px Segoe UI, Roboto, Noto Sans, Arial, sans-serif";
    g.fillText(title, 12, 27);
    g.drawImage(canvas, 0, 40);
    const link = document.createElement("a");
    link.download = "valuechain_map.png";
    link.href = out.toDataURL("image/png");
    document.body.appendChild(link); link.click(); link.remove();
  });

  // On paper the page is laid out again (A3): draw the network to its new size.
  function refit() { network.setSize("100%", "100%"); network.redraw(); network.fit({ animation: false }); }
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
    if (!q) { found.textContent = ""; network.unselectAll(); return; }
    const hits = nodeView.get({ filter: function (n) {
      return fold(n.info.name).indexOf(q) >= 0 || fold(n.id).indexOf(q) >= 0;
    } });
    found.textContent = S.found.replace("{n}", hits.length);
    if (hits.length) {
      network.selectNodes(hits.map(function (n) { return n.id; }));
      if (hits.length === 1) network.focus(hits[0].id, { scale: 1.4, animation: false });
    }
  });

  window.valuechainMap = { network: network, nodes: nodes, edges: edges, nodeView: nodeView, edgeView: edgeView, state: state, refresh: refresh };
})();
