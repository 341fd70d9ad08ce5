// The verification page's checks, written from docs/PROTOCOL.md alone: the genesis document against the hash the
// link pins, the block header's hash, the commit certificate's signatures and quorum, every state proof, and the
// proven records decoded from their exact bytes. Nothing the server says is used unless a check covers it.
// A classic script (not a module) so that the page also works opened from disk.
(function (global) {
  'use strict';

  const subtle = global.crypto && global.crypto.subtle;
  const utf8 = new TextEncoder();
  const strictUtf8 = new TextDecoder('utf-8', { fatal: true });
  const ZERO = new Uint8Array(32);
  // n/2 of P-256: a signature with a higher s is refused (PROTOCOL.md, "p256").
  const P256_HALF_N = 0x7fffffff800000007fffffffffffffffde737d56d38bcf4279dce5617e3192a8n;
  const PRECOMMIT = 0x02;
  const STATUS_NAMES = ['UNSPECIFIED', 'ISSUED', 'SUSPENDED', 'REPLACED', 'REVOKED', 'FULLY_USED', 'ANNULLED'];
  const VERDICT_NAMES = ['UNSPECIFIED', 'IN_TRANSIT', 'DIRECT_TRANSPORT_VERIFIED', 'BREACHED'];

  // A check that failed: `code` is stable (the page's tests and texts use it), `message` says what and where.
  class CheckFailed extends Error {
    constructor(code, message) { super(message); this.code = code; }
  }
  const fail = (code, message) => { throw new CheckFailed(code, message); };

  // ---- bytes ----
  function fromBase64(text) {
    if (text === undefined || text === null || text === '') return new Uint8Array(0);
    let binary;
    try { binary = atob(text); } catch { fail('MALFORMED', 'a field is not base64'); }
    const out = new Uint8Array(binary.length);
    for (let i = 0; i < binary.length; i++) out[i] = binary.charCodeAt(i);
    return out;
  }
  function toBase64(bytes) {
    let binary = '';
    for (const b of bytes) binary += String.fromCharCode(b);
    return btoa(binary);
  }
  const toHex = (bytes) => Array.from(bytes, (b) => b.toString(16).padStart(2, '0')).join('');
  function fromHex(text) {
    if (!/^([0-9a-fA-F]{2})*$/.test(text)) fail('MALFORMED', 'not hex: ' + text.slice(0, 20));
    const out = new Uint8Array(text.length / 2);
    for (let i = 0; i < out.length; i++) out[i] = parseInt(text.substr(i * 2, 2), 16);
    return out;
  }
  function concat(...parts) {
    const out = new Uint8Array(parts.reduce((n, p) => n + p.length, 0));
    let at = 0;
    for (const p of parts) { out.set(p, at); at += p.length; }
    return out;
  }
  const equal = (a, b) => a.length === b.length && a.every((x, i) => x === b[i]);
  const sha256 = async (bytes) => new Uint8Array(await subtle.digest('SHA-256', bytes));

  // ---- canonical encoding (PROTOCOL.md, "Canonical encoding") ----
  class Writer {
    constructor() { this.parts = []; }
    fixed(value, bytes) {
      const out = new Uint8Array(bytes);
      let v = BigInt.asUintN(bytes * 8, BigInt(value));
      for (let i = bytes - 1; i >= 0; i--) { out[i] = Number(v & 0xffn); v >>= 8n; }
      this.parts.push(out);
      return this;
    }
    u8(v) { return this.fixed(v, 1); }
    u32(v) { return this.fixed(v, 4); }
    u64(v) { return this.fixed(v, 8); }
    i64(v) { return this.fixed(v, 8); }
    hash(bytes) {
      if (bytes.length === 0) { this.parts.push(ZERO); return this; }
      if (bytes.length !== 32) fail('MALFORMED', 'a hash has ' + bytes.length + ' bytes, not 32');
      this.parts.push(bytes);
      return this;
    }
    bytes(b) { this.u32(b.length); this.parts.push(b); return this; }
    string(s) { return this.bytes(utf8.encode(s)); }
    toBytes() { return concat(...this.parts); }
  }
  const signedBytes = (tag, chainId, payload) =>
    concat(utf8.encode(tag), new Uint8Array([0]), utf8.encode(chainId), new Uint8Array([0]), payload);

  // ---- protobuf reading, for the proven records (varint and length-delimited fields; others skipped) ----
  function readFields(bytes) {
    const fields = new Map();
    let at = 0;
    const varint = () => {
      let result = 0n, shift = 0n;
      for (;;) {
        if (at >= bytes.length || shift > 63n) fail('VALUE_MALFORMED', 'a proven record is not a protobuf message');
        const b = bytes[at++];
        result |= BigInt(b & 0x7f) << shift;
        if ((b & 0x80) === 0) return result;
        shift += 7n;
      }
    };
    while (at < bytes.length) {
      const tag = varint();
      const field = Number(tag >> 3n), wire = Number(tag & 7n);
      let value;
      if (wire === 0) value = varint();
      else if (wire === 2) {
        const length = Number(varint());
        if (at + length > bytes.length) fail('VALUE_MALFORMED', 'a proven record is cut short');
        value = bytes.subarray(at, at + length);
        at += length;
      } else if (wire === 1) { at += 8; continue; } else if (wire === 5) { at += 4; continue; } else fail('VALUE_MALFORMED', 'a proven record has wire type ' + wire);
      if (!fields.has(field)) fields.set(field, []);
      fields.get(field).push(value);
    }
    return {
      string: (n) => fields.has(n) ? decodeUtf8(fields.get(n).at(-1)) : '',
      strings: (n) => (fields.get(n) || []).map(decodeUtf8),
      bytes: (n) => fields.has(n) ? fields.get(n).at(-1) : new Uint8Array(0),
      number: (n) => fields.has(n) ? Number(fields.get(n).at(-1)) : 0,
      bigint: (n) => fields.has(n) ? fields.get(n).at(-1) : 0n,
      message: (n) => fields.has(n) ? readFields(fields.get(n).at(-1)) : null,
      messages: (n) => (fields.get(n) || []).map(readFields),
    };
  }
  function decodeUtf8(bytes) {
    if (!(bytes instanceof Uint8Array)) fail('VALUE_MALFORMED', 'a string field is not length-delimited');
    try { return strictUtf8.decode(bytes); } catch { return fail('VALUE_MALFORMED', 'a string field is not UTF-8'); }
  }

  // The records of protos/ledger/v1/state.proto that public proofs cover.
  const records = {
    certificateStatus(bytes) {
      const m = readFields(bytes);
      return {
        id: m.string(1), status: STATUS_NAMES[m.number(2)] || 'UNKNOWN', statusReason: m.string(3), issuer: m.string(4),
        contentHash: m.bytes(5), consignments: m.strings(6), replacedBy: m.string(7), replaces: m.string(8),
      };
    },
    organisation(bytes) {
      const m = readFields(bytes);
      const o = m.message(1);
      return { id: o ? o.string(1) : '', name: o ? o.string(2) : '', country: o ? o.string(3) : '', suspended: m.number(2) !== 0 };
    },
    routeVerdict(bytes) {
      const m = readFields(bytes);
      return {
        consignmentId: m.string(1), kind: VERDICT_NAMES[m.number(2)] || 'UNKNOWN',
        breaches: m.messages(3).map((b) => ({ code: b.string(1), message: b.string(2), checkpoint: b.string(3), height: b.bigint(4).toString() })),
      };
    },
    organisationIndex: (bytes) => readFields(bytes).strings(1),
  };

  // ---- the genesis: validators and organisations, only from a document whose hash is the pinned one ----
  const SUITES = { ed25519: 32, p256: 65, secp256k1: 65, sm2: 65, gost2012: 64 };
  function parseKey(text) {
    const [suite, keyHex] = String(text).split(':', 2);
    if (!(suite in SUITES) || keyHex === undefined) fail('GENESIS_MALFORMED', 'a validator key is not "<suite>:<hex>": ' + text);
    const key = fromHex(keyHex);
    if (key.length !== SUITES[suite]) fail('GENESIS_MALFORMED', 'a ' + suite + ' key has ' + SUITES[suite] + ' bytes, not ' + key.length);
    return { suite, key };
  }
  async function loadGenesis(documentBytes, pinnedHash) {
    const hash = toHex(await sha256(documentBytes));
    if (pinnedHash && hash !== pinnedHash.toLowerCase()) {
      fail('GENESIS_MISMATCH', 'the genesis document has hash ' + hash + ', not the pinned ' + pinnedHash + ': this is another network, or a forged one');
    }
    let document;
    try { document = JSON.parse(decodeUtf8(documentBytes)); } catch (e) { return fail('GENESIS_MALFORMED', 'the genesis document is not JSON: ' + e.message); }
    if (!document || typeof document.chainId !== 'string' || !Array.isArray(document.validators) || document.validators.length === 0) {
      fail('GENESIS_MALFORMED', 'the genesis document has no chainId or no validators');
    }
    const names = new Map((document.organisations || []).map((o) => [o.id, o.name]));
    const validators = document.validators.map((v) => {
      const power = v.power === undefined ? 1n : BigInt(v.power);
      if (power <= 0n) fail('GENESIS_MALFORMED', 'a validator power is not positive');
      return { organisation: v.organisation, name: names.get(v.organisation) || v.organisation, power, ...parseKey(v.key) };
    });
    const roster = await rosterOf(document.chainId, 1n, validators);
    return { hash, pinned: Boolean(pinnedHash), chainId: document.chainId, validators, totalPower: roster.totalPower, roster };
  }

  // ---- validator rosters (PROTOCOL.md, "Validator sets"): the genesis's, then each one a certified header names ----
  const SUITE_NUMBERS = { ed25519: 1, p256: 2, secp256k1: 3, sm2: 4, gost2012: 5 };
  const SUITE_OF_WIRE = { KEY_SUITE_ED25519: 'ed25519', KEY_SUITE_ECDSA_P256: 'p256', KEY_SUITE_ECDSA_SECP256K1: 'secp256k1', KEY_SUITE_SM2_SM3: 'sm2', KEY_SUITE_GOST2012_256: 'gost2012' };
  async function rosterOf(chainId, fromHeight, validators) {
    const payload = new Writer().u32(validators.length);
    for (const v of validators) payload.string(v.organisation).u32(SUITE_NUMBERS[v.suite]).bytes(v.key).i64(v.power);
    const hash = await sha256(signedBytes('ledger.v1/validators', chainId, payload.toBytes()));
    return { chainId, fromHeight, validators, hash, totalPower: validators.reduce((n, v) => n + v.power, 0n) };
  }
  function wireValidator(v, names) {
    const suite = SUITE_OF_WIRE[(v.key || {}).suite];
    const key = fromBase64((v.key || {}).key);
    if (!suite || key.length !== SUITES[suite]) fail('VALIDATOR_SET_UNPROVEN', 'a validator of a roster change has no usable key');
    const power = BigInt(v.power || 0);
    if (power < 0n) fail('VALIDATOR_SET_UNPROVEN', 'a validator power is negative');
    return { organisation: v.organisationId || '', name: names.get(v.organisationId) || v.organisationId || '', power, suite, key };
  }
  // Learns each roster from the header of the height before it: that header names the roster the page trusts for its
  // height as its own, carries that roster's certificate, and names the new roster as the next.
  async function rostersOf(genesis, proofs) {
    const names = new Map(genesis.validators.map((v) => [v.organisation, v.name]));
    const rosters = [genesis.roster];
    for (const p of proofs || []) {
      const current = rosters[rosters.length - 1];
      const fromHeight = BigInt(p.fromHeight || 0);
      if (!p.header || !p.certificate || fromHeight <= current.fromHeight || BigInt(p.header.height || 0) + 1n !== fromHeight) {
        fail('VALIDATOR_SET_UNPROVEN', 'a roster change carries no header of the height before it');
      }
      await checkCertificate(current, p.header, p.certificate);
      if (!equal(fromBase64(p.header.validatorsHash), current.hash)) {
        fail('VALIDATOR_SET_UNPROVEN', 'the roster change at height ' + fromHeight + ' is not named by a header of the roster before it');
      }
      const next = await rosterOf(genesis.chainId, fromHeight, (p.validators || []).map((v) => wireValidator(v, names)));
      if (!equal(fromBase64(p.header.nextValidatorsHash), next.hash)) {
        fail('VALIDATOR_SET_UNPROVEN', 'the roster offered from height ' + fromHeight + ' is not the one its certified header names');
      }
      rosters.push(next);
    }
    return rosters;
  }

  // ---- signatures: what WebCrypto can check; anything else is reported as not checked, never as valid ----
  const keyCache = new Map();
  async function importKey(validator) {
    const id = validator.suite + ':' + toHex(validator.key);
    if (!keyCache.has(id)) {
      const algorithm = validator.suite === 'ed25519' ? { name: 'Ed25519' } : { name: 'ECDSA', namedCurve: 'P-256' };
      keyCache.set(id, subtle.importKey('raw', validator.key, algorithm, false, ['verify']));
    }
    return keyCache.get(id);
  }
  // true or false when the browser checked it; null when it cannot check this suite.
  async function verifySignature(validator, message, signature) {
    try {
      if (validator.suite === 'ed25519') {
        if (signature.length !== 64) return false;
        return await subtle.verify({ name: 'Ed25519' }, await importKey(validator), signature, message);
      }
      if (validator.suite === 'p256') {
        if (signature.length !== 64) return false;
        const s = BigInt('0x' + toHex(signature.subarray(32)));
        if (s === 0n || s > P256_HALF_N) return false;
        return await subtle.verify({ name: 'ECDSA', hash: 'SHA-256' }, await importKey(validator), signature, message);
      }
    } catch (e) {
      if (e && e.name === 'NotSupportedError') return null;
      return false;
    }
    return null;
  }

  // ---- block header and commit certificate (PROTOCOL.md, "Blocks", "Sign bytes", "Commit certificates") ----
  function headerHashInput(h) {
    const hashField = (name, mayBeEmpty) => {
      const bytes = fromBase64(h[name]);
      if (!(bytes.length === 32 || (mayBeEmpty && bytes.length === 0))) fail('HEADER_MALFORMED', 'the header field ' + name + ' has ' + bytes.length + ' bytes');
      return bytes;
    };
    const payload = new Writer()
      .u64(h.height || 0).i64(h.timeMs || 0)
      .hash(hashField('previousBlockHash')).hash(hashField('lastCommitHash', true)).hash(hashField('txRoot'))
      .hash(hashField('stateRoot')).hash(hashField('receiptsRoot')).string(h.proposer || '').u32(h.txCount || 0)
      .hash(hashField('evidenceRoot')).hash(hashField('validatorsHash')).hash(hashField('nextValidatorsHash'))
      .toBytes();
    return signedBytes('ledger.v1/block', h.chainId || '', payload);
  }

  // `roster`: the validators of the header's height (the genesis's or a later one), with their chain id and total power.
  async function checkCertificate(roster, header, certificate) {
    const blockHash = await sha256(headerHashInput(header));
    const height = BigInt(header.height || 0);
    const certificateHash = fromBase64(certificate.blockHash);
    if (BigInt(certificate.height || 0) !== height || !equal(certificateHash, blockHash)) {
      fail('CERTIFICATE_NOT_FOR_HEADER', 'the commit certificate is for block ' + toHex(certificateHash).slice(0, 16) + '… at height ' + (certificate.height || 0) +
        ', the header hashes to ' + toHex(blockHash).slice(0, 16) + '… at height ' + height + ': the header was altered or belongs to another block');
    }
    const voteBytes = signedBytes('ledger.v1/vote', roster.chainId,
      new Writer().u64(height).u32(certificate.round || 0).u8(PRECOMMIT).hash(blockHash).toBytes());
    let previous = -1, checkedPower = 0n, uncheckedPower = 0n;
    const signers = [], unchecked = [];
    for (const s of certificate.signatures || []) {
      const index = s.validatorIndex || 0;
      if (index <= previous) fail('CERTIFICATE_INVALID', 'the certificate\'s signers are not sorted and distinct');
      previous = index;
      const validator = roster.validators[index];
      if (!validator || validator.power === 0n) fail('CERTIFICATE_INVALID', 'the certificate names validator ' + index + ', which is not a validator of block ' + height);
      const valid = await verifySignature(validator, voteBytes, fromBase64(s.signature));
      if (valid === false) fail('SIGNATURE_INVALID', 'the signature of ' + validator.name + ' (validator ' + index + ') on block ' + height + ' is not valid: the certificate is forged');
      if (valid === null) { uncheckedPower += validator.power; unchecked.push(validator); } else { checkedPower += validator.power; signers.push(validator); }
    }
    const quorum = (power) => 3n * power > 2n * roster.totalPower;
    if (!quorum(checkedPower)) {
      if (quorum(checkedPower + uncheckedPower)) {
        fail('SUITE_NOT_CHECKED', 'this browser cannot check the ' + [...new Set(unchecked.map((v) => v.suite))].join(', ') +
          ' signatures of ' + unchecked.map((v) => v.name).join(', ') + ', and those it checked hold no more than two thirds of the power');
      }
      fail('NO_QUORUM', 'the certificate\'s signers hold no more than two thirds of the voting power');
    }
    return { height, blockHash, timeMs: BigInt(header.timeMs || 0), stateRoot: fromBase64(header.stateRoot), signers, unchecked, members: roster.validators.filter((v) => v.power > 0n).length };
  }

  // ---- state proofs (PROTOCOL.md, "State tree and state proofs", "Verification") ----
  const bitOf = (bytes, i) => (bytes[i >> 3] >> (7 - (i & 7))) & 1;
  async function checkStateProof(root, key, value, proof) {
    const p = proof || {};
    const depth = p.depth || 0;
    if (depth > 256) return false;
    const bitmap = fromBase64(p.siblingBitmap);
    if (bitmap.length !== Math.ceil(depth / 8)) return false;
    for (let i = depth; i < bitmap.length * 8; i++) if (bitOf(bitmap, i)) return false;
    const sent = (p.siblings || []).map(fromBase64);
    const siblings = [];
    let next = 0;
    for (let i = 0; i < depth; i++) {
      if (!bitOf(bitmap, i)) { siblings.push(ZERO); continue; }
      const sibling = sent[next++];
      if (!sibling || sibling.length !== 32 || equal(sibling, ZERO)) return false;
      siblings.push(sibling);
    }
    if (next !== sent.length) return false;
    const path = await sha256(utf8.encode(key));
    let node;
    if (p.leaf) {
      const leafPath = fromBase64(p.leaf.path), valueHash = fromBase64(p.leaf.valueHash);
      if (leafPath.length !== 32 || valueHash.length !== 32) return false;
      if (value !== null) {
        if (!equal(leafPath, path) || !equal(valueHash, await sha256(value))) return false;
      } else {
        if (equal(leafPath, path)) return false;
        for (let i = 0; i < depth; i++) if (bitOf(leafPath, i) !== bitOf(path, i)) return false;
      }
      node = await sha256(concat(new Uint8Array([0]), leafPath, valueHash));
    } else {
      if (value !== null) return false;
      node = ZERO;
    }
    if (depth > 0 && equal(siblings[depth - 1], ZERO)) return false;
    for (let i = depth - 1; i >= 0; i--) {
      node = await sha256(bitOf(path, i) === 0 ? concat(new Uint8Array([1]), node, siblings[i]) : concat(new Uint8Array([1]), siblings[i], node));
    }
    return equal(node, root);
  }

  // Checks a bundle (header, certificate, entries); returns the proven header and a map key -> bytes (null = absent).
  async function checkBundle(genesis, bundle, highestSeen) {
    if (!bundle || !bundle.header || !bundle.certificate) fail('PROOF_MISSING', 'the answer carries no proof (a node with no committed block has nothing to prove against)');
    if (bundle.header.chainId !== genesis.chainId) fail('WRONG_CHAIN', 'the header is for chain "' + bundle.header.chainId + '", not "' + genesis.chainId + '"');
    const rosters = await rostersOf(genesis, bundle.validatorSets);
    const height = BigInt(bundle.header.height || 0);
    const roster = rosters.filter((r) => r.fromHeight <= height).pop();
    const proven = await checkCertificate(roster, bundle.header, bundle.certificate);
    if (!equal(fromBase64(bundle.header.validatorsHash), roster.hash)) {
      fail('VALIDATOR_SET_UNPROVEN', 'the header of block ' + height + ' names a validator roster the proof does not lead to from the genesis');
    }
    if (highestSeen !== undefined && proven.height < highestSeen) {
      fail('STALE', 'the answer is proven at block ' + proven.height + ', but block ' + highestSeen + ' was already seen signed: the node serves an old state');
    }
    const entries = new Map();
    for (const entry of bundle.entries || []) {
      if (entries.has(entry.key)) fail('PROOF_INVALID', 'the key ' + entry.key + ' is proven twice');
      const value = entry.absent ? null : fromBase64(entry.value);
      if (entry.absent && entry.value) fail('PROOF_INVALID', 'the key ' + entry.key + ' is marked absent and carries a value');
      if (entry.key.startsWith('tx/') || !(await checkStateProof(proven.stateRoot, entry.key, value, entry.proof))) {
        fail('RECORD_ALTERED', 'the record under ' + entry.key + ' does not match the state root signed at block ' + proven.height + ': the node changed it');
      }
      entries.set(entry.key, value);
    }
    const proved = (key) => {
      if (!entries.has(key)) fail('ENTRY_MISSING', 'the proof leaves out ' + key + ', which the answer depends on');
      return entries.get(key);
    };
    return { header: proven, proved };
  }

  // What a certificate's answer proves: everything shown comes from these decoded, proven bytes.
  async function checkCertificateAnswer(genesis, certificateId, answer, highestSeen) {
    const { header, proved } = await checkBundle(genesis, answer.proof, highestSeen);
    const statusBytes = proved('cert-status/' + certificateId);
    if (statusBytes === null) return { header, found: false, certificateId };
    const status = records.certificateStatus(statusBytes);
    if (status.id !== certificateId) fail('VALUE_MALFORMED', 'the record under cert-status/' + certificateId + ' is certificate ' + status.id);
    const issuerBytes = proved('org/' + status.issuer);
    const issuer = issuerBytes === null ? { name: '', country: '' } : records.organisation(issuerBytes);
    const consignments = [];
    for (const id of status.consignments) {
      const bytes = proved('route-verdict/' + id);
      if (bytes !== null) consignments.push(records.routeVerdict(bytes));
    }
    return { header, found: true, certificateId, ...status, issuerName: issuer.name, issuerCountry: issuer.country, consignments };
  }

  // What a search by number proves: for every organisation of the proven index, its entry for the number.
  async function checkSearchAnswer(genesis, number, answer, highestSeen) {
    const { header, proved } = await checkBundle(genesis, answer.proof, highestSeen);
    const indexBytes = proved('organisations');
    const found = [];
    for (const organisation of indexBytes === null ? [] : records.organisationIndex(indexBytes)) {
      const id = organisation + '/' + number;
      const bytes = proved('cert-status/' + id);
      if (bytes === null) continue;
      if (records.certificateStatus(bytes).id !== id) fail('VALUE_MALFORMED', 'the record under cert-status/' + id + ' is another certificate');
      found.push(id);
    }
    found.sort();
    return { header, number, certificateIds: found };
  }

  global.LedgerVerify = {
    CheckFailed, loadGenesis, checkCertificateAnswer, checkSearchAnswer, checkStateProof, verifySignature, sha256, toHex, fromHex, toBase64, fromBase64,
  };
})(typeof window !== 'undefined' ? window : globalThis);
