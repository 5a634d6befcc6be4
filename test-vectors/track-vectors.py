#!/usr/bin/env python3
"""Generates test-vectors/tracks.json: `track-decode` and `track-bits` vectors (spec sections 4, 8).

An independent Python implementation of section 4 (shares no code with the TypeScript library):
track strings built field by field from the section 4 layout, the Luhn digit of ISO/IEC 7812-1 as
the textbook "double every second digit from the right", LRC and bits from the ISO/IEC 7811-2
tables (value = ASCII - 0x20 / 0x30, LSB first, odd parity). Negative vectors are built by breaking
exactly one thing (and, for the check order, two things, the earlier check's code expected), each
with a `source` saying what was broken and why that code comes first.

Run: python3 test-vectors/track-vectors.py   (writes tracks.json next to this script)
"""
import json, os, random, datetime, re, unicodedata

rng = random.Random(20261122)
SET = {1: (0x20, 6, "%"), 2: (0x30, 4, ";")}


def luhn(digits):
    total = 0
    for i, ch in enumerate(reversed(digits)):
        d = int(ch)
        if i % 2 == 0:  # rightmost payload digit is doubled
            d = d * 2 - 9 if d * 2 > 9 else d * 2
        total += d
    return str((10 - total % 10) % 10)


assert luhn("7992739871") == "3"  # the textbook Luhn example
assert luhn("974760673000000123456") == "6"  # spec example: 0000001234566


def org_number():
    while True:
        s = "".join(rng.choice("0123456789") for _ in range(8))
        c = 11 - sum(int(d) * w for d, w in zip(s, (3, 2, 7, 6, 5, 4, 3, 2))) % 11
        if c != 10:
            return s + str(0 if c == 11 else c)


def lrc(track, s):
    base = SET[track][0]
    x = 0
    for ch in s:
        x ^= ord(ch) - base
    return chr(base + x)


def bits(track, s, lead=20, trail=20, reverse=False):
    base, n, _ = SET[track]
    out = "0" * lead
    for ch in s:
        v = ord(ch) - base
        assert 0 <= v < 1 << n
        data = "".join(str(v >> b & 1) for b in range(n))
        out += data + ("0" if data.count("1") % 2 else "1")
    out += "0" * trail
    return out[::-1] if reverse else out


def holder():
    card = str(rng.choice([1, 42, 4711, 123456, rng.randrange(1, 10**12), 999_999_999_999]))
    exp = datetime.date(2000, 1, 1) + datetime.timedelta(days=rng.randrange(0, 36524))
    name = rng.choice(["NORDMANN/OLA", "OESTBY-HAAGENSEN/KARI AERL", "O'BRIEN/SEAN", "", "/", "AB CD/EF", "A" * 26])
    return dict(org=org_number(), card=card, exp=exp, cat=rng.choice(["construction", "cleaning"]), issue=rng.randrange(0, 256), name=name)


def t1(h, check=None):
    c12 = h["card"].zfill(12)
    ck = check if check is not None else luhn(h["org"] + c12)
    letter = "B" if h["cat"] == "construction" else "R"
    return f"%H{letter}{h['org']}^{h['name']}^{c12}{ck}{h['exp'].strftime('%y%m%d')}?"


def t2(h, check=None, issue=None):
    c12 = h["card"].zfill(12)
    ck = check if check is not None else luhn(h["org"] + c12)
    cat = "1" if h["cat"] == "construction" else "2"
    iss = issue if issue is not None else "%03d" % h["issue"]
    return f";{h['org']}={c12}{ck}={h['exp'].strftime('%y%m%d')}{cat}{iss}?"


def fields(h, track):
    f = {"orgNumber": h["org"], "cardNumber": h["card"], "expiry": h["exp"].isoformat(), "category": h["cat"]}
    if track == 2:
        f["issue"] = h["issue"]
    else:
        f["name"] = h["name"]
    return f


V = []
SRC = "independent Python encoder of spec section 4 (test-vectors/track-vectors.py)"


def add(id, kind, inp, exp, source):
    V.append({"id": id, "kind": kind, "input": inp, "expect": exp, "source": source})


for i in range(12):
    h = holder()
    for track, s in ((1, t1(h)), (2, t2(h))):
        with_lrc = i % 2 == 0
        add(f"t{track}-decode-{i}", "track-decode", {"track": track, "data": s + (lrc(track, s) if with_lrc else "")}, {"fields": fields(h, track)},
            SRC + (", with LRC" if with_lrc else ", without LRC"))
        lead, trail, rev = rng.randrange(0, 40), rng.randrange(0, 40), i % 3 == 0
        add(f"t{track}-bits-{i}", "track-bits", {"track": track, "bits": bits(track, s + lrc(track, s), lead, trail, rev)}, {"data": s},
            SRC + f", {'backwards' if rev else 'forward'} swipe, {lead}/{trail} clocking zeros")

# A backwards track 2 swipe whose LRC is ':' (10 -> bits 0101 + parity 1; read backwards 11010 = ';').
while True:
    h = holder()
    s = t2(h)
    if lrc(2, s) == ":":
        break
add("t2-bits-backwards-lrc-colon", "track-bits", {"track": 2, "bits": bits(2, s + ":", 0, 0, True)}, {"data": s},
    SRC + "; backwards swipe whose reversed LRC reads as the start sentinel: section 4's 'tries the reversed string' must still find the track (see trackBits.ts)")

# ---- track-decode negatives (section 4 check order) ----
h = dict(org="974760673", card="123456", exp=datetime.date(2028, 6, 30), cat="construction", issue=0, name="NORDMANN/OLA")
g1, g2 = t1(h), t2(h)
neg = [
    ("no-start", 2, g2[1:], "BAD_FORMAT", "start sentinel ; missing"),
    ("no-end", 2, g2[:-1], "BAD_FORMAT", "end sentinel missing"),
    ("two-after-end", 2, g2 + lrc(2, g2) + "0", "BAD_FORMAT", "two characters after the end sentinel"),
    ("lowercase-t1", 1, g1.replace("NORDMANN", "Nordmann"), "BAD_FORMAT", "lower case is outside the IATA set (0x20-0x5F)"),
    ("letter-t2", 2, g2.replace("=2806", "=A806"), "BAD_FORMAT", "A is outside the ABA set (0x30-0x3F); before the LRC check"),
    ("lrc-wrong-t1", 1, g1 + chr(ord(lrc(1, g1)) ^ 1), "BAD_LRC", "LRC with data bit 0 flipped"),
    ("lrc-wrong-t2", 2, g2 + chr(ord(lrc(2, g2)) ^ 4), "BAD_LRC", "LRC with data bit 2 flipped"),
    ("lrc-before-layout", 2, g2.replace("=2806", "<2806") + lrc(2, g2), "BAD_LRC", "layout broken (< for =) and the LRC of the unbroken string: LRC is checked first"),
    ("layout-card-11", 2, g2.replace("=000000123456", "=00000123456"), "BAD_FORMAT", "card number of 11 digits"),
    ("layout-category-3", 2, g2[:-5] + "3000?", "BAD_FORMAT", "category digit 3"),
    ("layout-issue-256", 2, t2(h, issue="256"), "BAD_FORMAT", "issue 256 is outside 0..255 (section 1); read as part of the layout"),
    ("layout-name-27", 1, t1(dict(h, name="A" * 27)), "BAD_FORMAT", "name of 27 characters"),
    ("layout-name-digit", 1, t1(dict(h, name="OLA2")), "BAD_FORMAT", "digit in the name"),
    ("layout-letter-x", 1, "%HX" + g1[3:], "BAD_FORMAT", "category letter X"),
    ("layout-no-h", 1, "%Q" + g1[2:], "BAD_FORMAT", "format letter after % is not H"),
    ("check-digit-t1", 1, t1(h, check=str((int(luhn("974760673000000123456")) + 1) % 10)), "BAD_CHECK_DIGIT", "Luhn digit + 1"),
    ("check-digit-t2", 2, t2(h, check="0"), "BAD_CHECK_DIGIT", "Luhn digit 0 instead of 6"),
    ("check-before-date", 2, t2(dict(h, exp=datetime.date(2028, 6, 30)), check="0").replace("=280630", "=281330"), "BAD_CHECK_DIGIT", "bad check digit and month 13: the check digit comes first"),
]
for nid, track, data, code, why in neg:
    add(f"decode-{nid}", "track-decode", {"track": track, "data": data}, {"error": code}, "section 4 check order: " + why)

bad_date = t2(h).replace("=280630", "=270229")
add("decode-date-feb29-2027", "track-decode", {"track": 2, "data": bad_date}, {"error": "BAD_FORMAT"}, "section 4: 2027-02-29 is not a real date")
add("decode-date-feb29-2028", "track-decode", {"track": 1, "data": t1(dict(h, exp=datetime.date(2028, 2, 29)))},
    {"fields": fields(dict(h, exp=datetime.date(2028, 2, 29)), 1)}, SRC + ": 2028 is a leap year")
zero = dict(h, card="0")
assert luhn("974760673" + "0" * 12) == "0"
add("decode-card-zero", "track-decode", {"track": 2, "data": t2(zero)}, {"error": "BAD_FORMAT"}, "section 4: card number 0 (its Luhn digit 0 is right)")

# ---- track-bits negatives ----
b = bits(2, g2 + lrc(2, g2))  # char k at bit 20 + 5k; end sentinel is character 35, LRC 36


def flip(s, *ix):
    l = list(s)
    for i in ix:
        l[i] = "1" if l[i] == "0" else "0"
    return "".join(l)


lrc_at = 20 + 5 * 36
lrc_bits = b[lrc_at:lrc_at + 5]
one = lrc_bits.index("1")  # flip a 0 data bit next to keep the LRC non-blank
zero_bit = next(i for i in range(4) if lrc_bits[i] == "0")
pair = [i for i in range(4) if i != one][:2]
add("bits-parity-data", "track-bits", {"track": 2, "bits": flip(b, 20 + 5 * 10 + 1)}, {"error": "BAD_PARITY"}, "data bit of character 10 flipped")
add("bits-parity-lrc", "track-bits", {"track": 2, "bits": flip(b, lrc_at + zero_bit)}, {"error": "BAD_PARITY"}, "one LRC data bit flipped (0 -> 1): its parity fails")
add("bits-lrc-wrong", "track-bits", {"track": 2, "bits": flip(b, lrc_at + pair[0], lrc_at + pair[1])}, {"error": "BAD_LRC"}, "two LRC data bits flipped: parity right, value wrong")
add("bits-lrc-missing", "track-bits", {"track": 2, "bits": b[:lrc_at]}, {"error": "BAD_LRC"}, "bits end at the end sentinel")
add("bits-run-out", "track-bits", {"track": 2, "bits": b[:20 + 5 * 20]}, {"error": "BAD_FORMAT"}, "bits end after 20 characters, no end sentinel")
add("bits-blank", "track-bits", {"track": 1, "bits": "0" * 200}, {"error": "BAD_FORMAT"}, "no start sentinel either way")
add("bits-wrong-track", "track-bits", {"track": 1, "bits": b}, {"error": "BAD_FORMAT"}, "track 2 bits have no track 1 start sentinel (1010001) either way")
t1b = bits(1, g1 + lrc(1, g1), 15, 15)
add("bits-t1-parity", "track-bits", {"track": 1, "bits": flip(t1b, 15 + 7 * 5 + 3)}, {"error": "BAD_PARITY"}, "data bit of track 1 character 5 flipped")

# ---- encode vectors: tracks of whole holders, names through section 4's transliteration ----
REPL = {"Å": "AA", "Æ": "AE", "Ø": "OE", "Ä": "AE", "Ö": "OE", "Ü": "UE", "Œ": "OE", "ẞ": "SS", "Þ": "TH", "Ð": "D",
        "Đ": "D", "Ł": "L", "Ħ": "H", "Ŧ": "T", "Ŋ": "N", "Ĳ": "IJ", "ı": "I"}


def translit(name):
    s = unicodedata.normalize("NFC", name).upper()  # str.upper: full Unicode case mapping (ß -> SS)
    s = "".join(REPL.get(c, c) for c in s)
    s = "".join(c for c in unicodedata.normalize("NFD", s) if not 0x300 <= ord(c) <= 0x36F)
    s = re.sub(r"[^A-Z '-]", "", s)
    return re.sub(r" {2,}", " ", s).strip(" ")


def track_name(family, given):
    return (translit(family) + "/" + translit(given))[:26].rstrip(" ")


NAMES = [
    ("Ødegård", "Åsmund"), ("Müller-Lüdenscheidt", "Jürgen"), ("Weiß", "Größe"), ("Þorsteinsdóttir", "Guðrún"),
    ("Łukasiewicz", "Paweł"), ("Đoković", "Novak"), ("Nguyễn", "Thị Minh"), ("O'Connor", "Seán"),
    ("de la Cruz y Fernández", "María José"), ("Ærøskøbing-Hansen", "Bjørn-Åge"), ("李", "小龙"),
    ("Anne  Lise", "Berg"), ("van der Berg", "Ĳsbrand"), ("Smith Jr.", "John 3rd"), ("Œuvray", "Ægir"),
    ("Παπαδόπουλος", "Nikos"), ("ABCDEFGHIJKLMNOPQRSTUV", "Ab Cd"), ("Yılmaz", "Ayşe"), ("Ħaġar", "Ŧŋ"),
    ("A\u030angström", "Zoë"),
]
for k, (fam, giv) in enumerate(NAMES):
    h = holder()
    hold = {"category": h["cat"], "cardNumber": ("000" + h["card"]) if k % 4 == 0 and len(h["card"]) <= 9 else h["card"],
            "orgNumber": h["org"], "orgName": "Bygg AS", "givenName": giv, "familyName": fam,
            "birthDate": "1980-01-01", "gender": "X", "expiry": h["exp"].isoformat(), "issue": h["issue"]}
    h["name"] = track_name(fam, giv)
    s1, s2 = t1(h), t2(h)
    add(f"encode-tracks-{k}", "encode", {"holder": hold}, {"track1": s1, "track1Lrc": lrc(1, s1), "track2": s2, "track2Lrc": lrc(2, s2)},
        SRC + f": name {fam!r} / {giv!r} transliterated with Python str.upper + unicodedata NFD (section 4); tracks and LRC only")

out = {"format": "hmsk-vectors/1", "source": "spec section 4; " + SRC + "; negatives built by breaking one field each", "vectors": V}
with open(os.path.join(os.path.dirname(os.path.abspath(__file__)), "tracks.json"), "w") as f:
    json.dump(out, f, indent=1, ensure_ascii=False)
    f.write("\n")
print(len(V), "vectors")
