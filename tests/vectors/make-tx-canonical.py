#!/usr/bin/env python3
"""Writes tx-canonical.json: TxBody forms that are not canonical (docs/PROTOCOL.md, "Canonical transaction
bodies"), each signed with a valid signature, and the refusal a node gives. Written from PROTOCOL.md and
the .proto files alone, with no code of the ledger: the base body is the ed25519 vector of tx-signing.json.
Needs Python 3 and the 'cryptography' package. Run from this folder: python3 make-tx-canonical.py"""
import json
from cryptography.hazmat.primitives.asymmetric.ed25519 import Ed25519PrivateKey


def varint(n):
    out = bytearray()
    while True:
        b = n & 0x7F
        n >>= 7
        out.append(b | 0x80 if n else b)
        if not n:
            return bytes(out)


def tag(number, wire):
    return varint((number << 3) | wire)


def ld(number, payload):
    return tag(number, 2) + varint(len(payload)) + payload


def vi(number, value):
    return tag(number, 0) + varint(value)


def fields(data):
    """Top-level fields of protobuf bytes as (number, raw bytes of the whole field, payload)."""
    out, pos = [], 0
    while pos < len(data):
        start = pos
        key, pos = read_varint(data, pos)
        number, wire = key >> 3, key & 7
        if wire == 0:
            _, pos = read_varint(data, pos)
            payload = None
        elif wire == 2:
            length, pos = read_varint(data, pos)
            payload = data[pos:pos + length]
            pos += length
        else:
            raise ValueError(wire)
        out.append((number, data[start:pos], payload))
    return out


def read_varint(data, pos):
    value, shift = 0, 0
    while True:
        b = data[pos]
        pos += 1
        value |= (b & 0x7F) << shift
        shift += 7
        if not b & 0x80:
            return value, pos


signing = json.load(open("tx-signing.json"))
base_vector = next(v for v in signing["vectors"] if v["suite"] == "ed25519")
chain = base_vector["chainId"]
key = Ed25519PrivateKey.from_private_bytes(bytes.fromhex(base_vector["privateKey"]))
base = bytes.fromhex(base_vector["body"])
top = {n: (raw, payload) for n, raw, payload in fields(base)}
assert sorted(top) == [1, 2, 3, 4, 5, 20], sorted(top)
certificate = fields(top[20][1])[0][2]
cert_fields = fields(certificate)


def body(*parts):
    return b"".join(parts)


def with_certificate(cert_bytes):
    """The base body with its certificate replaced."""
    return body(top[1][0], top[2][0], top[3][0], top[4][0], top[5][0], ld(20, ld(1, cert_bytes)))


def cert_with(extra_after, extra):
    """The certificate with extra bytes inserted after its field number extra_after."""
    out = b""
    for number, raw, _ in cert_fields:
        out += raw
        if number == extra_after:
            out += extra
    return out


revoke = ld(22, ld(1, b"kz-chamber/KZ-2026-000001") + ld(2, b"issued in error"))

cases = [
    ("the canonical body (the ed25519 body of tx-signing.json)", base, "OK", "", ""),
    ("an unknown field (99, a varint) after the kind", base + vi(99, 1), "TX_NOT_CANONICAL", "99",
     "field 99 is not a field of ledger.v1.TxBody"),
    ("an unknown field (17, a string) inside the signed certificate",
     with_certificate(certificate + ld(17, b"hidden")), "TX_NOT_CANONICAL", "issue_certificate.certificate.17",
     "field 17 of issue_certificate.certificate is not a field of ledger.v1.Certificate"),
    ("fields out of order: created_at_ms (5) before nonce (4)",
     body(top[1][0], top[2][0], top[3][0], top[5][0], top[4][0], top[20][0]), "TX_NOT_CANONICAL", "nonce",
     "field 4 (nonce) comes after field 5 (created_at_ms): fields are written in increasing number order"),
    ("chain_id written twice",
     body(top[1][0], top[1][0], top[2][0], top[3][0], top[4][0], top[5][0], top[20][0]), "TX_NOT_CANONICAL", "chain_id",
     "field 1 (chain_id) appears twice"),
    ("a singular message field repeated: signer_key written twice",
     body(top[1][0], top[2][0], top[3][0], top[3][0], top[4][0], top[5][0], top[20][0]), "TX_NOT_CANONICAL", "signer_key",
     "field 3 (signer_key) appears twice"),
    ("a nested singular field repeated: the certificate's number written twice",
     with_certificate(cert_fields[0][1] + certificate), "TX_NOT_CANONICAL", "issue_certificate.certificate.number",
     "field 1 (number) of issue_certificate.certificate appears twice"),
    ("two kinds in one body: issue_certificate and revoke_certificate", base + revoke, "TX_NOT_CANONICAL",
     "revoke_certificate",
     "field 22 (revoke_certificate) is set beside field 20 (issue_certificate): oneof kind holds one member at most"),
    ("a default value written explicitly: created_at_ms = 0",
     body(top[1][0], top[2][0], top[3][0], top[4][0], vi(5, 0), top[20][0]), "TX_NOT_CANONICAL", "created_at_ms",
     "field 5 (created_at_ms) is written with its default value (0): a default value is left out"),
    ("a default value written explicitly inside the certificate: retrospective = false",
     with_certificate(cert_with(10, vi(15, 0))), "TX_NOT_CANONICAL", "issue_certificate.certificate.retrospective",
     "field 15 (retrospective) of issue_certificate.certificate is written with its default value (false): a default value is left out"),
    ("an empty string written explicitly: signer_org = \"\"",
     body(top[1][0], ld(2, b""), top[3][0], top[4][0], top[5][0], top[20][0]), "TX_NOT_CANONICAL", "signer_org",
     "field 2 (signer_org) is written with its default value (empty): a default value is left out"),
    ("a varint not in its fewest bytes: nonce = 1 as 0x81 0x00",
     body(top[1][0], top[2][0], top[3][0], tag(4, 0) + b"\x81\x00", top[5][0], top[20][0]), "TX_NOT_CANONICAL", "nonce",
     "field 4 (nonce) is not written in its fewest bytes"),
]

vectors = []
for description, body_bytes, code, field, message in cases:
    assert (body_bytes == base) == (code == "OK"), description
    signed = b"ledger.v1/tx\x00" + chain.encode() + b"\x00" + body_bytes
    vectors.append({
        "description": description,
        "body": body_bytes.hex(),
        "signature": key.sign(signed).hex(),
        "code": code,
        "field": field,
        "message": message,
    })

document = {
    "description": "TxBody encodings and the decoder's answer (docs/PROTOCOL.md, \"Canonical transaction bodies\"). "
                   "Each body is signed with the ed25519 key of tx-signing.json for its chain, so the signature verifies; "
                   "a body that is not canonical is refused with TX_NOT_CANONICAL anyway, before the signature is checked. "
                   "field is the offending field's path (an unknown field by its number); message is the reference node's "
                   "sentence after 'the body is not in canonical form: '. Made by make-tx-canonical.py.",
    "chainId": chain,
    "publicKey": base_vector["publicKey"],
    "vectors": vectors,
}
with open("tx-canonical.json", "w") as out:
    json.dump(document, out, indent=2)
    out.write("\n")
