/*
 * Embeddable chat widget. One tag on any portal page is enough:
 *
 *   <script src="https://ASSISTANT-HOST/widget.js" async></script>
 *
 * It adds a floating button that opens the assistant's chat page in an iframe panel. The
 * chat page's address is derived from this script's own src, so the widget always talks
 * to the service it was loaded from. Everything lives in a shadow root: the host page's
 * CSS cannot break the widget and the widget's CSS cannot leak into the page.
 *
 * Optional attributes on the script tag:
 *   data-position="left"   put the button in the bottom-left corner (default: right)
 *   data-title="…"         title shown in the panel header
 */
"use strict";

(() => {
  const script = document.currentScript;
  if (!script || !script.src || window.__thAssistantWidget) return;
  window.__thAssistantWidget = true;

  const chatUrl = new URL("./?embed=1", script.src);
  const chatOrigin = chatUrl.origin;
  const title = script.dataset.title || "Hỏi đáp Đối ngoại Thanh Hóa";
  const side = script.dataset.position === "left" ? "left" : "right";

  const CSS = `
    :host { all: initial; }
    * { box-sizing: border-box; }
    [hidden] { display: none !important; }
    .launcher {
      position: fixed; ${side}: 20px; bottom: 20px; z-index: 2147483000;
      display: grid; place-items: center; width: 60px; height: 60px; padding: 0;
      border: 0; border-radius: 50%; background: #0b4f8a; color: #fff; cursor: pointer;
      box-shadow: 0 6px 20px rgb(16 24 40 / 30%);
    }
    .launcher:hover { background: #083d6b; }
    .launcher:focus-visible, .close:focus-visible {
      outline: 3px solid #fff; outline-offset: 0; box-shadow: 0 0 0 6px #1d4ed8;
    }
    .launcher svg, .close svg {
      width: 28px; height: 28px; fill: none; stroke: currentColor; stroke-width: 2;
      stroke-linecap: round; stroke-linejoin: round;
    }
    .panel {
      position: fixed; ${side}: 20px; bottom: 92px; z-index: 2147483001;
      display: flex; flex-direction: column;
      width: min(420px, calc(100vw - 40px)); height: min(680px, calc(100vh - 120px));
      overflow: hidden; border-radius: 16px; background: #fff;
      box-shadow: 0 12px 40px rgb(16 24 40 / 35%);
      font-family: system-ui, -apple-system, "Segoe UI", Roboto, "Noto Sans", Arial, sans-serif;
    }
    .header {
      display: flex; align-items: center; justify-content: space-between; gap: 8px;
      padding: 6px 6px 6px 16px; background: #0b4f8a; color: #fff;
    }
    .title { margin: 0; font-size: 16px; font-weight: 700; line-height: 1.3; }
    .close {
      display: grid; place-items: center; width: 44px; height: 44px; padding: 0;
      border: 0; border-radius: 10px; background: transparent; color: #fff; cursor: pointer;
    }
    .close:hover { background: rgb(255 255 255 / 14%); }
    .close svg { width: 22px; height: 22px; }
    iframe { flex: 1; width: 100%; border: 0; background: #f3f5f8; }
    @media (max-width: 520px) {
      .panel { inset: 0; width: 100%; height: 100%; border-radius: 0; }
      .panel:not([hidden]) ~ .launcher { display: none; }
    }
  `;

  const SVG_NS = "http://www.w3.org/2000/svg";

  function svgIcon(pathData) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", pathData);
    svg.append(path);
    return svg;
  }

  const CHAT_ICON = "M4 5h16v11H9l-5 4V5zm4 5h8M8 13h5";
  const CLOSE_ICON = "M6 6l12 12M18 6L6 18";

  function applyStyles(root) {
    // A constructed stylesheet is not an inline <style>, so a strict CSP on the host page
    // does not block it; older browsers get a <style> element instead.
    try {
      const sheet = new CSSStyleSheet();
      sheet.replaceSync(CSS);
      root.adoptedStyleSheets = [sheet];
    } catch {
      const style = document.createElement("style");
      style.textContent = CSS;
      root.append(style);
    }
  }

  function mount() {
    const host = document.createElement("div");
    host.id = "th-assistant-widget";
    const root = host.attachShadow({ mode: "open" });
    applyStyles(root);

    const panel = document.createElement("div");
    panel.className = "panel";
    panel.id = "th-assistant-panel";
    panel.setAttribute("role", "dialog");
    panel.setAttribute("aria-label", title);
    panel.hidden = true;

    const header = document.createElement("div");
    header.className = "header";
    const heading = document.createElement("p");
    heading.className = "title";
    heading.textContent = title;
    const close = document.createElement("button");
    close.type = "button";
    close.className = "close";
    close.setAttribute("aria-label", "Đóng trợ lý hỏi đáp");
    close.append(svgIcon(CLOSE_ICON));
    header.append(heading, close);
    panel.append(header);

    const launcher = document.createElement("button");
    launcher.type = "button";
    launcher.className = "launcher";
    launcher.setAttribute("aria-controls", panel.id);
    launcher.setAttribute("aria-expanded", "false");
    launcher.setAttribute("aria-label", "Mở trợ lý hỏi đáp");
    launcher.title = title;
    launcher.append(svgIcon(CHAT_ICON));

    let frame = null;

    function open() {
      if (!frame) {
        frame = document.createElement("iframe");
        frame.src = chatUrl.href;
        frame.title = title;
        frame.setAttribute("allow", "clipboard-write");
        frame.setAttribute("referrerpolicy", "strict-origin-when-cross-origin");
        panel.append(frame);
      }
      panel.hidden = false;
      launcher.setAttribute("aria-expanded", "true");
      launcher.setAttribute("aria-label", "Đóng trợ lý hỏi đáp");
      launcher.replaceChildren(svgIcon(CLOSE_ICON));
      frame.focus();
    }

    function shut() {
      panel.hidden = true;
      launcher.setAttribute("aria-expanded", "false");
      launcher.setAttribute("aria-label", "Mở trợ lý hỏi đáp");
      launcher.replaceChildren(svgIcon(CHAT_ICON));
      launcher.focus();
    }

    launcher.addEventListener("click", () => (panel.hidden ? open() : shut()));
    close.addEventListener("click", shut);
    document.addEventListener("keydown", (event) => {
      if (event.key === "Escape" && !panel.hidden) shut();
    });
    // Esc pressed inside the chat (another origin) arrives as a message from the iframe.
    window.addEventListener("message", (event) => {
      const fromChat = frame && event.source === frame.contentWindow && event.origin === chatOrigin;
      if (fromChat && event.data && event.data.type === "th-assistant:close" && !panel.hidden) {
        shut();
      }
    });

    root.append(panel, launcher);
    document.body.append(host);
  }

  if (document.body) mount();
  else document.addEventListener("DOMContentLoaded", mount, { once: true });
})();
