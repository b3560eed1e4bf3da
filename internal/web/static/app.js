// Parley: live updates and keyboard shortcuts. Every page works without this
// file; it only saves reloads and keystrokes. It fetches HTML fragments the
// server rendered (and escaped) and puts them in place.
(function () {
  'use strict';

  var doc = document;
  var body = doc.body;
  doc.documentElement.classList.add('js');

  var listEl = doc.getElementById('list');
  var liveEl = doc.getElementById('live');
  var convId = body.dataset.conversation || '';
  var linkedId = body.dataset.linked || '';
  var me = Number(body.dataset.user || 0);

  // The presence menu applies as soon as it changes; its button is for
  // browsers without scripts.
  var presence = doc.getElementById('presence-menu');
  if (presence) {
    var setButton = presence.form.querySelector('.presence-set');
    if (setButton) setButton.hidden = true;
    presence.addEventListener('change', function () { presence.form.requestSubmit(); });
  }

  // Below a wide screen the top bar's links fold behind the Menu button
  // (see app.css); Escape closes it and gives the button the focus back.
  var navToggle = doc.getElementById('nav-toggle');
  function openNav(open) {
    if (navToggle) navToggle.setAttribute('aria-expanded', open ? 'true' : 'false');
  }
  function navOpen() {
    return navToggle !== null && navToggle.getAttribute('aria-expanded') === 'true';
  }
  if (navToggle) {
    navToggle.addEventListener('click', function () { openNav(!navOpen()); });
  }

  // Filters apply as soon as they change.
  var filters = doc.getElementById('filters');
  if (filters) {
    filters.addEventListener('change', function () { filters.requestSubmit(); });
  }

  // ---- Live refresh ----

  function listURL() {
    var q = listEl.dataset.query || '';
    var params = new URLSearchParams(q);
    if (listEl.dataset.cursor) params.set('cursor', listEl.dataset.cursor);
    if (convId) params.set('current', convId);
    var s = params.toString();
    return '/list' + (s ? '?' + s : '');
  }

  function liveURL() {
    var q = listEl ? listEl.dataset.query || '' : '';
    return '/c/' + encodeURIComponent(convId) + '/live' + (q ? '?' + q : '');
  }

  // busy reports whether the person is typing inside el; replacing it now
  // would lose what they typed.
  function busy(el) {
    var a = doc.activeElement;
    return a && el.contains(a) && (a.tagName === 'INPUT' || a.tagName === 'TEXTAREA' || a.tagName === 'SELECT');
  }

  var timers = {};
  var pending = {};
  var seq = {};

  // refresh fetches url() and hands the answer to swap, at most once per
  // burst of events; it waits while the person is typing in el. An answer
  // that arrives after a newer one is dropped.
  function refresh(key, url, el, swap) {
    clearTimeout(timers[key]);
    timers[key] = setTimeout(function () {
      if (busy(el) || openMenu(el)) {
        pending[key] = function () { refresh(key, url, el, swap); };
        return;
      }
      delete pending[key];
      var n = seq[key] = (seq[key] || 0) + 1;
      fetch(url(), { credentials: 'same-origin', headers: { 'Accept': 'text/html' } }).then(function (res) {
        if (res.status === 401) {
          location.href = '/login?expired=1&next=' + encodeURIComponent(location.pathname + location.search);
          return null;
        }
        return res.ok ? res.text() : null;
      }).then(function (html) {
        if (html === null || html === undefined || n !== seq[key]) return;
        swap(html);
        body.dispatchEvent(new CustomEvent('parley:refreshed', { detail: key }));
      }).catch(function () { /* offline: the next event or reconnect refreshes */ });
    }, 40);
  }

  function runPending() {
    Object.keys(pending).forEach(function (k) { var f = pending[k]; delete pending[k]; f(); });
  }
  doc.addEventListener('focusout', function () { setTimeout(runPending, 0); });
  doc.addEventListener('toggle', function (e) {
    if (e.target.classList && e.target.classList.contains('menu') && !e.target.open) runPending();
  }, true);

  function refreshList() {
    if (!listEl) return;
    refresh('list', listURL, listEl, function (html) {
      var focused = doc.activeElement && doc.activeElement.closest && doc.activeElement.closest('#list .row');
      var focusedId = focused ? focused.dataset.id : '';
      listEl.innerHTML = html;
      var link = focusedId && listEl.querySelector('.row[data-id="' + focusedId + '"] .row-link');
      if (link) link.focus({ preventScroll: true });
    });
  }

  // refreshConversation keeps the reader's place: how far they scrolled up
  // the timeline, and which long messages and original formattings they
  // opened.
  function refreshConversation() {
    if (!liveEl) return;
    refresh('live', liveURL, liveEl, function (html) {
      var scroller = doc.getElementById('timeline-scroll');
      var top = scroller ? scroller.scrollTop : 0;
      var open = Array.prototype.map.call(liveEl.querySelectorAll('.msg details.more[open], .msg details.formatted[open]'), function (d) {
        return '#' + d.closest('.msg').id + ' details.' + d.className;
      });
      liveEl.innerHTML = html;
      open.forEach(function (sel) {
        var d = doc.querySelector(sel);
        if (d) d.open = true;
      });
      scroller = doc.getElementById('timeline-scroll');
      if (scroller && top) scroller.scrollTop = top;
    });
  }

  function openMenu(el) {
    return el.querySelector('details.menu[open]') !== null;
  }

  // The newest event the page has seen: the one it was rendered after,
  // then each that arrives.
  var lastEvent = body.dataset.events || '';

  function onEvent(e) {
    if (e.lastEventId) lastEvent = e.lastEventId;
    var data = {};
    try { data = JSON.parse(e.data); } catch (err) { /* keep going */ }
    if (e.type === 'notification') {
      notify(data.data || {});
      return;
    }
    if (e.type === 'presence') {
      showPresence(data);
      return;
    }
    refreshList();
    var id = String(data.conversation_id || '');
    if (convId && (id === convId || (linkedId && id === linkedId) || e.type.indexOf('contact.') === 0)) {
      refreshConversation();
    }
  }

  // sla.warning and sla.breach come at a deadline's instants with no other
  // event: the rows and the header say so by being fetched again.
  var types = ['conversation.created', 'conversation.updated', 'message.created', 'message.updated', 'message.deleted',
    'contact.merged', 'contact.unmerged', 'sla.warning', 'sla.breach', 'notification', 'presence'];

  // ---- Time passing ----

  // An SLA chip ("Reply due in 3 min") and a wait are true when rendered
  // and go stale with no event: the server renders them afresh each
  // minute while they are on screen, so one never says "due in 3 min"
  // after the breach, and its words stay the server's. A hidden page
  // catches up when it is shown again.
  var clockEvery = 60000;
  function timeShown(el) {
    return el && el.querySelector('.sla, .waiting') !== null;
  }
  function catchUp() {
    if (doc.visibilityState !== 'visible') return;
    if (timeShown(listEl)) refreshList();
    if (timeShown(liveEl && liveEl.querySelector('.conv-head'))) refreshConversation();
  }
  if (listEl || liveEl) {
    setInterval(catchUp, clockEvery);
    doc.addEventListener('visibilitychange', catchUp);
  }

  // ---- Snooze until a time: in the agent's own time zone ----

  // The live part of the page is replaced on refresh, so the zone is put in
  // when the form is sent, not when the page loads.
  doc.addEventListener('submit', function (e) {
    var tz = e.target && e.target.querySelector && e.target.querySelector('input.tz');
    if (tz && window.Intl) {
      try { tz.value = Intl.DateTimeFormat().resolvedOptions().timeZone || ''; } catch (err) { /* the server's zone */ }
    }
  }, true);

  // ---- Presence: who else views or types here ----

  // The page touches the conversation while it is visible, and on each
  // burst of typing, so colleagues see who else is here before two of them
  // answer the same customer. The server forgets a page that stops
  // touching; leaving says so at once.
  var presenceEl = doc.getElementById('presence');
  var csrfInput = doc.querySelector('input[name=csrf]');
  var amTyping = false;
  var typingTimer = 0;
  function showPresence(u) {
    if (!presenceEl || !u || String(u.conversation_id) !== convId) return;
    var others = (u.viewers || []).filter(function (v) { return v.user_id !== me; });
    var typers = others.filter(function (v) { return v.typing; });
    var names = function (vs) { return vs.map(function (v) { return v.name; }).join(', '); };
    var text = '';
    if (typers.length) {
      text = names(typers) + (typers.length === 1 ? ' is' : ' are') + ' typing here…';
    } else if (others.length) {
      text = names(others) + (others.length === 1 ? ' is' : ' are') + ' also viewing this conversation.';
    }
    presenceEl.textContent = text;
    presenceEl.hidden = text === '';
    presenceEl.classList.toggle('collision', typers.length > 0);
  }
  function touch(fields, keepalive) {
    if (!convId || !csrfInput || !window.fetch) return;
    var form = new URLSearchParams(fields || {});
    form.set('csrf', csrfInput.value);
    fetch('/c/' + encodeURIComponent(convId) + '/presence', {
      method: 'POST', body: form, credentials: 'same-origin', keepalive: !!keepalive,
      headers: { 'Accept': 'application/json' }
    }).then(function (r) { return r.ok ? r.json() : null; })
      .then(showPresence)
      .catch(function () { /* the next touch tries again */ });
  }
  // box says which box the agent types in: a customer on web chat sees an
  // agent typing a reply, never a note.
  var typingBox = '';
  function onTyping(box) {
    if (!amTyping || box !== typingBox) {
      amTyping = true;
      typingBox = box;
      touch({ typing: '1', box: box });
    }
    clearTimeout(typingTimer);
    typingTimer = setTimeout(function () { amTyping = false; touch({ typing: '0', box: typingBox }); }, 4000);
  }
  if (convId && presenceEl) {
    touch();
    setInterval(function () { if (doc.visibilityState === 'visible') touch({ typing: amTyping ? '1' : '0', box: typingBox }); }, 15000);
    doc.addEventListener('visibilitychange', function () { if (doc.visibilityState === 'visible') touch(); });
    window.addEventListener('pagehide', function () { touch({ leave: '1' }, true); });
    doc.addEventListener('input', function (e) {
      if (e.target && e.target.id === 'reply-text') onTyping('reply');
      if (e.target && e.target.id === 'note-text') onTyping('note');
    });
  }

  // ---- Notifications ----

  // notify shows a notification meant for this agent (an @mention, a
  // rule's call) as a toast and counts it on the Mentions link. Its text
  // is set with textContent: it quotes a note, which may quote a customer.
  var toasts = doc.getElementById('toasts');
  function notify(n) {
    var ids = n.user_ids || [];
    if (!me || ids.indexOf(me) < 0) return;
    var count = doc.getElementById('notify-count');
    if (count) {
      count.textContent = String((Number(count.textContent) || 0) + 1);
      count.hidden = false;
    }
    if (!toasts) return;
    var t = doc.createElement('div');
    t.className = 'toast';
    var a = doc.createElement('a');
    a.textContent = String(n.text || 'You have a new notification.');
    a.href = n.conversation_id ? '/c/' + encodeURIComponent(String(n.conversation_id)) : '/notifications';
    t.appendChild(a);
    var close = doc.createElement('button');
    close.type = 'button';
    close.className = 'linkish';
    close.setAttribute('aria-label', 'Dismiss');
    close.textContent = '\u00d7';
    close.addEventListener('click', function () { t.remove(); });
    t.appendChild(close);
    toasts.appendChild(t);
    while (toasts.children.length > 3) toasts.firstChild.remove();
    setTimeout(function () { t.remove(); }, 15000);
  }

  // The stream starts after the event the page was rendered at, so nothing
  // between rendering and connecting is lost. The browser reconnects by
  // itself, sending Last-Event-ID, after a network error. A refused
  // connection (an ended session) closes the stream for good; then we try
  // again later from the last event seen, and refresh.
  function connect(reconnecting) {
    if (!window.EventSource || (!listEl && !liveEl)) return;
    var es = new EventSource('/api/v1/events' + (lastEvent ? '?last_event_id=' + encodeURIComponent(lastEvent) : ''));
    types.forEach(function (t) { es.addEventListener(t, onEvent); });
    // The server no longer has the events after our position (the
    // database was restored from a backup): what the page shows may be
    // gone, so fetch it afresh and go on from the newest.
    es.addEventListener('reset', function (e) {
      if (e.lastEventId) lastEvent = e.lastEventId;
      refreshList();
      refreshConversation();
    });
    var dot = doc.querySelector('.live-dot');
    es.addEventListener('open', function () {
      body.dataset.live = 'on';
      if (dot) dot.title = 'Live updates: on';
      if (reconnecting) { reconnecting = false; refreshList(); refreshConversation(); }
    });
    es.addEventListener('error', function () {
      body.dataset.live = 'off';
      if (dot) dot.title = 'Live updates: reconnecting';
      if (es.readyState === EventSource.CLOSED) {
        setTimeout(function () { connect(true); }, 5000);
      }
    });
  }
  connect(false);

  // ---- Saved replies ----

  // Insert puts the chosen saved reply, filled in by the server for this
  // customer and agent, into the reply box where the cursor is, without a
  // round trip; without this script the button posts the form and the
  // server puts it after the draft.
  var savedSelect = doc.getElementById('saved-reply');
  var replyText = doc.getElementById('reply-text');

  // placed: the agent has put the cursor in the reply box, so it marks
  // where the text goes; otherwise it goes after the draft.
  var placed = false;
  if (replyText) replyText.addEventListener('focus', function () { placed = true; });

  function insertSaved() {
    var opt = savedSelect.selectedOptions[0];
    if (!opt || !opt.value || !replyText) return;
    var text = opt.dataset.text || '';
    if (replyText.value.trim() === '') {
      replyText.value = text;
    } else if (placed) {
      replyText.setRangeText(text, replyText.selectionStart, replyText.selectionEnd, 'end');
    } else {
      replyText.value = replyText.value.replace(/\s+$/, '') + '\n\n' + text;
    }
    savedSelect.value = '';
    write('reply-text', 'mode-reply');
    replyText.dispatchEvent(new Event('input', { bubbles: true }));
  }

  if (savedSelect && replyText) {
    savedSelect.form.addEventListener('submit', function (e) {
      if (e.submitter && e.submitter.classList.contains('insert')) {
        e.preventDefault();
        insertSaved();
      }
    });
    // Enter on the list inserts, so s, a letter or two and Enter do it all.
    savedSelect.addEventListener('keydown', function (e) {
      if (e.key === 'Enter' && !e.ctrlKey && !e.altKey && !e.metaKey) {
        e.preventDefault();
        insertSaved();
      }
    });
  }

  // ---- Keyboard ----

  function typing(t) {
    return t && (t.isContentEditable || /^(INPUT|TEXTAREA|SELECT)$/.test(t.tagName));
  }

  function rows() {
    return listEl ? Array.prototype.slice.call(listEl.querySelectorAll('.row-link')) : [];
  }

  function move(step) {
    var rs = rows();
    if (!rs.length) return;
    var i = rs.indexOf(doc.activeElement);
    if (i < 0) {
      var cur = listEl.querySelector('.row.current .row-link');
      i = cur ? rs.indexOf(cur) : (step > 0 ? -1 : rs.length);
    }
    i = Math.max(0, Math.min(rs.length - 1, i + step));
    rs[i].focus();
    rs[i].scrollIntoView({ block: 'nearest' });
  }

  function write(id, mode) {
    var radio = doc.getElementById(mode);
    if (radio) radio.checked = true;
    var t = doc.getElementById(id);
    if (t) { t.focus(); t.scrollIntoView({ block: 'nearest' }); }
  }

  var help = doc.getElementById('help');
  function showHelp(show) {
    if (!help) return;
    help.classList.toggle('open', show);
    if (show) help.focus();
    // Opened by its link without the script's help: :target shows it.
    else if (location.hash === '#help') location.hash = '';
  }
  var helpClose = doc.getElementById('help-close');
  if (helpClose) helpClose.addEventListener('click', function (e) { e.preventDefault(); showHelp(false); });
  var helpLink = doc.querySelector('.shortcut-link');
  if (helpLink) helpLink.addEventListener('click', function (e) { e.preventDefault(); showHelp(true); });
  if (help) help.addEventListener('click', function (e) { if (e.target === help) showHelp(false); });

  doc.addEventListener('keydown', function (e) {
    if (e.defaultPrevented || e.altKey || e.metaKey) return;
    // Ctrl+Enter sends from a composer.
    if (e.ctrlKey && e.key === 'Enter' && e.target.tagName === 'TEXTAREA' && e.target.form) {
      e.preventDefault();
      e.target.form.requestSubmit();
      return;
    }
    if (e.key === 'Escape') {
      if (help && (help.classList.contains('open') || location.hash === '#help')) { showHelp(false); return; }
      if (navOpen() && navToggle.offsetParent !== null) { openNav(false); navToggle.focus(); return; }
      if (typing(e.target)) e.target.blur();
      return;
    }
    if (e.ctrlKey || typing(e.target)) return;
    switch (e.key) {
      case 'j': move(1); break;
      case 'k': move(-1); break;
      case 'r': write('reply-text', 'mode-reply'); break;
      case 'n': write('note-text', 'mode-note'); break;
      case 'e':
        var resolve = doc.getElementById('resolve-form');
        if (resolve) resolve.requestSubmit();
        break;
      case 's':
        if (!savedSelect) return;
        write('saved-reply', 'mode-reply');
        break;
      case 'a':
        // Open the Assign menu and put the first colleague under the finger.
        var menu = doc.getElementById('assign-menu');
        if (!menu) return;
        menu.open = true;
        var first = menu.querySelector('button');
        if (first) first.focus();
        break;
      case '?': showHelp(!(help && help.classList.contains('open'))); break;
      case '/':
        var search = doc.getElementById('search-q');
        if (!search) return;
        search.focus();
        search.select();
        break;
      case 'Enter':
        // A focused row link opens by itself; on the inbox, Enter with
        // nothing selected opens the first conversation.
        if (body.dataset.page === 'inbox' && (!doc.activeElement || doc.activeElement === body)) {
          var rs = rows();
          if (rs.length) rs[0].click();
        }
        return;
      default: return;
    }
    e.preventDefault();
  });

  // On a phone the page scrolls as a whole: start at the newest message.
  if (liveEl && window.matchMedia('(max-width: 760px)').matches) {
    var last = doc.querySelector('#timeline > li:last-child');
    if (last) last.scrollIntoView({ block: 'end' });
  }
})();
