// The verification page: looks a certificate up, has verify.js check the answer against the pinned genesis, and shows
// only what was proven. The verdict is green only when the proof was checked here against a pinned network.
(function () {
  'use strict';
  const V = window.LedgerVerify;
  const $ = (id) => document.getElementById(id);
  const online = location.protocol === 'http:' || location.protocol === 'https:';
  const BUNDLE_FORMAT = 'ledger.v1/certificate-bundle';

  // Verdict words in English, Chinese and Russian; the rest of the page is in English.
  const WORDS = {
    valid: ['Valid certificate, proven', '证书有效（已验证）', 'Сертификат действителен (подтверждено)'],
    ISSUED: ['Issued', '有效', 'Действует'],
    SUSPENDED: ['Suspended', '已暂停', 'Приостановлен'],
    REPLACED: ['Replaced', '已被替换', 'Заменён'],
    REVOKED: ['Revoked', '已撤销', 'Отозван'],
    FULLY_USED: ['Fully used', '已用完', 'Использован полностью'],
    ANNULLED: ['Annulled', '已作废', 'Аннулирован'],
    absent: ['No such certificate, proven', '证书不存在（已验证）', 'Сертификат не существует (подтверждено)'],
    failed: ['Verification failed: do not rely on this answer', '验证失败：请勿采信此答复', 'Проверка не пройдена: не доверяйте этому ответу'],
    unverified: ['Not verified', '未能验证', 'Не проверено'],
    match: ['The document is the one certified', '文件与认证文件一致', 'Документ совпадает с сертифицированным'],
    mismatch: ['The document is NOT the one certified', '文件与认证文件不一致', 'Документ НЕ совпадает с сертифицированным'],
  };
  const ROUTE = { DIRECT_TRANSPORT_VERIFIED: 'direct transport verified', IN_TRANSIT: 'in transit, no breach so far', BREACHED: 'breached' };

  const params = new URLSearchParams(location.hash.slice(1));
  let pin = (params.get('genesis') || '').toLowerCase();
  let genesis = null;            // loaded from bytes whose hash is the pin
  let genesisBytes = null;
  let shown = null;              // what is on screen: { result, answer } for the document check and the bundle

  function setPin(value) {
    pin = value.toLowerCase();
    genesis = null;
    $('pin').value = pin;
    $('pin-status').textContent = pin ? 'Trusting the network with genesis hash ' + pin + '.' : 'No network pinned: answers are checked against the genesis this server sends, and shown as not verified.';
  }

  function highestSeenKey() { return 'ledger.highest.' + (pin || 'unpinned'); }
  function highestSeen() {
    try { const v = localStorage.getItem(highestSeenKey()); return v ? BigInt(v) : undefined; } catch { return undefined; }
  }
  function remember(height) {
    try { if (highestSeen() === undefined || height > highestSeen()) localStorage.setItem(highestSeenKey(), height.toString()); } catch { /* storage off: no freshness memory */ }
  }

  async function fetchJson(path) {
    let response;
    try { response = await fetch(path, { cache: 'no-store' }); } catch (e) { throw new V.CheckFailed('UNREACHABLE', 'the node could not be reached: ' + e.message); }
    const text = await response.text();
    let body;
    try { body = JSON.parse(text); } catch { throw new V.CheckFailed('MALFORMED', 'the node answered ' + response.status + ' with something that is not JSON'); }
    if (!response.ok) throw new V.CheckFailed('REFUSED', 'the node answered ' + response.status + ': ' + (body.error || text));
    return body;
  }

  async function ensureGenesis() {
    if (genesis) return genesis;
    let response;
    try { response = await fetch('api/v1/genesis', { cache: 'no-store' }); } catch (e) { throw new V.CheckFailed('UNREACHABLE', 'the node could not be reached: ' + e.message); }
    if (!response.ok) throw new V.CheckFailed('REFUSED', 'the node did not send its genesis document (' + response.status + ')');
    genesisBytes = new Uint8Array(await response.arrayBuffer());
    genesis = await V.loadGenesis(genesisBytes, pin);
    return genesis;
  }

  async function lookup(text) {
    const query = text.trim();
    if (!query) return;
    if (!online) { showFailure(new V.CheckFailed('OFFLINE', 'this page was opened from disk: open a saved proof bundle instead')); return; }
    busy(true);
    try {
      const g = await ensureGenesis();
      if (query.includes('/')) {
        const answer = await fetchJson('api/v1/certificates/' + query.split('/').map(encodeURIComponent).join('/'));
        const started = performance.now();
        const result = await V.checkCertificateAnswer(g, query, answer, highestSeen());
        const elapsed = performance.now() - started;
        if (result.found) { showCertificate(result, answer, elapsed); return; }
      }
      const search = await fetchJson('api/v1/certificates?number=' + encodeURIComponent(query));
      const found = await V.checkSearchAnswer(g, query, search, highestSeen());
      remember(found.header.height);
      if (found.certificateIds.length === 1) { await open(found.certificateIds[0]); return; }
      if (found.certificateIds.length === 0) { showAbsent(query, found); return; }
      showChoices(query, found);
    } catch (e) {
      showFailure(e);
    } finally {
      busy(false);
    }
  }

  async function open(certificateId) {
    const g = await ensureGenesis();
    const answer = await fetchJson('api/v1/certificates/' + certificateId.split('/').map(encodeURIComponent).join('/'));
    const started = performance.now();
    const result = await V.checkCertificateAnswer(g, certificateId, answer, highestSeen());
    const elapsed = performance.now() - started;
    result.found ? showCertificate(result, answer, elapsed) : showAbsent(certificateId, result);
  }

  function busy(on) { $('check').disabled = on; $('check').textContent = on ? 'Checking…' : 'Check'; }

  function verdict(kind, words, why) {
    const box = $('verdict');
    box.dataset.verdict = kind;
    box.replaceChildren();
    const main = document.createElement('strong');
    main.textContent = words[0];
    const translations = document.createElement('span');
    translations.className = 'translations';
    translations.textContent = words[1] + ' · ' + words[2];
    box.append(main, translations);
    if (why) {
      const reason = document.createElement('span');
      reason.className = 'why';
      reason.textContent = why;
      box.append(reason);
    }
    $('result').hidden = false;
    box.focus();
  }

  function details(rows) {
    const list = $('details');
    list.replaceChildren();
    for (const [term, value] of rows) {
      if (value === undefined || value === null || value === '') continue;
      const dt = document.createElement('dt');
      dt.textContent = term;
      const dd = document.createElement('dd');
      if (value instanceof Node) dd.append(value); else dd.textContent = value;
      list.append(dt, dd);
    }
  }

  function certificateLink(id) {
    const button = document.createElement('button');
    button.type = 'button';
    button.className = 'secondary';
    button.textContent = id;
    button.dataset.certificate = id;
    button.addEventListener('click', () => {
      $('query').value = id;
      guarded(() => online ? open(id) : Promise.reject(new V.CheckFailed('OFFLINE', 'this page was opened from disk: open ' + id + '\'s own proof bundle, or this page online')));
    });
    return button;
  }

  function provenAt(header) {
    const time = new Date(Number(header.timeMs)).toISOString().replace('.000Z', 'Z');
    const total = header.members;
    return 'block ' + header.height + ' of ' + time + ', signed by ' + header.signers.length + ' of ' + total + ' validators: ' +
      header.signers.map((v) => v.name).join(', ') + (header.unchecked.length ? ' (not checked here: ' + header.unchecked.map((v) => v.name).join(', ') + ')' : '');
  }

  function pinNote() {
    return pin ? '' : 'No network is pinned: the proof checks out against genesis ' + genesis.hash +
      ', which this server sent. Compare it with the hash in the certificate\'s QR link before relying on it.';
  }

  function showCertificate(result, answer, elapsedMs) {
    remember(result.header.height);
    shown = { result, answer };
    const active = result.status === 'ISSUED';
    const note = pinNote();
    if (note) verdict('unverified', WORDS.unverified, note);
    else if (active) verdict('valid', WORDS.valid, result.certificateId + ' is issued and in force.');
    else verdict('not-valid', WORDS[result.status] || [result.status, result.status, result.status],
      result.certificateId + ' is ' + result.status.toLowerCase().replace('_', ' ') + (result.statusReason ? ': ' + result.statusReason : '') + ' (proven).' +
      (result.replacedBy ? ' The certificate in force in its place is ' + result.replacedBy + '.' : ''));
    $('verdict').dataset.status = result.status;
    $('verdict').dataset.checkMs = elapsedMs.toFixed(1);
    $('choices').hidden = true;
    const routes = document.createElement('div');
    for (const c of result.consignments) {
      const line = document.createElement('div');
      line.textContent = c.consignmentId + ': ' + (ROUTE[c.kind] || c.kind) + c.breaches.map((b) => '; ' + b.code + ' at ' + b.checkpoint + ': ' + b.message).join('');
      routes.append(line);
    }
    details([
      ['Certificate', result.certificateId],
      ['Status', WORDS[result.status] ? WORDS[result.status].join(' · ') + (result.statusReason ? ': ' + result.statusReason : '') : result.status],
      ['Replaced by', result.replacedBy ? certificateLink(result.replacedBy) : ''],
      ['Replaces', result.replaces ? certificateLink(result.replaces) : ''],
      ['Issuer', result.issuerName ? result.issuerName + ' (' + result.issuerCountry + ')' : result.issuer],
      ['Consignments', result.consignments.length ? routes : 'none declared'],
      ['Document hash', V.toHex(result.contentHash)],
      ['Proven against', provenAt(result.header)],
      ['Network', genesis.chainId + ', genesis ' + genesis.hash],
      ['Not shown', 'exporter, consignee and goods are the certificate\'s commercial content: the ledger proves them to its members only. Check the paper you hold with the document check below.'],
    ]);
    $('document-check').hidden = false;
    $('document-verdict').textContent = '';
    $('save-bundle').hidden = false;
    $('print').hidden = false;
    const link = location.origin + location.pathname + '#genesis=' + genesis.hash + '&cert=' + encodeURIComponent(result.certificateId);
    $('qr-box').hidden = !online;
    if (online) { $('qr').src = 'api/v1/qr.svg?cert=' + encodeURIComponent(result.certificateId); $('link').textContent = link; }
  }

  function hideExtras() {
    shown = null;
    for (const id of ['document-check', 'save-bundle', 'print', 'qr-box', 'choices']) $(id).hidden = true;
  }

  function showAbsent(query, result) {
    hideExtras();
    const note = pinNote();
    note ? verdict('unverified', WORDS.unverified, note) : verdict('not-valid', WORDS.absent, 'No issuer has a certificate ' + query + ' on this ledger (its absence is proven for every issuer).');
    $('verdict').dataset.status = 'ABSENT';
    details([['Looked up', query], ['Proven against', provenAt(result.header)]]);
  }

  function showChoices(query, found) {
    hideExtras();
    verdict('unverified', ['Several issuers have this number: choose one', '多个签发机构有此编号：请选择', 'Этот номер есть у нескольких органов: выберите один'], '');
    const box = $('choices');
    box.replaceChildren(...found.certificateIds.map(certificateLink));
    box.hidden = false;
    details([['Looked up', query], ['Proven against', provenAt(found.header)]]);
  }

  function showFailure(e) {
    hideExtras();
    const known = e instanceof V.CheckFailed;
    const local = known && ['UNREACHABLE', 'REFUSED', 'OFFLINE', 'SUITE_NOT_CHECKED'].includes(e.code);
    verdict(local ? 'unverified' : 'failed', local ? WORDS.unverified : WORDS.failed, known ? e.message : 'unexpected error: ' + e);
    $('verdict').dataset.failure = known ? e.code : 'ERROR';
    $('verdict').dataset.status = '';
    details([]);
  }

  async function guarded(action) { try { await action(); } catch (e) { showFailure(e); } }

  // ---- the document check: hashed here, compared with the proven content hash ----
  async function checkDocument(file) {
    if (!shown || !file) return;
    const hash = await V.sha256(new Uint8Array(await file.arrayBuffer()));
    const same = V.toHex(hash) === V.toHex(shown.result.contentHash);
    const words = same ? WORDS.match : WORDS.mismatch;
    const out = $('document-verdict');
    out.dataset.match = same ? 'match' : 'mismatch';
    out.textContent = words.join(' · ') + ' (' + file.name + ', SHA-256 ' + V.toHex(hash) + ')';
  }

  // ---- offline bundles: the genesis document's exact bytes and the answer with its proof, in one file ----
  function saveBundle() {
    if (!shown) return;
    const bundle = { format: BUNDLE_FORMAT, certificateId: shown.result.certificateId, genesisDocument: V.toBase64(genesisBytes), answer: shown.answer };
    const url = URL.createObjectURL(new Blob([JSON.stringify(bundle, null, 1)], { type: 'application/json' }));
    const a = document.createElement('a');
    a.href = url;
    a.download = shown.result.certificateId.replace(/[^A-Za-z0-9._-]+/g, '_') + '.proof.json';
    document.body.append(a);
    a.click();
    a.remove();
    setTimeout(() => URL.revokeObjectURL(url), 10000);
  }

  async function openBundle(file) {
    let bundle;
    try { bundle = JSON.parse(await file.text()); } catch { throw new V.CheckFailed('MALFORMED', file.name + ' is not a proof bundle (not JSON)'); }
    if (!bundle || bundle.format !== BUNDLE_FORMAT || typeof bundle.certificateId !== 'string') throw new V.CheckFailed('MALFORMED', file.name + ' is not a proof bundle of format ' + BUNDLE_FORMAT);
    genesisBytes = V.fromBase64(bundle.genesisDocument);
    genesis = await V.loadGenesis(genesisBytes, pin);
    const started = performance.now();
    // A bundle is checked as of when it was made: an older block than this browser has seen is expected here.
    const result = await V.checkCertificateAnswer(genesis, bundle.certificateId, bundle.answer, undefined);
    const elapsed = performance.now() - started;
    result.found ? showCertificate(result, bundle.answer, elapsed) : showAbsent(bundle.certificateId, result);
  }

  // ---- wiring ----
  $('lookup').addEventListener('submit', (e) => { e.preventDefault(); lookup($('query').value); });
  $('pin').addEventListener('change', () => { if (/^[0-9a-fA-F]{64}$/.test($('pin').value) || $('pin').value === '') setPin($('pin').value); });
  $('bundle-file').addEventListener('change', () => { const f = $('bundle-file').files[0]; if (f) guarded(() => openBundle(f)); });
  $('document-file').addEventListener('change', () => guarded(() => checkDocument($('document-file').files[0])));
  const drop = $('drop');
  drop.addEventListener('dragover', (e) => { e.preventDefault(); drop.classList.add('over'); });
  drop.addEventListener('dragleave', () => drop.classList.remove('over'));
  drop.addEventListener('drop', (e) => { e.preventDefault(); drop.classList.remove('over'); guarded(() => checkDocument(e.dataTransfer.files[0])); });
  $('save-bundle').addEventListener('click', saveBundle);
  $('print').addEventListener('click', () => window.print());

  setPin(pin);
  if (!online) $('pin-status').textContent += ' Opened from disk: open a saved proof bundle.';
  const initial = params.get('cert') || params.get('number');
  if (initial && online) { $('query').value = initial; lookup(initial); }
  document.body.dataset.ready = 'true';
})();
