/*
 * Parley web chat widget. A site embeds it with one tag:
 *
 *   <script src="https://<parley>/chat/widget.js" data-inbox="<inbox id>" async></script>
 *
 * No framework and nothing inline: the elements live in a shadow root, styled
 * by a constructed stylesheet, which a page's Content-Security-Policy style-src
 * does not govern (WICG/construct-stylesheets#98), so a strict policy only
 * needs script-src and connect-src for Parley. Text from visitors and agents
 * only ever goes through textContent.
 *
 * The protocol is described in internal/channel/webchat/doc.go.
 */
(function () {
  'use strict';

  var script = document.currentScript;
  if (!script || !script.src) {
    return;
  }
  var inbox = script.getAttribute('data-inbox') || '';
  if (!/^[1-9][0-9]{0,17}$/.test(inbox)) {
    if (window.console) {
      window.console.warn('Parley chat: data-inbox must be the inbox id.');
    }
    return;
  }
  var started = window.__parleyChat || (window.__parleyChat = {});
  if (started[inbox]) {
    return;
  }

  var CSS = "__PARLEY_WIDGET_CSS__";
  var MAX_TEXT_BYTES = 65536;
  var MAX_FRAME_BYTES = 2 * 65536 + 4096;
  var TYPING_REPEAT_MS = 3000;
  var TYPING_IDLE_MS = 4000;
  var AGENT_TYPING_MS = 10000;
  var RETRY_MS = 3000;

  var base = new URL(script.src, document.baseURI);
  var socketURL = (base.protocol === 'https:' ? 'wss:' : 'ws:') + '//' + base.host + '/chat/ws/' + inbox;
  var storeKey = 'parley-chat:' + base.host + ':' + inbox + ':';
  var encoder = window.TextEncoder ? new window.TextEncoder() : null;

  // localStorage may be missing or throw (storage blocked): keep going in memory.
  function load(name) {
    try {
      return window.localStorage.getItem(storeKey + name);
    } catch (e) {
      return null;
    }
  }
  function save(name, value) {
    try {
      if (value === null) {
        window.localStorage.removeItem(storeKey + name);
      } else {
        window.localStorage.setItem(storeKey + name, value);
      }
    } catch (e) {
      // memory only
    }
  }
  function loadPending() {
    try {
      var list = JSON.parse(load('pending') || '[]');
      return Array.isArray(list) ? list.filter(function (p) {
        return p && typeof p.client_id === 'string' && typeof p.text === 'string';
      }) : [];
    } catch (e) {
      return [];
    }
  }

  var state = {
    token: load('token') || '',
    ws: null,
    connected: false,
    wanted: false,
    attempts: 0,
    reconnectTimer: 0,
    open: false,
    available: true,
    visitor: null,
    inbox: null,
    pending: loadPending(),
    pendingIdentify: null,
    retryTimer: 0,
    byId: {},
    byClient: {},
    unread: 0,
    lastSeen: Number(load('seen')) || 0,
    newestReply: 0,
    typingOn: false,
    typingSentAt: 0,
    typingIdle: 0,
    agentTyping: 0,
    greeted: false,
    offlineSent: false
  };

  function savePending() {
    save('pending', state.pending.length ? JSON.stringify(state.pending) : null);
  }

  function newID() {
    if (window.crypto && window.crypto.randomUUID) {
      return window.crypto.randomUUID();
    }
    var b = new Uint8Array(16);
    window.crypto.getRandomValues(b);
    return Array.prototype.map.call(b, function (x) {
      return (x < 16 ? '0' : '') + x.toString(16);
    }).join('');
  }

  function byteLength(s) {
    return encoder ? encoder.encode(s).length : s.length * 3;
  }

  // ---- Elements ----

  function el(tag, cls, text) {
    var e = document.createElement(tag);
    if (cls) {
      e.className = cls;
    }
    if (text) {
      e.textContent = text;
    }
    return e;
  }
  function field(labelText, input) {
    var l = el('label', '', labelText);
    l.appendChild(input);
    return l;
  }
  function input(type, name, autocomplete) {
    var i = el('input');
    i.type = type;
    i.name = name;
    i.autocomplete = autocomplete;
    return i;
  }

  var host = el('div');
  host.setAttribute('data-parley-chat', inbox);
  var root = host.attachShadow({ mode: 'open' });
  var sheet = null;
  try {
    sheet = new window.CSSStyleSheet();
    sheet.replaceSync(CSS);
    root.adoptedStyleSheets = [sheet];
  } catch (e) {
    // Browsers without constructed stylesheets: a style element (which a
    // strict style-src refuses).
    root.appendChild(el('style', '', CSS));
  }

  var wrap = el('div', 'root');
  var launcher = el('button', 'launcher');
  launcher.type = 'button';
  launcher.setAttribute('aria-expanded', 'false');
  launcher.setAttribute('aria-controls', 'parley-panel');
  var svgNS = 'http://www.w3.org/2000/svg';
  var icon = document.createElementNS(svgNS, 'svg');
  icon.setAttribute('viewBox', '0 0 24 24');
  icon.setAttribute('aria-hidden', 'true');
  icon.setAttribute('focusable', 'false');
  var path = document.createElementNS(svgNS, 'path');
  path.setAttribute('d', 'M4 3h16a2 2 0 0 1 2 2v11a2 2 0 0 1-2 2H9l-5 4v-4H4a2 2 0 0 1-2-2V5a2 2 0 0 1 2-2z');
  icon.appendChild(path);
  launcher.appendChild(icon);
  var badge = el('span', 'badge');
  badge.hidden = true;
  badge.setAttribute('aria-hidden', 'true');
  launcher.appendChild(badge);

  var panel = el('section', 'panel');
  panel.id = 'parley-panel';
  panel.hidden = true;
  panel.setAttribute('role', 'dialog');
  panel.setAttribute('aria-labelledby', 'parley-title');

  var head = el('div', 'head');
  var titles = el('div', 'titles');
  var title = el('h2', 'title', 'Chat');
  title.id = 'parley-title';
  var status = el('p', 'status', 'Connecting…');
  titles.appendChild(title);
  titles.appendChild(status);
  var closeButton = el('button', 'close', '×');
  closeButton.type = 'button';
  closeButton.setAttribute('aria-label', 'Close chat');
  head.appendChild(titles);
  head.appendChild(closeButton);

  var banner = el('p', 'banner');
  banner.setAttribute('role', 'status');
  banner.hidden = true;

  var log = el('ol', 'log');
  log.setAttribute('role', 'log');
  log.setAttribute('aria-live', 'polite');
  log.setAttribute('aria-label', 'Conversation');
  log.tabIndex = 0;

  var typing = el('p', 'typing');
  typing.setAttribute('aria-live', 'polite');

  // Leave a name and email while online (optional).
  var identify = el('details', 'identify');
  var identifySummary = el('summary', '', 'Get word of our answer by email');
  var identifyForm = el('form', 'form');
  identifyForm.noValidate = false;
  var idName = input('text', 'name', 'name');
  idName.maxLength = 100;
  var idEmail = input('email', 'email', 'email');
  idEmail.required = true;
  idEmail.maxLength = 254;
  var idSave = el('button', 'primary', 'Save');
  idSave.type = 'submit';
  var idError = el('p', 'error');
  idError.setAttribute('role', 'alert');
  identifyForm.appendChild(field('Name', idName));
  identifyForm.appendChild(field('Email', idEmail));
  identifyForm.appendChild(idSave);
  identifyForm.appendChild(idError);
  identify.appendChild(identifySummary);
  identify.appendChild(identifyForm);

  var composer = el('form', 'composer');
  var textLabel = el('label', 'sr', 'Message');
  textLabel.htmlFor = 'parley-text';
  var text = el('textarea');
  text.id = 'parley-text';
  text.name = 'text';
  text.rows = 1;
  text.placeholder = 'Write a message…';
  text.setAttribute('enterkeyhint', 'send');
  var sendButton = el('button', 'send', 'Send');
  sendButton.type = 'submit';
  composer.appendChild(textLabel);
  composer.appendChild(text);
  composer.appendChild(sendButton);
  var composerError = el('p', 'error');
  composerError.setAttribute('role', 'alert');

  // When nobody can answer: name, email and message, answered by email.
  var offline = el('form', 'form offline');
  var offlineNote = el('p', 'note');
  var offName = input('text', 'name', 'name');
  offName.maxLength = 100;
  var offEmail = input('email', 'email', 'email');
  offEmail.required = true;
  offEmail.maxLength = 254;
  var offText = el('textarea');
  offText.name = 'message';
  offText.required = true;
  offText.rows = 3;
  var offSend = el('button', 'primary', 'Send');
  offSend.type = 'submit';
  var offError = el('p', 'error');
  offError.setAttribute('role', 'alert');
  offline.appendChild(offlineNote);
  offline.appendChild(field('Name', offName));
  offline.appendChild(field('Email (required)', offEmail));
  offline.appendChild(field('Message', offText));
  offline.appendChild(offSend);
  offline.appendChild(offError);
  offline.hidden = true;

  panel.appendChild(head);
  panel.appendChild(banner);
  panel.appendChild(log);
  panel.appendChild(typing);
  panel.appendChild(identify);
  panel.appendChild(composer);
  panel.appendChild(composerError);
  panel.appendChild(offline);
  wrap.appendChild(panel);
  wrap.appendChild(launcher);
  root.appendChild(wrap);

  // ---- Rendering ----

  function setColor(c) {
    if (!/^#[0-9a-fA-F]{6}$/.test(c)) {
      return;
    }
    // Text on the accent: whichever of white and near-black contrasts more
    // (WCAG relative luminance).
    var lum = [1, 3, 5].map(function (i) {
      var v = parseInt(c.substr(i, 2), 16) / 255;
      return v <= 0.03928 ? v / 12.92 : Math.pow((v + 0.055) / 1.055, 2.4);
    });
    var l = 0.2126 * lum[0] + 0.7152 * lum[1] + 0.0722 * lum[2];
    var onAccent = (1.05 / (l + 0.05)) >= ((l + 0.05) / 0.0616) ? '#ffffff' : '#1f2328';
    // CSSOM property changes are not inline style markup: CSP allows them.
    wrap.style.setProperty('--accent', c);
    wrap.style.setProperty('--on-accent', onAccent);
  }

  function timeOf(iso) {
    var d = new Date(iso);
    if (isNaN(d.getTime())) {
      return '';
    }
    try {
      return d.toLocaleTimeString([], { hour: '2-digit', minute: '2-digit' });
    } catch (e) {
      return '';
    }
  }

  function nearBottom() {
    return log.scrollHeight - log.scrollTop - log.clientHeight < 80;
  }
  function scrollToEnd() {
    log.scrollTop = log.scrollHeight;
  }

  function bubble(direction, author, body, meta) {
    var li = el('li', 'msg ' + (direction === 'in' ? 'in' : 'out'));
    var who = el('span', direction === 'in' ? 'sr' : 'who', direction === 'in' ? 'You' : (author || ''));
    li.appendChild(who);
    li.appendChild(document.createTextNode(body));
    var m = el('span', 'meta', meta || '');
    li.appendChild(m);
    li.metaEl = m;
    return li;
  }

  function append(li) {
    var stick = nearBottom();
    log.appendChild(li);
    if (stick || li.classList.contains('in')) {
      scrollToEnd();
    }
  }

  // show adds a message once: by id, and for the visitor's own by client id
  // (the bubble shown while it was being sent becomes it).
  function show(m) {
    if (!m || typeof m.text !== 'string') {
      return;
    }
    if (m.client_id) {
      // Stored, since Parley shows it: nothing left to resend.
      state.pending = state.pending.filter(function (p) {
        return p.client_id !== m.client_id;
      });
      savePending();
    }
    var li = (m.id && state.byId[m.id]) || (m.client_id && state.byClient[m.client_id]);
    if (li) {
      if (m.id) {
        state.byId[m.id] = li;
      }
      li.classList.remove('pending');
      li.metaEl.textContent = timeOf(m.sent_at);
      return;
    }
    li = bubble(m.direction, m.author, m.text, timeOf(m.sent_at));
    if (m.id) {
      state.byId[m.id] = li;
    }
    if (m.client_id) {
      state.byClient[m.client_id] = li;
    }
    append(li);
    if (m.direction === 'out' && m.id) {
      state.newestReply = Math.max(state.newestReply, m.id);
    }
  }

  function showPending(p) {
    if (state.byClient[p.client_id]) {
      return;
    }
    var li = bubble('in', '', p.text, 'Sending…');
    li.classList.add('pending');
    state.byClient[p.client_id] = li;
    append(li);
  }

  function setBanner(msg) {
    banner.textContent = msg || '';
    banner.hidden = !msg;
  }

  function updateBadge() {
    badge.textContent = state.unread > 9 ? '9+' : String(state.unread);
    badge.hidden = state.unread === 0;
    var label = state.open ? 'Close chat' : 'Open chat';
    if (!state.open && state.unread > 0) {
      label += ' (' + state.unread + (state.unread === 1 ? ' new message)' : ' new messages)');
    }
    launcher.setAttribute('aria-label', label);
  }

  function identified() {
    return !!(state.visitor && state.visitor.email);
  }

  // setMode shows the composer while someone can answer (or the visitor gave
  // an email to be answered at), the offline form otherwise.
  function setMode() {
    var offlineMode = state.connected && !state.available && !identified() && !state.offlineSent;
    composer.hidden = offlineMode;
    offline.hidden = !offlineMode;
    identify.hidden = offlineMode || identified() || !state.connected;
    // Focus stays in the panel when the form it was in goes away.
    var active = root.activeElement;
    if (state.open && (!active || active.closest('[hidden]'))) {
      focusFirst();
    }
    if (!state.connected) {
      status.textContent = 'Connecting…';
    } else if (state.available) {
      status.textContent = 'We reply in a few minutes';
    } else if (identified()) {
      status.textContent = 'Away now: we will answer at ' + state.visitor.email;
    } else {
      status.textContent = 'Away now: leave us a message';
    }
  }

  // ---- Connection ----

  function sendFrame(f) {
    if (!state.ws || state.ws.readyState !== 1) {
      return false;
    }
    var data = JSON.stringify(f);
    if (data.length > MAX_FRAME_BYTES) {
      return false;
    }
    state.ws.send(data);
    return true;
  }

  function connect() {
    state.wanted = true;
    if (state.ws || state.reconnectTimer || !window.WebSocket) {
      return;
    }
    var ws;
    try {
      ws = new window.WebSocket(socketURL);
    } catch (e) {
      reconnectLater();
      return;
    }
    state.ws = ws;
    ws.onopen = function () {
      var hello = { type: 'hello' };
      if (state.token) {
        hello.token = state.token;
      }
      ws.send(JSON.stringify(hello));
    };
    ws.onmessage = function (ev) {
      var f;
      try {
        f = JSON.parse(ev.data);
      } catch (e) {
        return;
      }
      if (f && typeof f.type === 'string') {
        handle(f);
      }
    };
    ws.onclose = function () {
      if (state.ws !== ws) {
        return;
      }
      state.ws = null;
      state.connected = false;
      clearTimeout(state.agentTyping);
      typing.textContent = '';
      setMode();
      if (state.open) {
        setBanner('Reconnecting… Messages you write now are sent when the chat is back.');
      }
      reconnectLater();
    };
  }

  // reconnectLater tries again with exponential backoff and jitter, from one
  // second up to half a minute.
  function reconnectLater() {
    if (!state.wanted || state.reconnectTimer) {
      return;
    }
    var ceiling = Math.min(30000, 1000 * Math.pow(2, state.attempts));
    var delay = ceiling / 2 + Math.random() * ceiling / 2;
    state.attempts++;
    state.reconnectTimer = setTimeout(function () {
      state.reconnectTimer = 0;
      connect();
    }, delay);
  }

  function reconnectNow() {
    if (state.wanted && !state.ws) {
      clearTimeout(state.reconnectTimer);
      state.reconnectTimer = 0;
      state.attempts = 0;
      connect();
    }
  }

  function flushPending() {
    if (!state.connected) {
      return;
    }
    if (state.pendingIdentify) {
      sendFrame(state.pendingIdentify);
    }
    state.pending.forEach(function (p) {
      sendFrame({ type: 'message', client_id: p.client_id, text: p.text });
    });
  }

  function retryLater() {
    if (!state.retryTimer) {
      state.retryTimer = setTimeout(function () {
        state.retryTimer = 0;
        flushPending();
      }, RETRY_MS);
    }
  }

  function dropPending(clientID, reason) {
    state.pending = state.pending.filter(function (p) {
      return p.client_id !== clientID;
    });
    savePending();
    var li = state.byClient[clientID];
    if (li) {
      li.classList.remove('pending');
      if (reason) {
        li.classList.add('failed');
        li.metaEl.textContent = 'Not sent: ' + reason;
      } else if (li.metaEl.textContent === 'Sending…') {
        li.metaEl.textContent = 'Sent';
      }
    }
  }

  function handle(f) {
    switch (f.type) {
      case 'welcome':
        welcome(f);
        break;
      case 'ack':
        dropPending(f.client_id, '');
        break;
      case 'message':
        show(f);
        if (f.direction === 'out') {
          clearTimeout(state.agentTyping);
          typing.textContent = '';
          if (!state.open) {
            state.unread++;
            updateBadge();
          }
          markSeen();
        }
        break;
      case 'typing':
        clearTimeout(state.agentTyping);
        if (f.on) {
          typing.textContent = (f.name || 'Someone') + ' is typing…';
          state.agentTyping = setTimeout(function () {
            typing.textContent = '';
          }, AGENT_TYPING_MS);
        } else {
          typing.textContent = '';
        }
        break;
      case 'visitor':
        state.visitor = f.visitor || state.visitor;
        state.pendingIdentify = null;
        if (identified()) {
          identify.open = false;
        }
        setMode();
        break;
      case 'error':
        problem(f);
        break;
    }
  }

  function welcome(f) {
    state.connected = true;
    state.attempts = 0;
    if (typeof f.token === 'string' && f.token) {
      state.token = f.token;
      save('token', f.token);
    }
    state.inbox = f.inbox || {};
    state.visitor = f.visitor || null;
    state.available = f.agents_available !== false;
    title.textContent = state.inbox.title || 'Chat';
    panel.setAttribute('aria-label', title.textContent);
    setColor(state.inbox.color || '');
    offlineNote.textContent = state.inbox.offline_message || '';
    if (!state.greeted && state.inbox.greeting) {
      state.greeted = true;
      var g = bubble('out', state.inbox.title || '', state.inbox.greeting, '');
      log.insertBefore(g, log.firstChild);
    }
    var history = Array.isArray(f.history) ? f.history : [];
    history.forEach(show);
    if (!state.open) {
      // Replies that came while the visitor was away count as new.
      state.unread = history.filter(function (m) {
        return m.direction === 'out' && m.id > state.lastSeen;
      }).length;
      updateBadge();
    }
    state.pending.forEach(showPending);
    setBanner('');
    setMode();
    flushPending();
    markSeen();
    if (state.open) {
      scrollToEnd();
    }
  }

  function problem(f) {
    switch (f.code) {
      case 'rate_limited':
      case 'unavailable':
        if (f.client_id) {
          retryLater();
        } else if (f.code === 'unavailable') {
          setBanner('The chat is unavailable; trying again…');
        }
        break;
      case 'invalid':
      case 'too_large':
        if (f.client_id) {
          dropPending(f.client_id, f.message || 'refused');
        } else if (state.pendingIdentify) {
          state.pendingIdentify = null;
          var err = state.offlineSent ? offError : idError;
          err.textContent = f.message || 'Please check your details.';
        }
        break;
      case 'too_many_sockets':
        state.wanted = false;
        setBanner('This chat is open in too many tabs. Close some, then reload this page.');
        break;
      default:
        if (f.message) {
          setBanner(f.message);
        }
    }
  }

  // markSeen tells Parley the visitor has seen the replies up to the newest,
  // while the panel is open and the page visible.
  function markSeen() {
    if (!state.open || document.visibilityState !== 'visible' || state.newestReply <= state.lastSeen) {
      return;
    }
    if (sendFrame({ type: 'seen', id: state.newestReply })) {
      state.lastSeen = state.newestReply;
      save('seen', String(state.lastSeen));
    }
  }

  // ---- Sending ----

  function submit(body) {
    var t = body.replace(/\s+$/, '').replace(/^\s+/, '');
    if (!t) {
      return false;
    }
    if (byteLength(t) > MAX_TEXT_BYTES) {
      composerError.textContent = 'This message is too long; split it into two.';
      return false;
    }
    composerError.textContent = '';
    var p = { client_id: newID(), text: t };
    state.pending.push(p);
    savePending();
    showPending(p);
    scrollToEnd();
    stopTyping();
    if (state.connected) {
      sendFrame({ type: 'message', client_id: p.client_id, text: p.text });
    } else {
      connect();
    }
    return true;
  }

  function sendIdentify(name, email) {
    state.pendingIdentify = { type: 'identify', name: name, email: email };
    if (state.connected) {
      sendFrame(state.pendingIdentify);
    } else {
      connect();
    }
  }

  function stopTyping() {
    clearTimeout(state.typingIdle);
    if (state.typingOn) {
      state.typingOn = false;
      sendFrame({ type: 'typing', on: false });
    }
  }

  function typed() {
    if (!text.value.trim()) {
      stopTyping();
      return;
    }
    var now = Date.now();
    if (!state.typingOn || now - state.typingSentAt > TYPING_REPEAT_MS) {
      if (sendFrame({ type: 'typing', on: true })) {
        state.typingOn = true;
        state.typingSentAt = now;
      }
    }
    clearTimeout(state.typingIdle);
    state.typingIdle = setTimeout(stopTyping, TYPING_IDLE_MS);
  }

  // ---- Opening and closing ----

  function openPanel() {
    state.open = true;
    panel.hidden = false;
    wrap.classList.add('open');
    launcher.setAttribute('aria-expanded', 'true');
    state.unread = 0;
    updateBadge();
    connect();
    setMode();
    scrollToEnd();
    markSeen();
    focusFirst();
  }

  function focusFirst() {
    var first = offline.hidden ? text : offline.querySelector('input, textarea');
    if (first) {
      first.focus();
    }
  }

  function closePanel() {
    state.open = false;
    panel.hidden = true;
    wrap.classList.remove('open');
    launcher.setAttribute('aria-expanded', 'false');
    updateBadge();
    stopTyping();
    launcher.focus();
  }

  launcher.addEventListener('click', function () {
    if (state.open) {
      closePanel();
    } else {
      openPanel();
    }
  });
  closeButton.addEventListener('click', closePanel);
  wrap.addEventListener('keydown', function (e) {
    if (e.key === 'Escape' && state.open) {
      e.preventDefault();
      closePanel();
    }
  });

  composer.addEventListener('submit', function (e) {
    e.preventDefault();
    if (submit(text.value)) {
      text.value = '';
    }
    text.focus();
  });
  text.addEventListener('keydown', function (e) {
    if (e.key === 'Enter' && !e.shiftKey && !e.isComposing) {
      e.preventDefault();
      if (submit(text.value)) {
        text.value = '';
      }
    }
  });
  text.addEventListener('input', typed);

  identifyForm.addEventListener('submit', function (e) {
    e.preventDefault();
    idError.textContent = '';
    if (!identifyForm.checkValidity()) {
      idError.textContent = 'Please enter a valid email address.';
      return;
    }
    sendIdentify(idName.value.trim(), idEmail.value.trim());
  });

  offline.addEventListener('submit', function (e) {
    e.preventDefault();
    offError.textContent = '';
    if (!offline.checkValidity() || !offText.value.trim()) {
      offError.textContent = 'Please enter your email and a message.';
      return;
    }
    state.offlineSent = true;
    sendIdentify(offName.value.trim(), offEmail.value.trim());
    if (submit(offText.value)) {
      offText.value = '';
    }
    setMode();
    var thanks = bubble('out', state.inbox && state.inbox.title, 'Thanks! We will answer at ' + offEmail.value.trim() + '.', '');
    append(thanks);
    text.focus();
  });

  document.addEventListener('visibilitychange', function () {
    if (document.visibilityState === 'visible') {
      reconnectNow();
      markSeen();
    }
  });
  window.addEventListener('online', reconnectNow);

  started[inbox] = { open: openPanel, close: closePanel };
  updateBadge();
  function mount() {
    document.body.appendChild(host);
    // A returning visitor connects at once, to receive replies; a new one
    // when they open the chat.
    if (state.token || state.pending.length) {
      connect();
    }
  }
  if (document.body) {
    mount();
  } else {
    document.addEventListener('DOMContentLoaded', mount);
  }
})();
