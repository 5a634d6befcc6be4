#!/usr/bin/env python3
"""Generates test-vectors/holder.json and test-vectors/record.json (spec sections 1, 2 and 8).

The expected values come from hmsk_record_ref.py, a second, independent implementation of the
holder rules and the record layout in Python. Negative decode vectors are built by changing named
bytes of a valid record; their expected code follows from the spec's check order.

Run: python3 test-vectors/record-vectors.py   (writes both JSON files next to this script)
"""
import json, os, re

from hmsk_record_ref import SOURCE, Fail, encode, gate_fields, holder_fields, seal16, seal32, validate

BASE = {"category": "construction", "cardNumber": "123456", "orgNumber": "974760673", "orgName": "Brønnøysund Bygg AS",
        "givenName": "Kari Ærlig", "familyName": "Østby-Hågensen", "birthDate": "1985-04-17", "gender": "F", "expiry": "2028-06-30", "issue": 0}


def encode_vector(vid, holder, trunc=False, note=""):
    inp = {"holder": holder}
    if trunc:
        inp["truncate"] = True
    try:
        r = encode(validate(holder, trunc))
        expect = {"record": r.hex(), "gateBlock": r[:16].hex()}
    except Fail as e:
        expect = {"error": str(e)}
    return {"id": vid, "kind": "encode", "source": SOURCE + (": " + note if note else ""), "input": inp, "expect": expect}


def h(**kw):
    d = dict(BASE)
    for k, val in kw.items():
        if val is None:
            d.pop(k, None)
        else:
            d[k] = val
    return d


def holder_vectors():
    a = lambda n, ch="a": ch * n
    out = [
        encode_vector("holder-spec-example", BASE, note="the spec's encode-construction holder"),
        encode_vector("holder-card-leading-zeros", h(cardNumber="00042"), note="section 1: \"00042\" is card 42"),
        encode_vector("holder-card-max", h(cardNumber="999999999999", category="cleaning")),
        encode_vector("holder-card-12-digits-one", h(cardNumber="000000000001")),
        encode_vector("holder-nfc-composes", h(familyName="O\u0308sterberg", givenName="A\u030Ase"), note="NFC composes O+U+0308 and A+U+030A"),
        encode_vector("holder-issue-default", h(issue=None), note="issue absent means 0"),
        encode_vector("holder-issue-255", h(issue=255, gender="M")),
        encode_vector("holder-birth-min", h(birthDate="1900-01-01", gender="X"), note="day 0"),
        encode_vector("holder-birth-max", h(birthDate="2079-06-06"), note="day 65535"),
        encode_vector("holder-birth-leap-2000", h(birthDate="2000-02-29")),
        encode_vector("holder-expiry-min", h(expiry="2000-01-01"), note="day 0"),
        encode_vector("holder-expiry-max", h(expiry="2099-12-31"), note="day 36524"),
        encode_vector("holder-expiry-leap-2096", h(expiry="2096-02-29")),
        encode_vector("holder-org-all-zero", h(orgNumber="000000000"), note="mod-11: sum 0, 11 means 0"),
        encode_vector("holder-org-987654325", h(orgNumber="987654325"), note="mod-11 by hand: sum 182, 182 mod 11 = 6, 11-6 = 5"),
        encode_vector("holder-texts-multibyte", h(givenName="Ola 😀", familyName="山田", orgName="Łódź\u00a0Bygg €")),
        encode_vector("holder-texts-exactly-116", h(orgName=a(40), givenName=a(18, "Ø"), familyName=a(40)), note="40 + 36 + 40 = 116 bytes"),
        encode_vector("holder-texts-117", h(orgName=a(41), givenName=a(18, "Ø"), familyName=a(40))),
        encode_vector("holder-emoji-counts-4", h(orgName=a(100), givenName="😀", familyName=a(13)), note="100 + 4 + 13 = 117 bytes"),
    ]
    trunc_cases = [
        ("ties-all", a(40, "o"), a(40, "g"), a(40, "f"), "ties: org, then given, then family -> 38/39/39"),
        ("ties-given-family", a(10, "o"), a(55, "g"), a(55, "f"), "given/family tie -> given first -> 10/53/53"),
        ("multibyte-org", a(30, "Ø"), a(50, "g"), a(10, "f"), "2-byte code points removed whole"),
        ("astral-given", a(50, "o"), a(56) + "😀", a(10, "f"), "a 4-byte code point removed whole"),
        ("strip-space", a(55, "o") + " xyzw", a(50, "g"), a(10, "f"), "trailing U+0020 stripped after cutting"),
        ("strip-two-spaces", a(54, "o") + "  xyzw", a(50, "g"), a(10, "f"), "both trailing spaces stripped"),
        ("nbsp-kept", a(54, "o") + "\u00a0xyzw", a(50, "g"), a(10, "f"), "a trailing NBSP is not U+0020 and stays"),
        ("long-everything", a(200, "Å"), "Kari Ærlig", "Nordmann", "one very long org name"),
    ]
    for name, org, given, family, note in trunc_cases:
        hh = h(orgName=org, givenName=given, familyName=family)
        out.append(encode_vector("holder-truncate-" + name, hh, True, note))
        out.append(encode_vector("holder-truncate-" + name + "-not-asked", hh, False, "without truncate: TOO_LONG"))
    bad = [
        ("category-missing", h(category=None)), ("category-void", h(category="void")), ("category-case", h(category="Cleaning")),
        ("card-zero", h(cardNumber="0")), ("card-13-digits", h(cardNumber="1000000000000")), ("card-13-digits-leading-zero", h(cardNumber="0000000000001")),
        ("card-number-type", h(cardNumber=123456)), ("card-sign", h(cardNumber="-1")), ("card-space", h(cardNumber=" 42")),
        ("org-check-digit", h(orgNumber="974760674")), ("org-remainder-10", h(orgNumber="400000000")), ("org-8-digits", h(orgNumber="97476067")),
        ("org-number-type", h(orgNumber=974760673)),
        ("text-empty", h(orgName="")), ("text-leading-space", h(givenName=" Kari")), ("text-trailing-space", h(familyName="Nordmann ")),
        ("text-trailing-nbsp", h(givenName="Kari\u00a0")), ("text-leading-ideographic-space", h(givenName="\u3000Kari")),
        ("text-cc-tab", h(givenName="Ka\tri")), ("text-cc-nul", h(orgName="AB\u0000C")), ("text-cf-soft-hyphen", h(familyName="Nord\u00admann")),
        ("text-cf-zwsp", h(givenName="Ka\u200bri")), ("text-cf-bom", h(givenName="\ufeffKari")), ("text-cs-lone-surrogate", h(givenName="Ka\ud800ri")),
        ("text-co-private-use", h(orgName="AB\ue000")), ("text-cn-unassigned", h(orgName="A\u0378B")), ("text-cn-noncharacter", h(orgName="A\uffffB")),
        ("text-zl", h(familyName="A\u2028B")), ("text-zp", h(familyName="A\u2029B")), ("text-not-string", h(familyName=["Nordmann"])),
        ("birth-before-1900", h(birthDate="1899-12-31")), ("birth-after-2079-06-06", h(birthDate="2079-06-07")), ("birth-1900-02-29", h(birthDate="1900-02-29")),
        ("birth-format", h(birthDate="1985-4-17")), ("birth-april-31", h(birthDate="1985-04-31")),
        ("expiry-before-2000", h(expiry="1999-12-31")), ("expiry-2100", h(expiry="2100-01-01")), ("expiry-2100-02-29", h(expiry="2100-02-29")),
        ("expiry-2099-02-29", h(expiry="2099-02-29")), ("expiry-missing", h(expiry=None)),
        ("gender-lower", h(gender="f")), ("gender-missing", h(gender=None)),
        ("issue-256", h(issue=256)), ("issue-negative", h(issue=-1)), ("issue-fraction", h(issue=1.5)), ("issue-string", h(issue="1")),
        # Order of checks (the table of section 1, then the text area): the first failing field wins.
        ("order-category-before-date", h(category="x", expiry="2100-01-01")),
        ("order-org-before-text", h(orgNumber="974760674", givenName="")),
        ("order-text-before-birth", h(familyName=" X", birthDate="1800-01-01")),
        ("order-gender-before-expiry", h(gender="?", expiry="1999-01-01")),
        ("order-issue-before-too-long", h(issue=300, orgName=a(117))),
        ("order-expiry-before-too-long", h(expiry="2100-01-01", orgName=a(117))),
    ]
    for name, hh in bad:
        out.append(encode_vector("holder-error-" + name, hh, note="expected code from the rule in section 1 and the check order in src/codec/holder.ts"))
    return out


def dec(vid, kind, data, expect, note):
    key = "record" if kind == "decode-record" else "gateBlock"
    return {"id": vid, "kind": kind, "source": SOURCE + ": " + note, "input": {key: bytes(data).hex()}, "expect": expect}


def record_vectors():
    out = []
    v0 = validate(BASE)
    r0 = encode(v0)
    small = validate(h(category="cleaning", cardNumber="999999999999", orgNumber="987654325", orgName="AB", givenName="Jo", familyName="Li",
                       birthDate="2079-06-06", gender="X", expiry="2099-12-31", issue=255))
    positives = [
        ("base", v0, False), ("signed", v0, True), ("small-max-values", small, False),
        ("truncated", validate(h(orgName="o" * 120), True), False),
        ("truncated-signed", validate(h(givenName="Å" * 70), True), True),
        ("multibyte", validate(h(givenName="Ola 😀", familyName="山田", orgName="Łódź\u00a0Bygg €")), False),
        ("org-zero-card-one", validate(h(orgNumber="000000000", cardNumber="1", gender="M", birthDate="1900-01-01", expiry="2000-01-01")), False),
    ]
    for name, v, signed in positives:
        r = encode(v, signed)
        out.append(dec("record-decode-" + name, "decode-record", r, {"holder": holder_fields(v, signed)}, "encoded and expected from the same holder"))
        out.append(dec("gate-decode-" + name, "decode-gate", r[:16], {"holder": gate_fields(v)}, "gate block of record-decode-" + name))
    # Void: category nibble 0xF, CRC-16 re-computed (section 3, voiding); the record CRC-32 covers byte 1 too.
    void = bytearray(r0)
    void[1] = 0x1F
    seal32(seal16(void))
    out.append(dec("record-decode-void", "decode-record", void, {"holder": {**holder_fields(v0), "category": "void"}}, "category nibble 0xF decodes as void"))
    out.append(dec("gate-decode-void", "decode-gate", void[:16], {"holder": gate_fields(v0, "void")}, "category nibble 0xF decodes as void"))
    # A leading U+FEFF is valid UTF-8; the decoder checks nothing else about text (section 2).
    bom = bytearray(r0)
    g = bom[20]
    bom[24:140] = (b"\xef\xbb\xbf" + bytes(bom[24:140]))[:116]
    bom[20] = g + 3
    seal32(bom)
    out.append(dec("record-decode-leading-bom", "decode-record", bom, {"holder": {**holder_fields(v0), "givenName": "\ufeff" + holder_fields(v0)["givenName"]}}, "text bytes EF BB BF kept as U+FEFF"))

    E = lambda c: {"error": c}
    gate_bad = [  # (name, bytes-to-set, reseal CRC-16, code, note)
        ("bad-length-15", None, False, "BAD_LENGTH", "15 bytes"), ("blank-zero", "zero", False, "BLANK", "all 0x00"), ("blank-ff", "ff", False, "BLANK", "all 0xFF"),
        ("unknown-format", {0: 0x49}, False, "UNKNOWN_FORMAT", "tag 0x49 and CRC wrong: tag checked first"),
        ("unknown-format-sealed", {0: 0x00}, True, "UNKNOWN_FORMAT", "tag 0x00"),
        ("version-0", {1: 0x01}, False, "UNSUPPORTED_VERSION", "version 0, CRC wrong: version checked first"),
        ("version-2", {1: 0x21}, True, "UNSUPPORTED_VERSION", "version 2"),
        ("crc", {15: r0[15] ^ 1}, False, "BAD_CRC", "CRC-16 low byte flipped"),
        ("crc-before-field", {1: 0x13}, False, "BAD_CRC", "category 3 with CRC wrong: CRC checked first"),
        ("category-0", {1: 0x10}, True, "BAD_FIELD", "category 0"), ("category-3", {1: 0x13}, True, "BAD_FIELD", "category 3"),
        ("category-e", {1: 0x1E}, True, "BAD_FIELD", "category 0xE"),
        ("card-zero", dict(zip(range(2, 7), b"\0" * 5)), True, "BAD_FIELD", "card number 0"),
        ("card-10-12", dict(zip(range(2, 7), (10 ** 12).to_bytes(5, "big"))), True, "BAD_FIELD", "card number 10^12"),
        ("card-max-40-bit", dict(zip(range(2, 7), b"\xff" * 5)), True, "BAD_FIELD", "card number 2^40-1"),
        ("org-10-9", dict(zip(range(7, 11), (10 ** 9).to_bytes(4, "big"))), True, "BAD_FIELD", "org number 10^9 > 999 999 999"),
        ("org-check-digit", dict(zip(range(7, 11), (974760674).to_bytes(4, "big"))), True, "BAD_FIELD", "org number 974760674 fails mod-11"),
    ]
    for name, change, sealed, code, note in gate_bad:
        if change is None:
            b = r0[:15]
        elif change == "zero":
            b = bytearray(16)
        elif change == "ff":
            b = bytearray(b"\xff" * 16)
        else:
            b = bytearray(r0[:16])
            for k, x in change.items():
                b[k] = x
            if sealed:
                seal16(b)
        out.append(dec("gate-error-" + name, "decode-gate", b, E(code), note))
        if change not in (None,):
            full = bytearray(b) + r0[16:] if len(b) == 16 else b
            seal32(full)  # record CRC right, so the gate block's own check decides
            out.append(dec("record-error-gate-" + name, "decode-record", full, E(code), "record whose gate block is gate-error-" + name))
    out.append(dec("gate-error-bad-length-144", "decode-gate", r0, E("BAD_LENGTH"), "a whole record is not a gate block"))
    out.append(dec("gate-error-bad-length-0", "decode-gate", b"", E("BAD_LENGTH"), "empty"))
    out.append(dec("record-error-bad-length-143", "decode-record", r0[:143], E("BAD_LENGTH"), "143 bytes"))
    out.append(dec("record-error-bad-length-16", "decode-record", r0[:16], E("BAD_LENGTH"), "a gate block is not a record"))
    blank_head = bytearray(144)
    blank_head[100] = 1
    out.append(dec("record-error-blank-gate", "decode-record", blank_head, E("BLANK"), "bytes 0-15 all zero"))
    crc_bad = bytearray(r0)
    crc_bad[143] ^= 1
    out.append(dec("record-error-crc32", "decode-record", crc_bad, E("BAD_CRC"), "CRC-32 flipped"))
    gate_field_crc32 = bytearray(r0)
    gate_field_crc32[1] = 0x13
    seal16(gate_field_crc32)
    out.append(dec("record-error-gate-field-before-crc32", "decode-record", gate_field_crc32, E("BAD_FIELD"), "gate block BAD_FIELD, CRC-32 wrong: the gate block is decoded first"))
    area_bad = [
        ("flag-bit-2", {19: 0x04}), ("flag-bit-7", {19: 0x80}), ("reserved-23", {23: 1}), ("gender-3", {18: 3}),
        ("given-length-0", {20: 0}), ("family-length-0", {21: 0}), ("org-length-0", {22: 0}), ("lengths-over-116", {22: 117 - r0[20] - r0[21]}),
        ("padding-139", {139: 1}), ("overlong-c0-80", {24: 0xC0, 25: 0x80}), ("lone-continuation", {24: 0x80}), ("byte-ff", {25: 0xFF}),
        ("surrogate-ed-a0-80", {24: 0xED, 25: 0xA0, 26: 0x80}), ("above-10ffff", {24: 0xF4, 25: 0x90, 26: 0x80, 27: 0x80}),
        # given name "Kari Ærlig" is 11 bytes; "Æ" = C3 86 at 29-30: a given length of 6 cuts it in two.
        ("split-code-point", {20: 6, 21: r0[21] + r0[20] - 6}),
    ]
    for name, change in area_bad:
        b = bytearray(r0)
        for k, x in change.items():
            b[k] = x
        out.append(dec("record-error-" + name + "-crc-first", "decode-record", b, E("BAD_CRC"), name + " with CRC-32 left wrong: CRC-32 checked first"))
        out.append(dec("record-error-" + name, "decode-record", seal32(b), E("BAD_FIELD"), name + ", CRC-32 re-computed"))
    return out


def write(name, vectors, what):
    ids = [v["id"] for v in vectors]
    assert len(ids) == len(set(ids)), "duplicate ids"
    doc = {"format": "hmsk-vectors/1", "source": SOURCE + ". " + what, "vectors": vectors}
    text = json.dumps(doc, ensure_ascii=False, indent=1)
    text = re.sub(r"[\ud800-\udfff]", lambda m: "\\u%04x" % ord(m.group()), text)  # lone surrogates as JSON escapes
    with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), name), "w", encoding="utf-8") as f:
        f.write(text + "\n")


if __name__ == "__main__":
    write("holder.json", holder_vectors(), "Holder validation, NFC, the 116-byte area and the truncation algorithm (section 1), as encode vectors (record and gate block only).")
    write("record.json", record_vectors(), "The 144-byte record and the gate block (section 2): decoding, every error code and the check order.")
