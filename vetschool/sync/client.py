"""HTTP client of the national API: signed requests, gzip bodies, errors told apart.

Errors fall in three families, because each asks for a different reaction:
- `AuthError` (401/403): a configuration problem — a wrong secret, or this server's clock
  off by more than the 300 s window. Retrying cannot help; the push stops and says which.
- `TransientError`: network errors, timeouts, 5xx, 429 (with Retry-After). Back off, retry.
- `BatchRefused`: the ministry refused the batch as a whole (400, 409, 413): a bug to fix.
"""

import time
from dataclasses import dataclass
from email.utils import parsedate_to_datetime
from urllib.parse import quote

import httpx
from django.conf import settings
from django.utils.translation import gettext as _

from vetschool.sync import contract
from vetschool.sync.config import NationalConfig


class NationalError(Exception):
    kind = "error"

    def __init__(self, message: str, *, kind: str | None = None):
        super().__init__(message)
        if kind:
            self.kind = kind


class AuthError(NationalError):
    kind = "auth"


class WrongSecretError(AuthError):
    kind = "wrong_secret"


class ClockSkewError(AuthError):
    kind = "clock_skew"

    def __init__(self, message: str, *, skew_seconds: int):
        super().__init__(message)
        self.skew_seconds = skew_seconds


class TransientError(NationalError):
    kind = "transient"

    def __init__(self, message: str, *, kind: str, retry_after: float | None = None):
        super().__init__(message, kind=kind)
        self.retry_after = retry_after


class BatchRefused(NationalError):
    kind = "refused"

    def __init__(self, message: str, *, status: int):
        super().__init__(message)
        self.status = status


@dataclass
class BatchAnswer:
    results: list[dict]
    summary: dict
    replay: bool


class NationalClient:
    def __init__(self, config: NationalConfig, *, timeout: float | None = None,
                 clock=time.time):
        self.config = config
        self._clock = clock
        seconds = timeout or settings.NATIONAL_API_TIMEOUT
        self._http = httpx.Client(base_url=config.base_url, timeout=httpx.Timeout(seconds),
                                  headers={"User-Agent": "vetschool-sync/1"})

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.close()

    def close(self) -> None:
        self._http.close()

    @property
    def _prefix(self) -> str:
        return f"/v1/institutions/{quote(self.config.institution, safe='')}"

    # --- the contract's operations ---------------------------------------------------
    def post_batch(self, body: bytes, *, gzipped: bool = True) -> BatchAnswer:
        headers = {"Content-Type": "application/json"}
        if gzipped:
            headers["Content-Encoding"] = "gzip"
        response = self._request("POST", f"{self._prefix}/batches", body, headers)
        payload = self._json(response)
        results = payload.get("results")
        if not isinstance(results, list):
            raise TransientError(_("The national database answered without per-record "
                                   "results."), kind="server")
        return BatchAnswer(results=results, summary=payload.get("summary") or {},
                           replay=response.headers.get("Idempotent-Replay", "").lower() == "true")

    def summary(self) -> dict:
        return self._json(self._request("GET", f"{self._prefix}/summary"))

    def batch(self, batch_id: str) -> dict | None:
        return self._get_or_none(f"{self._prefix}/batches/{batch_id}")

    def record(self, record_type: str, key_text: str) -> dict | None:
        return self._get_or_none(
            f"{self._prefix}/records/{quote(record_type, safe='')}/{quote(key_text, safe='')}")

    # --- plumbing ------------------------------------------------------------------------
    def _get_or_none(self, path: str) -> dict | None:
        try:
            return self._json(self._request("GET", path))
        except BatchRefused as exc:
            if exc.status == 404:
                return None
            raise

    def _request(self, method: str, path: str, body: bytes = b"",
                 headers: dict | None = None) -> httpx.Response:
        request = self._http.build_request(method, path, content=body, headers=headers or {})
        timestamp = str(int(self._clock()))
        signed_path = request.url.raw_path.split(b"?", 1)[0].decode("ascii")
        request.headers["X-Institution-Code"] = self.config.institution
        request.headers["X-Timestamp"] = timestamp
        request.headers["X-Signature"] = contract.signature(
            self.config.secret, method, signed_path, timestamp, body)
        try:
            response = self._http.send(request)
        except httpx.TimeoutException as exc:
            raise TransientError(_("The national database did not answer in time (%(error)s).")
                                 % {"error": exc.__class__.__name__}, kind="network") from exc
        except httpx.TransportError as exc:
            raise TransientError(_("Network error talking to the national database: %(error)s")
                                 % {"error": exc or exc.__class__.__name__},
                                 kind="network") from exc
        self._raise_for_status(response, int(timestamp))
        return response

    def _raise_for_status(self, response: httpx.Response, sent_at: int) -> None:
        status = response.status_code
        if status < 300:
            return
        detail = _problem_text(response)
        if status in (401, 403):
            raise _auth_error(response, sent_at, detail, self.config.institution)
        if status == 429:
            raise TransientError(
                _("The national database asks us to slow down (HTTP 429)."),
                kind="throttled", retry_after=_retry_after(response))
        if status >= 500:
            raise TransientError(
                _("The national database is unavailable (HTTP %(status)s)%(detail)s.")
                % {"status": status, "detail": f": {detail}" if detail else ""},
                kind="server", retry_after=_retry_after(response))
        raise BatchRefused(
            _("The national database refused the request (HTTP %(status)s)%(detail)s.")
            % {"status": status, "detail": f": {detail}" if detail else ""}, status=status)

    @staticmethod
    def _json(response: httpx.Response) -> dict:
        try:
            payload = response.json()
        except ValueError as exc:
            raise TransientError(_("The national database sent an unreadable answer."),
                                 kind="server") from exc
        if not isinstance(payload, dict):
            raise TransientError(_("The national database sent an unreadable answer."),
                                 kind="server")
        return payload


def _problem(response: httpx.Response) -> dict:
    try:
        payload = response.json()
    except ValueError:
        return {}
    return payload if isinstance(payload, dict) else {}


def _problem_text(response: httpx.Response) -> str:
    problem = _problem(response)
    return str(problem.get("detail") or problem.get("title") or "")[:500]


def _retry_after(response: httpx.Response) -> float | None:
    value = response.headers.get("Retry-After")
    if not value:
        return None
    try:
        return max(0.0, float(value))
    except ValueError:
        pass
    try:
        return max(0.0, parsedate_to_datetime(value).timestamp() - time.time())
    except (TypeError, ValueError):
        return None


def _server_skew(response: httpx.Response, sent_at: int) -> int | None:
    """Seconds the server's clock is ahead of ours (from its Date header)."""
    try:
        server_time = parsedate_to_datetime(response.headers["Date"]).timestamp()
    except (KeyError, TypeError, ValueError):
        return None
    return round(server_time - sent_at)


def _auth_error(response: httpx.Response, sent_at: int, detail: str,
                institution: str) -> AuthError:
    problem = _problem(response)
    words = " ".join(str(problem.get(k, "")) for k in ("type", "title", "detail")).lower()
    skew = _server_skew(response, sent_at)
    clock_words = "timestamp" in words or "clock" in words
    window = contract.CLOCK_WINDOW_SECONDS
    if (skew is not None and abs(skew) > window) or clock_words:
        skew = skew or 0
        direction = _("behind") if skew > 0 else _("ahead of")
        return ClockSkewError(
            _("Clock off by %(seconds)s s: this server's clock is %(direction)s the national "
              "database's by about %(seconds)s s (allowed: %(window)s s). Fix the server's "
              "time (NTP); the secret is not at fault.")
            % {"seconds": abs(skew), "direction": direction, "window": window},
            skew_seconds=skew)
    if response.status_code == 403:
        return AuthError(
            _("The national database does not let institution %(code)s do this (HTTP 403)"
              "%(detail)s.") % {"code": institution, "detail": f": {detail}" if detail else ""},
            kind="forbidden")
    return WrongSecretError(
        _("Wrong secret: the national database refused our signature (HTTP 401%(detail)s). "
          "Check NATIONAL_API_SECRET and NATIONAL_API_INSTITUTION (%(code)s).")
        % {"detail": f": {detail}" if detail else "", "code": institution})
