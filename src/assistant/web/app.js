/*
 * Web chat of the question-answering assistant.
 *
 * Plain modern JavaScript, no build step and no dependency. Everything that comes from the
 * server (answers, titles, article text) is put into the page as TEXT (textContent /
 * createTextNode), never as HTML, so an article that contains markup shows that markup
 * as characters and runs nothing.
 *
 * Server API used (all paths relative to the page, so the chat also works behind a prefix):
 *   POST api/ask/stream      {question, history} -> Server-Sent Events:
 *                            meta {query, passages, mode}, delta {text},
 *                            citations {citations: [...]}, done {answerable, mode, timings_ms},
 *                            error {error: {code, message}}
 *   GET  api/documents/{id}  -> {id, title, url, published_at, text, tags}
 *   GET  api/suggestions     -> {suggestions: [string]}
 *   POST api/feedback        {question, answer, rating, comment, query, citations}
 */
"use strict";

(() => {
  const API = {
    ask: "api/ask/stream",
    documents: "api/documents/",
    suggestions: "api/suggestions",
    feedback: "api/feedback",
  };

  /** Turns of the conversation sent with each question (user + assistant = 2 turns). */
  const MAX_HISTORY_TURNS = 10;
  /** Related passages shown under a "not found" answer. */
  const MAX_RELATED = 3;
  const SNIPPET_CHARS = 180;
  const SUGGESTION_RETRIES = 5;

  const TEXT = {
    you: "Bạn hỏi:",
    assistant: "Trợ lý trả lời:",
    searching: "Đang tìm trong các bài viết…",
    notFoundTitle: "Không tìm thấy câu trả lời trong các bài viết",
    related: "Có thể liên quan",
    askInstead: "Các bài viết trả lời được câu hỏi",
    sources: "Nguồn trích dẫn",
    copy: "Sao chép",
    copyLabel: "Sao chép câu trả lời",
    copied: "Đã sao chép",
    copyFailed: "Không sao chép được",
    up: "Câu trả lời hữu ích",
    down: "Câu trả lời chưa tốt",
    commentLabel: "Góp ý thêm (không bắt buộc)",
    commentPlaceholderUp: "Điều gì hữu ích?",
    commentPlaceholderDown: "Câu trả lời sai hoặc thiếu ở đâu?",
    sendFeedback: "Gửi đánh giá",
    cancel: "Hủy",
    thanks: "Cảm ơn bạn đã góp ý!",
    feedbackFailed: "Chưa gửi được đánh giá. Vui lòng thử lại.",
    stopped: "Đã dừng trả lời.",
    incomplete: "Câu trả lời bị gián đoạn. Vui lòng thử lại.",
    network: "Không kết nối được máy chủ. Vui lòng kiểm tra mạng và thử lại.",
    loadingDoc: "Đang tải bài viết…",
    docFailed: "Không tải được toàn văn bài viết; dưới đây là đoạn được trích.",
    quoteNotFound: "Không xác định được vị trí đoạn trích trong bài viết.",
    published: "Ngày đăng",
    openArticle: "Mở bài viết gốc",
    newTab: "(mở trong thẻ mới)",
    newChat: "Đã bắt đầu cuộc trò chuyện mới.",
    sourceLabel: (n, title) => `Xem nguồn ${n}: ${title}`,
    relatedLabel: (title) => `Xem đoạn có thể liên quan trong bài: ${title}`,
    httpError: (status) => `Đã có lỗi xảy ra (mã ${status}). Vui lòng thử lại.`,
  };

  const HTTP_MESSAGES = {
    400: "Câu hỏi không hợp lệ. Vui lòng kiểm tra và thử lại.",
    413: "Câu hỏi quá dài. Vui lòng rút gọn.",
    422: "Câu hỏi không hợp lệ. Vui lòng kiểm tra và thử lại.",
    429: "Bạn đã gửi quá nhiều câu hỏi. Vui lòng thử lại sau ít phút.",
    503: "Hệ thống đang khởi động hoặc bảo trì. Vui lòng thử lại sau.",
  };

  const $ = (id) => document.getElementById(id);
  const els = {
    scroll: $("chat-scroll"),
    welcome: $("welcome"),
    suggestions: $("suggestions"),
    suggestionsTitle: $("suggestions-title"),
    messages: $("messages"),
    form: $("composer"),
    input: $("question"),
    send: $("send"),
    stop: $("stop"),
    newChat: $("new-chat"),
    panel: $("source-panel"),
    panelKicker: $("source-kicker"),
    panelTitle: $("source-title"),
    panelMeta: $("source-meta"),
    panelStatus: $("source-status"),
    panelText: $("source-text"),
    panelClose: $("source-close"),
    announcer: $("announcer"),
  };

  const state = {
    /** [{role: "user" | "assistant", content}] sent with the next question. */
    history: [],
    /** AbortController of the answer being streamed, or null. */
    controller: null,
    /** doc_id -> Promise of the document (fetched once per page). */
    documents: new Map(),
    /** Element that opened the source panel (focus returns to it on close). */
    panelOpener: null,
    /** Incremented on each panel open so a slow fetch never fills a newer panel. */
    panelToken: 0,
  };

  // --- small DOM helpers ------------------------------------------------------------------

  /** Element with classes, attributes and children (strings become text nodes). */
  function h(tag, props = {}, ...children) {
    const node = document.createElement(tag);
    for (const [key, value] of Object.entries(props)) {
      if (value === undefined || value === null || value === false) continue;
      if (key === "class") node.className = value;
      else if (key === "text") node.textContent = value;
      else if (key.startsWith("on")) node.addEventListener(key.slice(2), value);
      else node.setAttribute(key, value === true ? "" : String(value));
    }
    for (const child of children) {
      if (child === null || child === undefined || child === false) continue;
      node.append(typeof child === "string" ? document.createTextNode(child) : child);
    }
    return node;
  }

  const SVG_NS = "http://www.w3.org/2000/svg";
  const ICONS = {
    up: "M7 10v10H4V10h3zm2 10h8.3a2 2 0 0 0 2-1.6l1.4-7A2 2 0 0 0 18.7 9H14l.8-4a1.6 1.6 0 0 0-3-1L9 9.5z",
    down: "M7 14V4H4v10h3zm2-10h8.3a2 2 0 0 1 2 1.6l1.4 7a2 2 0 0 1-2 2.4H14l.8 4a1.6 1.6 0 0 1-3 1L9 14.5z",
    copy: "M9 9h10v11H9zM5 15V4h10",
    info: "M12 3a9 9 0 1 0 0 18 9 9 0 0 0 0-18zm0 5v.5M12 11v6",
    search: "M10.5 4a6.5 6.5 0 1 0 0 13 6.5 6.5 0 0 0 0-13zM15.5 15.5 20 20",
    warning: "M12 3 2 20h20L12 3zm0 6v5m0 3v.5",
  };

  /** A decorative stroke icon (hidden from assistive technology). */
  function icon(name) {
    const svg = document.createElementNS(SVG_NS, "svg");
    svg.setAttribute("viewBox", "0 0 24 24");
    svg.setAttribute("class", "icon");
    svg.setAttribute("aria-hidden", "true");
    svg.setAttribute("focusable", "false");
    const path = document.createElementNS(SVG_NS, "path");
    path.setAttribute("d", ICONS[name]);
    svg.append(path);
    return svg;
  }

  /** Say something to screen-reader users without moving focus. */
  function announce(message) {
    els.announcer.textContent = "";
    window.setTimeout(() => {
      els.announcer.textContent = message;
    }, 50);
  }

  /** "2021-03-18" or an ISO datetime -> "18/03/2021" (no time-zone shift). */
  function formatDate(value) {
    if (!value) return "";
    const match = /^(\d{4})-(\d{2})-(\d{2})/.exec(String(value));
    return match ? `${match[3]}/${match[2]}/${match[1]}` : String(value);
  }

  /** The URL if it is an absolute http(s) link, else null (no javascript: links). */
  function safeUrl(value) {
    if (!value) return null;
    try {
      const url = new URL(String(value), window.location.href);
      return url.protocol === "http:" || url.protocol === "https:" ? url.href : null;
    } catch {
      return null;
    }
  }

  /**
   * Offsets from the server count Unicode code points (Python string indices); JavaScript
   * strings index UTF-16 code units. They differ only after a character outside the Basic
   * Multilingual Plane (emoji, rare CJK), so convert by walking the code points then.
   */
  function codePointToIndex(text, offset) {
    if (!/[\uD800-\uDFFF]/.test(text)) return Math.min(offset, text.length);
    let index = 0;
    for (let count = 0; count < offset && index < text.length; count += 1) {
      index += text.codePointAt(index) > 0xffff ? 2 : 1;
    }
    return index;
  }

  /** Start/end (UTF-16) of the quoted span in the text; falls back to searching the quote. */
  function locateQuote(text, start, end, quote) {
    if (Number.isInteger(start) && Number.isInteger(end) && end > start) {
      const from = codePointToIndex(text, start);
      const to = codePointToIndex(text, end);
      if (!quote || text.slice(from, to) === quote) return [from, to];
    }
    if (quote) {
      const found = text.indexOf(quote);
      if (found >= 0) return [found, found + quote.length];
    }
    return null;
  }

  function snippet(text, limit = SNIPPET_CHARS) {
    const clean = String(text || "")
      .replace(/\s+/g, " ")
      .trim();
    if (clean.length <= limit) return clean;
    const cut = clean.lastIndexOf(" ", limit);
    return `${clean.slice(0, cut > limit / 2 ? cut : limit)}…`;
  }

  function isNearBottom() {
    const { scrollTop, scrollHeight, clientHeight } = els.scroll;
    return scrollHeight - scrollTop - clientHeight < 120;
  }

  function scrollToBottom() {
    els.scroll.scrollTop = els.scroll.scrollHeight;
  }

  // --- Server-Sent Events over fetch ------------------------------------------------------

  /**
   * Parse a text/event-stream response body into {event, data} objects (data parsed as
   * JSON). Follows the SSE framing rules: lines end with LF, CRLF or CR; "data:" lines are
   * joined with LF; a blank line dispatches; lines starting with ":" are comments.
   */
  async function* readEvents(response) {
    const reader = response.body.pipeThrough(new TextDecoderStream()).getReader();
    let buffer = "";
    let eventName = "";
    let dataLines = [];

    function* dispatch() {
      if (dataLines.length) {
        const raw = dataLines.join("\n");
        let data = null;
        try {
          data = JSON.parse(raw);
        } catch {
          data = { text: raw };
        }
        yield { event: eventName || "message", data };
      }
      eventName = "";
      dataLines = [];
    }

    function* consumeLine(line) {
      if (line === "") {
        yield* dispatch();
        return;
      }
      if (line.startsWith(":")) return;
      const colon = line.indexOf(":");
      const field = colon < 0 ? line : line.slice(0, colon);
      let value = colon < 0 ? "" : line.slice(colon + 1);
      if (value.startsWith(" ")) value = value.slice(1);
      if (field === "event") eventName = value;
      else if (field === "data") dataLines.push(value);
    }

    try {
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        buffer += value;
        for (;;) {
          const match = /\r\n|\r|\n/.exec(buffer);
          // A lone CR at the end may be the first half of a CRLF: wait for more input.
          if (!match || (match[0] === "\r" && match.index === buffer.length - 1)) break;
          const line = buffer.slice(0, match.index);
          buffer = buffer.slice(match.index + match[0].length);
          yield* consumeLine(line);
        }
      }
      if (buffer) yield* consumeLine(buffer);
      yield* dispatch();
    } finally {
      // Stops the download when the reader leaves early (done event, stop button).
      reader.cancel().catch(() => {});
    }
  }

  /** The Vietnamese message of an error payload: {error: {code, message}} or {code, message}. */
  function errorMessage(data) {
    if (!data) return "";
    if (data.error && typeof data.error.message === "string") return data.error.message;
    return typeof data.message === "string" ? data.message : "";
  }

  /** An Error carrying a Vietnamese message from a failed HTTP response. */
  async function responseError(response) {
    let message = HTTP_MESSAGES[response.status] || TEXT.httpError(response.status);
    try {
      message = errorMessage(await response.json()) || message;
    } catch {
      // not JSON: keep the generic message
    }
    const error = new Error(message);
    error.userMessage = message;
    return error;
  }

  // --- answer text with citation markers ---------------------------------------------------

  const MARKER = /\[(\d+)\]/g;

  /**
   * Render the answer into `container` as text, turning each [n] marker into a button that
   * opens source n (or into a plain badge while the citations are not known yet).
   */
  function renderAnswerText(container, text, citations, onCite) {
    const fragment = document.createDocumentFragment();
    let last = 0;
    for (const match of text.matchAll(MARKER)) {
      if (match.index > last) {
        fragment.append(document.createTextNode(text.slice(last, match.index)));
      }
      const n = Number(match[1]);
      const citation = citations.get(n);
      let marker;
      if (citation) {
        const button = h("button", {
          type: "button",
          class: "cite",
          "data-n": n,
          "aria-label": TEXT.sourceLabel(n, citation.title || ""),
          title: citation.title || "",
          text: String(n),
        });
        button.addEventListener("click", () => onCite(citation, button));
        marker = button;
      } else {
        marker = h("span", { class: "cite cite--pending", text: match[0] });
      }
      last = match.index + match[0].length;
      // Keep the punctuation that follows on the marker's line ("… quốc tế [1].").
      const punctuation = /^[.,;:!?…)”»]+/.exec(text.slice(last));
      if (punctuation) {
        fragment.append(h("span", { class: "cite-group" }, marker, punctuation[0]));
        last += punctuation[0].length;
      } else {
        fragment.append(marker);
      }
    }
    if (last < text.length) fragment.append(document.createTextNode(text.slice(last)));
    container.replaceChildren(fragment);
  }

  // --- one exchange: question + streamed answer ---------------------------------------------

  function addUserMessage(question) {
    const article = h(
      "article",
      { class: "msg msg--user" },
      h("p", { class: "visually-hidden", text: TEXT.you }),
      h("p", { class: "msg__bubble", text: question }),
    );
    els.messages.append(article);
    return article;
  }

  /** The view of one assistant answer; fed by the events of the stream. */
  class AnswerView {
    constructor(question) {
      this.question = question;
      this.text = "";
      this.query = question;
      this.passages = [];
      this.citations = new Map();
      this.answerable = true;
      this.finished = false;

      this.status = h(
        "p",
        { class: "msg__status" },
        h("span", { class: "typing", "aria-hidden": "true" }, h("span"), h("span"), h("span")),
        " ",
        TEXT.searching,
      );
      this.notice = h(
        "p",
        { class: "msg__notice", hidden: true },
        icon("search"),
        h("span", { text: TEXT.notFoundTitle }),
      );
      this.body = h("div", { class: "msg__text" });
      this.extra = h("div", { class: "msg__extra" });
      this.actions = h("div", { class: "msg__actions", hidden: true });
      this.bubble = h(
        "div",
        { class: "msg__bubble" },
        this.notice,
        this.status,
        this.body,
        this.extra,
      );
      this.element = h(
        "article",
        { class: "msg msg--assistant", "aria-busy": "true" },
        h("p", { class: "visually-hidden", text: TEXT.assistant }),
        this.bubble,
        this.actions,
      );
      els.messages.append(this.element);
    }

    handle(event, data) {
      const follow = isNearBottom();
      switch (event) {
        case "meta":
          if (data && typeof data.query === "string" && data.query) this.query = data.query;
          this.passages = Array.isArray(data && data.passages) ? data.passages : [];
          break;
        case "delta":
          this.status.hidden = true;
          this.text += data && typeof data.text === "string" ? data.text : "";
          this.renderText();
          break;
        case "citations":
          for (const citation of (data && data.citations) || [])
            this.citations.set(Number(citation.n), citation);
          this.renderText();
          break;
        case "done":
          this.finish(data || {});
          break;
        case "error":
          this.fail(errorMessage(data) || TEXT.incomplete);
          break;
        default:
          break;
      }
      if (follow) scrollToBottom();
    }

    renderText() {
      renderAnswerText(this.body, this.text, this.citations, (citation, opener) =>
        openSource(citation, opener),
      );
    }

    finish(done) {
      this.finished = true;
      this.answerable = done.answerable !== false;
      this.status.hidden = true;
      this.element.setAttribute("aria-busy", "false");
      if (!this.answerable) {
        this.element.classList.add("msg--notfound");
        this.notice.hidden = false;
        this.renderAskInstead(Array.isArray(done.suggestions) ? done.suggestions : []);
        const related =
          Array.isArray(done.related) && done.related.length ? done.related : this.passages;
        this.renderRelated(related.slice(0, MAX_RELATED));
      } else {
        this.renderSources();
      }
      this.renderActions();
    }

    /** Citations grouped by article under the answer. */
    renderSources() {
      if (!this.citations.size) return;
      const groups = new Map();
      for (const citation of [...this.citations.values()].sort((a, b) => a.n - b.n)) {
        const key = citation.doc_id;
        if (!groups.has(key)) groups.set(key, []);
        groups.get(key).push(citation);
      }
      const list = h("ul", { class: "sources" });
      for (const citations of groups.values()) {
        const first = citations[0];
        const numbers = h("span", { class: "sources__numbers" });
        for (const citation of citations) {
          const button = h("button", {
            type: "button",
            class: "cite",
            "aria-label": TEXT.sourceLabel(citation.n, citation.title || ""),
            text: String(citation.n),
          });
          button.addEventListener("click", () => openSource(citation, button));
          numbers.append(button);
        }
        const date = formatDate(first.published_at);
        const label = h(
          "span",
          { class: "sources__label" },
          h("span", { class: "sources__title", text: first.title || first.doc_id }),
          date ? h("span", { class: "sources__date", text: ` · ${date}` }) : null,
        );
        list.append(h("li", { class: "sources__item" }, numbers, label));
      }
      this.extra.append(h("h3", { class: "msg__subtitle", text: TEXT.sources }), list);
    }

    /** Questions the closest passages do answer, offered in place of a refused one: a
     * click asks it. */
    renderAskInstead(questions) {
      const texts = questions.filter((q) => typeof q === "string" && q.trim()).slice(0, 3);
      if (!texts.length) return;
      const list = h(
        "ul",
        { class: "suggestions suggestions--instead" },
        ...texts.map((text) => {
          const button = h("button", { type: "button", class: "suggestion", text });
          button.addEventListener("click", () => ask(text));
          return h("li", {}, button);
        }),
      );
      this.extra.append(h("h3", { class: "msg__subtitle", text: TEXT.askInstead }), list);
    }

    /** "Có thể liên quan": passages that were found but do not answer the question. */
    renderRelated(passages) {
      if (!passages.length) return;
      const list = h("ul", { class: "related" });
      for (const passage of passages) {
        const source = {
          doc_id: passage.doc_id,
          title: passage.title,
          url: passage.url,
          published_at: passage.published_at,
          start: passage.start,
          end: passage.end,
          quote: passage.text || passage.quote || "",
        };
        const date = formatDate(passage.published_at);
        const button = h(
          "button",
          {
            type: "button",
            class: "related__item",
            "aria-label": TEXT.relatedLabel(passage.title || passage.doc_id),
          },
          h("span", { class: "related__title", text: passage.title || passage.doc_id }),
          date ? h("span", { class: "related__date", text: date }) : null,
          source.quote
            ? h("span", { class: "related__snippet", text: snippet(source.quote) })
            : null,
        );
        button.addEventListener("click", () => openSource(source, button));
        list.append(h("li", {}, button));
      }
      this.extra.append(h("h3", { class: "msg__subtitle", text: TEXT.related }), list);
    }

    renderActions() {
      const copy = h(
        "button",
        { type: "button", class: "btn btn--small", "aria-label": TEXT.copyLabel },
        icon("copy"),
        h("span", { class: "btn__label", text: TEXT.copy }),
      );
      copy.addEventListener("click", () => this.copy(copy));
      this.up = h(
        "button",
        {
          type: "button",
          class: "btn btn--small btn--thumb",
          "aria-label": TEXT.up,
          "aria-pressed": "false",
          title: TEXT.up,
        },
        icon("up"),
      );
      this.down = h(
        "button",
        {
          type: "button",
          class: "btn btn--small btn--thumb",
          "aria-label": TEXT.down,
          "aria-pressed": "false",
          title: TEXT.down,
        },
        icon("down"),
      );
      this.up.addEventListener("click", () => this.openFeedback("up"));
      this.down.addEventListener("click", () => this.openFeedback("down"));
      this.actions.replaceChildren(copy, this.up, this.down);
      this.actions.hidden = false;
    }

    plainText() {
      const lines = [this.text.trim()];
      if (this.citations.size) {
        lines.push("", `${TEXT.sources}:`);
        for (const citation of [...this.citations.values()].sort((a, b) => a.n - b.n)) {
          const parts = [`[${citation.n}] ${citation.title || citation.doc_id}`];
          const date = formatDate(citation.published_at);
          if (date) parts.push(date);
          const url = safeUrl(citation.url);
          if (url) parts.push(url);
          lines.push(parts.join(" — "));
        }
      }
      return lines.join("\n");
    }

    async copy(button) {
      const label = button.querySelector(".btn__label");
      let ok = false;
      try {
        await navigator.clipboard.writeText(this.plainText());
        ok = true;
      } catch {
        ok = legacyCopy(this.plainText());
      }
      label.textContent = ok ? TEXT.copied : TEXT.copyFailed;
      announce(label.textContent);
      window.setTimeout(() => {
        label.textContent = TEXT.copy;
      }, 2000);
    }

    openFeedback(rating) {
      if (this.feedbackSent) return;
      this.up.setAttribute("aria-pressed", String(rating === "up"));
      this.down.setAttribute("aria-pressed", String(rating === "down"));
      if (this.feedbackForm) this.feedbackForm.remove();
      const id = `comment-${Math.random().toString(36).slice(2, 10)}`;
      const comment = h("textarea", {
        id,
        class: "feedback__comment",
        rows: 2,
        maxlength: 2000,
        placeholder: rating === "up" ? TEXT.commentPlaceholderUp : TEXT.commentPlaceholderDown,
      });
      const error = h("p", { class: "feedback__error", role: "alert", hidden: true });
      const submit = h("button", {
        type: "submit",
        class: "btn btn--primary btn--small",
        text: TEXT.sendFeedback,
      });
      const cancel = h("button", { type: "button", class: "btn btn--small", text: TEXT.cancel });
      const form = h(
        "form",
        { class: "feedback", "data-rating": rating },
        h("label", { for: id, class: "feedback__label", text: TEXT.commentLabel }),
        comment,
        error,
        h("div", { class: "feedback__buttons" }, submit, cancel),
      );
      cancel.addEventListener("click", () => {
        form.remove();
        this.feedbackForm = null;
        this.up.setAttribute("aria-pressed", "false");
        this.down.setAttribute("aria-pressed", "false");
        (rating === "up" ? this.up : this.down).focus();
      });
      comment.addEventListener("keydown", (event) => {
        if (event.key === "Enter" && (event.ctrlKey || event.metaKey)) {
          event.preventDefault();
          form.requestSubmit();
        }
      });
      form.addEventListener("submit", async (event) => {
        event.preventDefault();
        submit.disabled = true;
        error.hidden = true;
        try {
          await this.sendFeedback(rating, comment.value.trim());
          this.feedbackSent = true;
          this.up.disabled = true;
          this.down.disabled = true;
          const thanks = h("p", {
            class: "feedback__thanks",
            role: "status",
            tabindex: "-1",
            text: TEXT.thanks,
          });
          form.replaceWith(thanks);
          thanks.focus();
        } catch (err) {
          error.textContent = err.userMessage || TEXT.feedbackFailed;
          error.hidden = false;
          submit.disabled = false;
        }
      });
      this.feedbackForm = form;
      this.actions.after(form);
      comment.focus();
    }

    async sendFeedback(rating, comment) {
      const citations = [...this.citations.values()].map((c) => ({
        n: c.n,
        doc_id: c.doc_id,
        title: c.title,
        start: c.start,
        end: c.end,
      }));
      let response;
      try {
        response = await fetch(API.feedback, {
          method: "POST",
          headers: { "Content-Type": "application/json", Accept: "application/json" },
          body: JSON.stringify({
            question: this.question,
            answer: this.text,
            rating,
            comment: comment || null,
            query: this.query,
            citations,
          }),
        });
      } catch {
        throw Object.assign(new Error(TEXT.network), { userMessage: TEXT.network });
      }
      if (!response.ok) throw await responseError(response);
    }

    stopped() {
      this.finished = true;
      this.status.hidden = true;
      this.element.setAttribute("aria-busy", "false");
      this.extra.append(h("p", { class: "msg__stopped", text: TEXT.stopped }));
    }

    fail(message) {
      this.finished = true;
      this.failed = true;
      this.status.hidden = true;
      this.element.setAttribute("aria-busy", "false");
      this.element.classList.add("msg--error");
      this.extra.append(
        h(
          "p",
          { class: "msg__error", role: "alert" },
          icon("warning"),
          h("span", { text: message }),
        ),
      );
    }
  }

  function legacyCopy(text) {
    const area = h("textarea", { class: "visually-hidden", readonly: true });
    area.value = text;
    document.body.append(area);
    area.select();
    let ok = false;
    try {
      ok = document.execCommand("copy");
    } catch {
      ok = false;
    }
    area.remove();
    return ok;
  }

  // --- asking ------------------------------------------------------------------------------

  function setBusy(busy) {
    // The send button is about to disappear: keep the keyboard focus on the question box.
    if (busy && document.activeElement === els.send) els.input.focus();
    els.send.hidden = busy;
    els.stop.hidden = !busy;
    els.form.classList.toggle("is-busy", busy);
  }

  async function ask(rawQuestion) {
    const question = rawQuestion.trim();
    if (!question || state.controller) return;
    els.welcome.hidden = true;
    addUserMessage(question);
    const view = new AnswerView(question);
    scrollToBottom();
    announce(TEXT.searching);

    const controller = new AbortController();
    state.controller = controller;
    setBusy(true);
    const history = state.history.slice(-MAX_HISTORY_TURNS);
    try {
      const response = await fetch(API.ask, {
        method: "POST",
        headers: { "Content-Type": "application/json", Accept: "text/event-stream" },
        body: JSON.stringify({ question, history }),
        signal: controller.signal,
      });
      if (!response.ok) throw await responseError(response);
      for await (const { event, data } of readEvents(response)) {
        view.handle(event, data);
        if (view.finished) break;
      }
      if (!view.finished) view.fail(TEXT.incomplete);
    } catch (err) {
      if (controller.signal.aborted) view.stopped();
      else view.fail(err.userMessage || TEXT.network);
    } finally {
      if (state.controller === controller) {
        state.controller = null;
        setBusy(false);
      }
    }
    if (view.finished && !view.failed && !controller.signal.aborted && view.text) {
      // The standalone query the server answered stands for the user's turn, so that a
      // chain of follow-ups ("Còn nhập khẩu thì sao?") keeps its topic.
      state.history.push(
        { role: "user", content: view.query || question },
        { role: "assistant", content: view.text },
      );
      state.history = state.history.slice(-MAX_HISTORY_TURNS);
    }
  }

  function newConversation() {
    if (state.controller) state.controller.abort();
    state.controller = null;
    setBusy(false);
    state.history = [];
    closeSource({ restoreFocus: false });
    els.messages.replaceChildren();
    els.welcome.hidden = false;
    els.input.value = "";
    autoGrow();
    els.scroll.scrollTop = 0;
    els.input.focus();
    announce(TEXT.newChat);
  }

  // --- source panel ------------------------------------------------------------------------

  function loadDocument(docId) {
    if (!state.documents.has(docId)) {
      const promise = fetch(API.documents + encodeURIComponent(docId), {
        headers: { Accept: "application/json" },
      }).then(async (response) => {
        if (!response.ok) throw await responseError(response);
        return response.json();
      });
      promise.catch(() => state.documents.delete(docId));
      state.documents.set(docId, promise);
    }
    return state.documents.get(docId);
  }

  function renderMeta(source) {
    const parts = [];
    const date = formatDate(source.published_at);
    if (date) {
      const time = h("time", { datetime: String(source.published_at).slice(0, 10), text: date });
      parts.push(h("span", { class: "source-panel__date" }, `${TEXT.published}: `, time));
    }
    const url = safeUrl(source.url);
    if (url) {
      parts.push(
        h(
          "a",
          { class: "source-panel__link", href: url, target: "_blank", rel: "noopener noreferrer" },
          TEXT.openArticle,
          h("span", { class: "visually-hidden", text: ` ${TEXT.newTab}` }),
        ),
      );
    }
    els.panelMeta.replaceChildren(...parts);
    els.panelMeta.hidden = parts.length === 0;
  }

  /** The article text with the cited span inside a <mark>, all as text nodes. */
  function renderArticle(text, range) {
    const fragment = document.createDocumentFragment();
    if (!range) {
      fragment.append(document.createTextNode(text));
      els.panelText.replaceChildren(fragment);
      return null;
    }
    const [from, to] = range;
    const mark = h("mark", { class: "quote", id: "source-highlight", text: text.slice(from, to) });
    fragment.append(
      document.createTextNode(text.slice(0, from)),
      mark,
      document.createTextNode(text.slice(to)),
    );
    els.panelText.replaceChildren(fragment);
    return mark;
  }

  async function openSource(source, opener) {
    const token = ++state.panelToken;
    state.panelOpener = opener || null;
    els.panel.hidden = false;
    document.body.classList.add("has-source");
    els.panelKicker.textContent = Number.isInteger(source.n)
      ? `${TEXT.sources} [${source.n}]`
      : TEXT.related;
    els.panelTitle.textContent = source.title || source.doc_id || "";
    renderMeta(source);
    els.panelStatus.textContent = TEXT.loadingDoc;
    els.panelText.replaceChildren();
    els.panelTitle.focus();

    let mark = null;
    try {
      const doc = await loadDocument(source.doc_id);
      if (token !== state.panelToken) return;
      const text = typeof doc.text === "string" ? doc.text : "";
      els.panelTitle.textContent = doc.title || source.title || source.doc_id;
      renderMeta({
        url: doc.url || source.url,
        published_at: doc.published_at || source.published_at,
      });
      const range = locateQuote(text, source.start, source.end, source.quote);
      mark = renderArticle(text, range);
      els.panelStatus.textContent = range ? "" : TEXT.quoteNotFound;
    } catch {
      if (token !== state.panelToken) return;
      els.panelStatus.textContent = TEXT.docFailed;
      mark = source.quote ? renderArticle(source.quote, [0, source.quote.length]) : null;
    }
    if (mark) mark.scrollIntoView({ block: "center" });
  }

  function closeSource({ restoreFocus = true } = {}) {
    if (els.panel.hidden) return;
    state.panelToken += 1;
    els.panel.hidden = true;
    document.body.classList.remove("has-source");
    const opener = state.panelOpener;
    state.panelOpener = null;
    if (!restoreFocus) return;
    if (opener && opener.isConnected) opener.focus();
    else els.input.focus();
  }

  // --- suggestions -------------------------------------------------------------------------

  /** Suggested questions for the empty screen; retried a few times while the service is
   * still loading (503 with Retry-After). */
  async function loadSuggestions(attempt = 0) {
    let suggestions = [];
    try {
      const response = await fetch(API.suggestions, { headers: { Accept: "application/json" } });
      if (response.status === 503 && attempt < SUGGESTION_RETRIES) {
        const wait = Number(response.headers.get("Retry-After")) || 5;
        window.setTimeout(() => loadSuggestions(attempt + 1), Math.min(wait, 30) * 1000);
        return;
      }
      if (response.ok) {
        const body = await response.json();
        suggestions = Array.isArray(body.suggestions)
          ? body.suggestions.filter((s) => typeof s === "string" && s.trim())
          : [];
      }
    } catch {
      suggestions = [];
    }
    els.suggestions.replaceChildren(
      ...suggestions.slice(0, 6).map((text) => {
        const button = h("button", { type: "button", class: "suggestion", text });
        button.addEventListener("click", () => ask(text));
        return h("li", {}, button);
      }),
    );
    els.suggestionsTitle.hidden = suggestions.length === 0;
  }

  // --- composer ----------------------------------------------------------------------------

  function autoGrow() {
    els.input.style.height = "auto";
    els.input.style.height = `${Math.min(els.input.scrollHeight, 200)}px`;
  }

  function submitQuestion() {
    const question = els.input.value.trim();
    if (!question || state.controller) return;
    els.input.value = "";
    autoGrow();
    ask(question);
  }

  function init() {
    const embedded = new URLSearchParams(window.location.search).has("embed");
    if (embedded) {
      document.documentElement.classList.add("is-embedded");
      // The widget focuses the iframe when it opens: land on the question box.
      els.input.focus();
    }
    els.form.addEventListener("submit", (event) => {
      event.preventDefault();
      submitQuestion();
    });
    els.input.addEventListener("keydown", (event) => {
      // keyCode 229: a Vietnamese input method (Telex, VNI) is still composing the word.
      if (event.key === "Enter" && !event.shiftKey && !event.isComposing && event.keyCode !== 229) {
        event.preventDefault();
        submitQuestion();
      }
    });
    els.input.addEventListener("input", autoGrow);
    els.stop.addEventListener("click", () => {
      if (state.controller) state.controller.abort();
      els.input.focus();
    });
    els.newChat.addEventListener("click", newConversation);
    els.panelClose.addEventListener("click", () => closeSource());
    document.addEventListener("keydown", (event) => {
      if (event.key !== "Escape") return;
      if (!els.panel.hidden) {
        event.preventDefault();
        closeSource();
      } else if (embedded && window.parent !== window) {
        // Inside the widget: Esc closes the widget's panel (widget.js checks the origin).
        window.parent.postMessage({ type: "th-assistant:close" }, "*");
      }
    });
    loadSuggestions();
  }

  init();
})();
