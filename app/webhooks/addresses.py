"""Where a webhook may send: the URL rules, checked at registration and again at delivery.

A receiver is named by a URL the PMO types, so a careless or hostile one could make Jalon
post to its own host or to the internal network (SSRF). The rules:

- `https` only, unless `JALON_WEBHOOKS_ALLOW_HTTP` is true;
- plain ASCII without spaces (international names in their `xn--` form), and no user name or
  password in the URL (they would be sent to whoever the host is);
- every address the host resolves to must be a public one: loopback, private, link-local,
  reserved, shared, multicast and unspecified addresses are refused, unless the host name or
  that address is listed in `JALON_WEBHOOKS_ALLOWED_HOSTS` (comma-separated).

Delivery resolves the host again and connects to the very address it checked, so a name that
resolved to a public address at registration and to `127.0.0.1` later (DNS rebinding) is
refused, and no second lookup happens between the check and the connection.
"""

from __future__ import annotations

import ipaddress
import socket
from dataclasses import dataclass
from urllib.parse import SplitResult, urlsplit

from flask import current_app
from flask_babel import gettext as _


class UnsafeUrl(ValueError):
    """The URL breaks a rule; the message says which, for people."""


@dataclass(frozen=True)
class Target:
    """A checked URL: where to connect (`address`) and what to ask for."""

    scheme: str
    host: str
    port: int
    address: str
    path: str


def allowed_hosts() -> set[str]:
    """`JALON_WEBHOOKS_ALLOWED_HOSTS` as lower-case names and addresses."""
    listed = current_app.config.get("JALON_WEBHOOKS_ALLOWED_HOSTS") or ""
    return {name.strip().lower().strip("[]") for name in listed.split(",") if name.strip()}


def _parse(url: str) -> SplitResult:
    if not url.isascii() or any(character <= " " or character == "\x7f" for character in url):
        raise UnsafeUrl(_("This is not a valid URL."))
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018  (raises ValueError for a port out of range)
    except ValueError:
        raise UnsafeUrl(_("This is not a valid URL.")) from None
    allowed = (
        ("https", "http") if current_app.config.get("JALON_WEBHOOKS_ALLOW_HTTP") else ("https",)
    )
    if parts.scheme.lower() not in allowed:
        raise UnsafeUrl(_("Webhook URLs must start with https://."))
    if not parts.hostname:
        raise UnsafeUrl(_("The URL names no host."))
    if parts.username is not None or parts.password is not None:
        raise UnsafeUrl(_("The URL may not contain a user name or password."))
    return parts


def _is_public(address: str) -> bool:
    ip = ipaddress.ip_address(address.split("%", 1)[0])
    if isinstance(ip, ipaddress.IPv6Address) and ip.ipv4_mapped is not None:
        ip = ip.ipv4_mapped
    return ip.is_global and not ip.is_multicast


def _resolve(host: str, port: int) -> list[str]:
    try:
        infos = socket.getaddrinfo(host, port, type=socket.SOCK_STREAM)
    except (OSError, UnicodeError):
        raise UnsafeUrl(_("The host %(host)s cannot be resolved.", host=host)) from None
    return list(dict.fromkeys(str(info[4][0]) for info in infos))


def check_url(url: str) -> Target:
    """The URL's target if every rule holds (resolving its host now), else `UnsafeUrl`."""
    parts = _parse(url)
    host = parts.hostname or ""
    scheme = parts.scheme.lower()
    port = parts.port or (443 if scheme == "https" else 80)
    addresses = _resolve(host, port)
    listed = allowed_hosts()
    if host.lower() not in listed:
        for address in addresses:
            if address.lower() not in listed and not _is_public(address):
                raise UnsafeUrl(
                    _(
                        "The host %(host)s is a private, loopback or reserved address; "
                        "list it in JALON_WEBHOOKS_ALLOWED_HOSTS to allow it.",
                        host=host,
                    )
                )
    path = parts.path or "/"
    if parts.query:
        path += "?" + parts.query
    return Target(scheme, host, port, addresses[0], path)
