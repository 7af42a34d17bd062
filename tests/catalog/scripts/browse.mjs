// Drives Debian's Chromium (playwright-core, never a downloaded browser) over a catalog
// served on loopback and prints one JSON report on its last line. It only observes: the
// Python tests decide what is right. Input (stdin, JSON):
//   {base, chromium, playwright (path of playwright-core's index.mjs), pages: [path],
//    searches: [{page, query}], screenshots: [{page, file, scheme, fullPage, query}],
//    keyboard: page, contrast: true}; searches, keyboard and screenshots may be left out,
//    contrast: false skips the colour measurements
import { readFileSync } from "node:fs";
import { pathToFileURL } from "node:url";

const config = JSON.parse(readFileSync(0, "utf8"));
const { chromium } = await import(pathToFileURL(config.playwright).href);
const base = new URL(config.base);
const ARGS = ["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
  "--disable-background-networking", "--disable-component-update", "--disable-sync"];

// Runs inside the page: what a reader (or a screen reader) meets on it.
function inspectPage() {
  const visible = (el) => { const r = el.getBoundingClientRect(); return r.width > 0 && r.height > 0; };
  const text = (el) => (el ? el.textContent.replace(/\s+/g, " ").trim() : "");
  const nameOf = (el) => {
    const labelled = el.getAttribute("aria-labelledby");
    if (labelled) { return labelled.split(/\s+/).map((id) => text(document.getElementById(id))).join(" ").trim(); }
    return (el.getAttribute("aria-label") || "").trim();
  };
  const ids = Array.from(document.querySelectorAll("[id]")).map((el) => el.id);
  const inputs = Array.from(document.querySelectorAll("input, select, textarea")).filter((el) => el.type !== "hidden").map((el) => ({
    id: el.id, label: (el.labels && el.labels.length ? text(el.labels[0]) : "") || nameOf(el),
  }));
  const headings = Array.from(document.querySelectorAll("h1, h2, h3, h4, h5, h6")).map((h) => ({ level: Number(h.tagName[1]), text: text(h) }));
  const images = Array.from(document.querySelectorAll("img, svg")).filter((el) => !el.closest("svg") || el.tagName.toLowerCase() === "svg" && !el.parentElement.closest("svg")).map((el) => ({
    tag: el.tagName.toLowerCase(),
    hidden: el.getAttribute("aria-hidden") === "true",
    role: el.getAttribute("role") || "",
    name: el.tagName.toLowerCase() === "img" ? (el.getAttribute("alt") ?? null) : (nameOf(el) || text(el.querySelector("title"))),
  }));
  const links = Array.from(document.querySelectorAll("a[href]")).map((a) => ({ href: a.href, name: text(a) || nameOf(a) }));
  const landmarks = {
    main: document.querySelectorAll("main").length,
    banner: document.querySelectorAll("body > header").length,
    contentinfo: document.querySelectorAll("body > footer").length,
    nav: Array.from(document.querySelectorAll("nav")).map((n) => nameOf(n)),
  };
  const tables = Array.from(document.querySelectorAll("table")).map((t) => ({
    id: t.id, caption: text(t.caption),
    rows: Array.from(t.tBodies).flatMap((b) => Array.from(b.rows)).map((r) => Array.from(r.cells).map(text)),
  }));
  return { title: document.title, lang: document.documentElement.lang, ids, inputs, headings, images, links, landmarks, tables, visibleCount: Array.from(document.body.querySelectorAll("*")).filter(visible).length };
}

// Runs inside the page: contrast of every visible text against the background behind it.
function measureContrast() {
  const parse = (c) => { const m = c.match(/rgba?\(([^)]+)\)/); if (!m) return null; const p = m[1].split(/[ ,/]+/).filter(Boolean).map(Number); return { r: p[0], g: p[1], b: p[2], a: p.length > 3 ? p[3] : 1 }; };
  const over = (top, bottom) => ({ r: top.r * top.a + bottom.r * (1 - top.a), g: top.g * top.a + bottom.g * (1 - top.a), b: top.b * top.a + bottom.b * (1 - top.a), a: 1 });
  const lum = (c) => { const f = (v) => { v /= 255; return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4); }; return 0.2126 * f(c.r) + 0.7152 * f(c.g) + 0.0722 * f(c.b); };
  const background = (el) => {
    const layers = [];
    for (let node = el; node && node.nodeType === 1; node = node.parentElement) {
      const c = parse(getComputedStyle(node).backgroundColor);
      if (c && c.a > 0) { layers.push(c); if (c.a >= 1) break; }
    }
    let result = { r: 255, g: 255, b: 255, a: 1 };
    for (let i = layers.length - 1; i >= 0; i--) { result = over(layers[i], result); }
    return result;
  };
  const failures = [];
  let checked = 0;
  const walker = document.createTreeWalker(document.body, NodeFilter.SHOW_TEXT);
  const seen = new Set();
  for (let node = walker.nextNode(); node; node = walker.nextNode()) {
    const el = node.parentElement;
    if (!node.textContent.trim() || seen.has(el) || el.closest("svg, script, style, [hidden]")) continue;
    seen.add(el);
    const r = el.getBoundingClientRect();
    const style = getComputedStyle(el);
    if (r.width === 0 || r.height === 0 || style.visibility === "hidden") continue;
    const bg = background(el);
    const fg = over(parse(style.color), bg);
    const [hi, lo] = [lum(fg), lum(bg)].sort((a, b) => b - a);
    const ratio = (hi + 0.05) / (lo + 0.05);
    const size = parseFloat(style.fontSize);
    const large = size >= 24 || (size >= 18.66 && Number(style.fontWeight) >= 700);
    checked++;
    if (ratio < (large ? 3 : 4.5)) failures.push({ text: node.textContent.trim().slice(0, 60), ratio: Math.round(ratio * 100) / 100, color: style.color, tag: el.tagName });
  }
  return { checked, failures };
}

// One tab visits every page in turn (a new tab per page costs more than the page); each
// visit starts in the light scheme and records only what happened during it.
async function visitAll(context, paths, report) {
  const page = await context.newPage();
  let problems = [];
  page.on("console", (m) => { if (m.type() === "error" || m.type() === "warning") problems.push(`console ${m.type()}: ${m.text()}`); });
  page.on("pageerror", (e) => problems.push(`page error: ${e.message}`));
  page.on("dialog", (d) => { problems.push(`dialog opened: ${d.message()}`); d.dismiss(); });
  page.on("requestfailed", (r) => problems.push(`request failed: ${r.url()} ${r.failure()?.errorText}`));
  page.on("response", (r) => { if (r.status() >= 400) problems.push(`HTTP ${r.status()}: ${r.url()}`); });
  for (const path of paths) {
    problems = [];
    await page.emulateMedia({ colorScheme: "light" });
    const response = await page.goto(new URL(path, base).href, { waitUntil: "load" });
    const info = await page.evaluate(inspectPage);
    let light = null;
    let dark = null;
    if (config.contrast !== false) {
      light = await page.evaluate(measureContrast);
      await page.emulateMedia({ colorScheme: "dark" });
      dark = await page.evaluate(measureContrast);
    }
    report.pages[path] = { status: response.status(), problems, ...info, contrast: { light, dark } };
  }
  await page.close();
}

async function search(context, { page: path, query }) {
  const page = await context.newPage();
  await page.goto(new URL(path, base).href);
  await page.fill("#search-input", query);
  await page.waitForFunction(() => document.getElementById("search-status").textContent !== "");
  const results = await page.$$eval("#search-results a", (as) => as.map((a) => ({ href: a.href, text: a.textContent })));
  const status = await page.textContent("#search-status");
  // Keyboard: arrow down into the results, Enter follows the first one.
  let followed = null;
  if (results.length) {
    await page.focus("#search-input");
    await page.keyboard.press("ArrowDown");
    const focused = await page.evaluate(() => document.activeElement.href || null);
    await page.keyboard.press("Enter");
    if (focused) { await page.waitForURL(focused); }
    followed = { focused, url: page.url() };
  }
  await page.close();
  return { page: path, query, results, status, followed };
}

async function keyboard(context, path) {
  const page = await context.newPage();
  await page.goto(new URL(path, base).href);
  await page.keyboard.press("Tab");
  const first = await page.evaluate(() => ({ text: document.activeElement.textContent.trim(), href: document.activeElement.getAttribute("href") }));
  await page.keyboard.press("Enter");
  const afterSkip = await page.evaluate(() => document.activeElement.id);
  const order = [];
  await page.goto(new URL(path, base).href);  // from the top again: the header's tab order
  for (let i = 0; i < 40; i++) {
    await page.keyboard.press("Tab");
    order.push(await page.evaluate(() => { const el = document.activeElement; return { tag: el.tagName.toLowerCase(), id: el.id, outline: getComputedStyle(el).outlineStyle }; }));
  }
  await page.close();
  return { first, afterSkip, order };
}

async function screenshot(context, shot) {
  const page = await context.newPage();
  await page.emulateMedia({ colorScheme: shot.scheme || "light" });
  await page.goto(new URL(shot.page, base).href);
  if (shot.query) {
    await page.fill("#search-input", shot.query);
    await page.waitForSelector("#search-results a");
  }
  await page.screenshot({ path: shot.file, fullPage: Boolean(shot.fullPage) });
  await page.close();
  return shot.file;
}

const browser = await chromium.launch({ executablePath: config.chromium, args: ARGS });
const report = { version: browser.version(), pages: {}, searches: [], screenshots: [], offsite: [] };
try {
  const context = await browser.newContext({ viewport: { width: 1280, height: 900 } });
  // Anything not served by the catalog's own server is refused and recorded.
  await context.route("**/*", (route) => {
    const url = new URL(route.request().url());
    if (url.origin === base.origin || url.protocol === "data:") return route.continue();
    report.offsite.push(url.href);
    return route.abort();
  });
  await visitAll(context, config.pages, report);
  for (const query of config.searches || []) report.searches.push(await search(context, query));
  if (config.keyboard) report.keyboard = await keyboard(context, config.keyboard);
  for (const shot of config.screenshots || []) report.screenshots.push(await screenshot(context, shot));
  await context.close();
} finally {
  await browser.close();
}
console.log(JSON.stringify(report));
