"""Small JWT and cookie helpers for the auth API tests (standard library only).

These helpers never verify a signature: the tests use them to read the claims
a server issued (as the web frontend does, unverified) and to forge tokens
that the server must refuse.
"""

import base64
import hashlib
import hmac
import json

_HMAC_ALGS = {
    "HS256": hashlib.sha256,
    "HS384": hashlib.sha384,
    "HS512": hashlib.sha512,
}


def b64url_encode(data):
    """Base64url without padding (RFC 7515 §2)."""
    if isinstance(data, str):
        data = data.encode("utf-8")
    return base64.urlsafe_b64encode(data).rstrip(b"=").decode("ascii")


def b64url_decode(text):
    """Inverse of b64url_encode; tolerates missing padding."""
    if isinstance(text, bytes):
        text = text.decode("ascii")
    return base64.urlsafe_b64decode(text + "=" * (-len(text) % 4))


def _json_segment(obj):
    return b64url_encode(json.dumps(obj, separators=(",", ":")).encode("utf-8"))


def split(token):
    """Split a compact JWS into its three raw segments (header, payload, signature)."""
    parts = token.split(".")
    if len(parts) != 3:
        raise ValueError("not a compact JWS: expected 3 segments, got %d" % len(parts))
    return parts[0], parts[1], parts[2]


def decode_unverified(token):
    """Return (header, claims) of a JWT without checking the signature."""
    header_seg, payload_seg, _ = split(token)
    header = json.loads(b64url_decode(header_seg))
    claims = json.loads(b64url_decode(payload_seg))
    return header, claims


def header_of(token):
    return decode_unverified(token)[0]


def claims_of(token):
    return decode_unverified(token)[1]


def sign(claims, key, alg="HS256", header=None):
    """Build a compact JWT with the given claims.

    alg may be HS256/HS384/HS512 (HMAC with ``key``) or "none" (or any casing
    of it), in which case the signature segment is empty. ``header`` entries
    are merged over the default ``{"alg": alg, "typ": "JWT"}``.
    """
    hdr = {"alg": alg, "typ": "JWT"}
    if header:
        hdr.update(header)
    signing_input = _json_segment(hdr) + "." + _json_segment(claims)
    if alg.lower() == "none":
        return signing_input + "."
    try:
        digest = _HMAC_ALGS[alg]
    except KeyError:
        raise ValueError("unsupported alg %r" % alg)
    if isinstance(key, str):
        key = key.encode("utf-8")
    sig = hmac.new(key, signing_input.encode("ascii"), digest).digest()
    return signing_input + "." + b64url_encode(sig)


def with_claims(token, **changes):
    """Return ``token`` with some claims replaced but the ORIGINAL header and signature.

    The result is a tampered token: its signature no longer matches its payload.
    """
    header_seg, _, sig_seg = split(token)
    claims = claims_of(token)
    claims.update(changes)
    return header_seg + "." + _json_segment(claims) + "." + sig_seg


def without_signature(token):
    """Return ``header.payload.`` (signature segment emptied)."""
    header_seg, payload_seg, _ = split(token)
    return header_seg + "." + payload_seg + "."


# --------------------------------------------------------------------------------------
# Set-Cookie helpers (the refresh token travels in an HttpOnly cookie)
# --------------------------------------------------------------------------------------

REFRESH_COOKIE = "vikunja_refresh_token"


def set_cookie_headers(response):
    """All raw Set-Cookie header values of a requests.Response, unmerged."""
    raw = getattr(response, "raw", None)
    headers = getattr(raw, "headers", None)
    if headers is not None:
        getlist = getattr(headers, "getlist", None) or getattr(headers, "get_all", None)
        if getlist is not None:
            values = getlist("Set-Cookie")
            if values:
                return list(values)
    # Fallback: requests joins repeated headers with ", " which is ambiguous for
    # Expires dates, but our cookies are simple enough.
    joined = response.headers.get("Set-Cookie")
    return [joined] if joined else []


def parse_set_cookie(value):
    """Parse one Set-Cookie value into {"name", "value", "attrs"}.

    attrs keys are lower-cased attribute names; flag attributes map to True.
    """
    parts = [p.strip() for p in value.split(";")]
    name, _, val = parts[0].partition("=")
    attrs = {}
    for p in parts[1:]:
        if not p:
            continue
        k, sep, v = p.partition("=")
        attrs[k.strip().lower()] = v.strip() if sep else True
    return {"name": name.strip(), "value": val.strip(), "attrs": attrs}


def find_cookie(response, name=REFRESH_COOKIE):
    """The parsed Set-Cookie for ``name`` (the last one if repeated), or None."""
    found = None
    for raw in set_cookie_headers(response):
        c = parse_set_cookie(raw)
        if c["name"] == name:
            found = c
    return found
