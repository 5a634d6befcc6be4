"""An independent implementation of HMSK spec sections 1-2 in Python, for generating vectors.

Written from the spec text alone (it shares no code with the TypeScript library): NFC and general
categories from CPython's unicodedata, dates from datetime.date (proleptic Gregorian), CRC-16/
CCITT-FALSE from binascii.crc_hqx(data, 0xFFFF) and CRC-32 from zlib.crc32, both checked below
against the spec's check values. Used by record-vectors.py.
"""
import binascii, datetime, re, struct, unicodedata, zlib

assert binascii.crc_hqx(b"123456789", 0xFFFF) == 0x29B1
assert zlib.crc32(b"123456789") == 0xCBF43926

WHITE_SPACE = set("\t\n\v\f\r \x85\xa0\u1680\u2028\u2029\u202f\u205f\u3000") | {chr(c) for c in range(0x2000, 0x200B)}
REJECTED = {"Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"}
SOURCE = "independent Python implementation of spec sections 1-2 (test-vectors/hmsk_record_ref.py; unicodedata, datetime, binascii.crc_hqx, zlib.crc32)"


class Fail(Exception):
    pass


def date_days(s, epoch, lo, hi):
    if not isinstance(s, str) or not re.fullmatch(r"[0-9]{4}-[0-9]{2}-[0-9]{2}", s):
        raise Fail("INVALID_DATE")
    try:
        d = datetime.date(int(s[:4]), int(s[5:7]), int(s[8:]))
    except ValueError:
        raise Fail("INVALID_DATE")
    if not (lo <= d <= hi):
        raise Fail("INVALID_DATE")
    return (d - epoch).days


def text(s):
    if not isinstance(s, str):
        raise Fail("INVALID_TEXT")
    s = unicodedata.normalize("NFC", s)
    if s == "" or s[0] in WHITE_SPACE or s[-1] in WHITE_SPACE or any(unicodedata.category(c) in REJECTED for c in s):
        raise Fail("INVALID_TEXT")
    return s


def org_ok(o):
    if not isinstance(o, str) or not re.fullmatch(r"[0-9]{9}", o):
        return False
    c = 11 - sum(int(d) * w for d, w in zip(o, [3, 2, 7, 6, 5, 4, 3, 2])) % 11
    return c != 10 and (0 if c == 11 else c) == int(o[8])


def truncate(t):
    """Section 1's algorithm on [org, given, family] (Python str = code points)."""
    n = lambda s: len(s.encode("utf-8"))
    while sum(map(n, t)) > 116:
        i = max(range(3), key=lambda k: (n(t[k]), -k))  # longest; ties by order org, given, family
        t[i] = t[i][:-1]
    t = [s.rstrip(" ") for s in t]
    if "" in t:
        raise Fail("TOO_LONG")
    return t


def validate(h, trunc=False):
    if h.get("category") not in ("construction", "cleaning"):
        raise Fail("INVALID_CATEGORY")
    cn = h.get("cardNumber")
    if not isinstance(cn, str) or not re.fullmatch(r"[0-9]{1,12}", cn) or int(cn) == 0:
        raise Fail("INVALID_CARD_NUMBER")
    if not org_ok(h.get("orgNumber")):
        raise Fail("INVALID_ORG_NUMBER")
    t = [text(h.get("orgName")), text(h.get("givenName")), text(h.get("familyName"))]
    birth = date_days(h.get("birthDate"), datetime.date(1900, 1, 1), datetime.date(1900, 1, 1), datetime.date(2079, 6, 6))
    if h.get("gender") not in ("M", "F", "X"):
        raise Fail("INVALID_GENDER")
    exp = date_days(h.get("expiry"), datetime.date(2000, 1, 1), datetime.date(2000, 1, 1), datetime.date(2099, 12, 31))
    issue = h.get("issue", 0)
    if type(issue) is not int or not 0 <= issue <= 255:
        raise Fail("INVALID_ISSUE")
    truncated = sum(len(s.encode()) for s in t) > 116
    if truncated:
        if not trunc:
            raise Fail("TOO_LONG")
        t = truncate(t)
    return dict(cat=1 if h["category"] == "construction" else 2, card=int(cn), org=int(h["orgNumber"]), texts=t,
                birth=birth, gender={"X": 0, "M": 1, "F": 2}[h["gender"]], exp=exp, issue=issue, truncated=truncated)


def seal16(b):
    b[14:16] = struct.pack(">H", binascii.crc_hqx(bytes(b[:14]), 0xFFFF))
    return b


def seal32(b):
    b[140:144] = struct.pack(">I", zlib.crc32(bytes(b[:140])))
    return b


def encode(v, signed=False):
    g = bytearray(struct.pack(">BB", 0x48, 0x10 | v["cat"]) + v["card"].to_bytes(5, "big") + struct.pack(">IHB", v["org"], v["exp"], v["issue"]) + b"\0\0")
    org, given, family = (s.encode("utf-8") for s in v["texts"])
    flags = (1 if signed else 0) | (2 if v["truncated"] else 0)
    area = (given + family + org).ljust(116, b"\0")
    rec = g + struct.pack(">HBBBBBB", v["birth"], v["gender"], flags, len(given), len(family), len(org), 0) + area + b"\0\0\0\0"
    return seal32(seal16(bytearray(rec)))


def day_iso(epoch, n):
    return (epoch + datetime.timedelta(days=n)).isoformat()


def gate_fields(v, cat=None):
    return {"category": cat or ("construction" if v["cat"] == 1 else "cleaning"), "cardNumber": str(v["card"]), "orgNumber": "%09d" % v["org"],
            "expiry": day_iso(datetime.date(2000, 1, 1), v["exp"]), "issue": v["issue"]}


def holder_fields(v, signed=False):
    org, given, family = v["texts"]
    return {**gate_fields(v), "birthDate": day_iso(datetime.date(1900, 1, 1), v["birth"]), "gender": "XMF"[v["gender"]],
            "givenName": given, "familyName": family, "orgName": org, "signed": signed, "truncated": v["truncated"]}
