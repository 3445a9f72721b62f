"""Reading the national portal's public 2026 index API (``dvctt fetch``) and keeping every answer as it came.

The portal's answers carry no as-of date and its scores move every day, so the moment of the fetch is the only
as-of date there is: each answer is kept byte for byte in ``<index folder>/raw/<stamp>_<endpoint>_<code>_<period>
.json`` beside a sidecar ``<same stem>.meta.json`` (url, method, body, fetched_at in Vietnam time, status) that
the format readers take the period and the as-of date from. One request at a time, a pause between requests,
a timeout on each, retries with backoff on connection errors and 5xx only, no cookies, no credentials, no
redirects followed. An answer of a shape dvctt does not know stops the fetch, naming the URL and the kept file.
Only the standard library (urllib): the tool must run where nothing else can be installed.
"""

from __future__ import annotations

import http.client
import ipaddress
import json
import os
import re
import time
import urllib.error
import urllib.parse
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import datetime, timedelta, timezone
from pathlib import Path
from typing import Any

import dvctt
from dvctt import paths
from dvctt.campaign import commit
from dvctt.errors import DvcttError, ParameterError
from dvctt.labels import text
from dvctt.service_index.definition import parse_period

PORTAL_URL = "https://dichvucong.gov.vn"  # the public portal; DVCTT_PORTAL_URL or --base-url override it
URL_ENV = "DVCTT_PORTAL_URL"
API_PATH = "/api/v1/reporting/evaluation/"
SERVICE_RESULTS = "service-results"
#: The six component endpoints and the list of units each answer holds (``data.<list>``).
COMPONENT_ENDPOINTS: dict[str, str] = {
    "transparency": "evaluation",  # CKMB
    "dvc-progress-tree": "children",  # TDGQ
    "dossier-digitized": "evaluation",  # MDSH
    "provide-online-tree": "children",  # CLGQ (online provision)
    "formality-online-payment-tree": "children",  # TTTT
    "handling-satisfaction": "evaluation",  # MDHL
}
NATIONAL = "national"
RAW_DIR = "raw"
PAGE_SIZE = 300  # the largest province has under 200 units: one page holds them all
MAX_ANSWER_BYTES = 64 * 2**20
VIETNAM = timezone(timedelta(hours=7))
_TIME_TYPES = {"ytd": "year", "quarter": "quarter", "month": "month"}
_PROVINCE_CODE = re.compile(r"H\d{2}")
_UUID = re.compile(r"[0-9a-fA-F]{8}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{4}-[0-9a-fA-F]{12}")


class FetchError(DvcttError):
    """The portal could not be read, or answered something dvctt does not know; whatever came is kept."""


class PortalUnreachableError(FetchError):
    """No answer after every try (connection refused, timeouts, 5xx)."""


class PortalRefusedError(FetchError):
    """The portal answered with an HTTP error (4xx, a redirect, or 5xx on the last try)."""


class UnknownAnswerError(FetchError):
    """An answer that is not the JSON shape of its endpoint (not JSON, ``code`` not OK, no list of units)."""


def _words(key: str, lang: str, values: dict[str, Any]) -> str:
    return text(key, lang, **{k: v(lang) if callable(v) else v for k, v in values.items()})


def _say(key: str, **values: Any) -> str:
    """Vietnamese, then English: the analyst reads one, a colleague abroad the other."""
    return f"{_words(key, 'vi', values)} / {_words(key, 'en', values)}"


def _part(key: str, **values: Any) -> Callable[[str], str]:
    """A phrase filled into a message in the message's own language."""
    return lambda lang: _words(key, lang, values)


@dataclass(frozen=True)
class FetchOptions:
    """How politely to ask: seconds per request, tries, backoff base (doubling) and pause between requests."""

    base_url: str = PORTAL_URL
    timeout: float = 60.0
    tries: int = 4
    backoff: float = 2.0
    pause: float = 1.0


@dataclass(frozen=True)
class KeptAnswer:
    """One answer kept in ``raw/``: the file, its sidecar, and the parsed document (None when not JSON)."""

    path: Path
    meta_path: Path
    url: str
    status: int
    fetched_at: datetime
    document: Any = field(default=None, compare=False, repr=False)


def portal_url(explicit: str | None = None) -> str:
    """The base URL: ``explicit``, else ``DVCTT_PORTAL_URL``, else the portal; only plain http(s) hosts."""
    url = (explicit or os.environ.get(URL_ENV) or PORTAL_URL).strip().rstrip("/")
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname or parts.username or parts.password:
        raise ParameterError(_say("fetch.bad_base_url", url=url))
    if parts.query or parts.fragment:
        raise ParameterError(_say("fetch.bad_base_url", url=url))
    return url


def request_body(period: str, department_id: str | None = None) -> dict[str, Any]:
    """The JSON body the portal's own page sends: the national list, or one province's units by its UUID."""
    try:
        parsed = parse_period(period)
    except ParameterError:
        raise ParameterError(_say("fetch.bad_period", period=period)) from None
    if parsed.kind == "ytd" and parsed.order:  # 2026-ytd-10: the portal gives year to date as of today only
        raise ParameterError(_say("fetch.bad_period", period=period))
    body: dict[str, Any] = {"timeType": _TIME_TYPES[parsed.kind], "year": parsed.year}
    if parsed.kind != "ytd":
        body[parsed.kind] = parsed.order
    if department_id is None:
        return {**body, "departmentType": "ADMINISTRATIVE_UNIT"}
    return {**body, "rootDepartmentId": department_id, "pageSize": PAGE_SIZE, "currentPage": 1}


class _NoRedirect(urllib.request.HTTPRedirectHandler):
    """A redirect is answered as the HTTP error it is: a POST is never re-sent elsewhere."""

    def redirect_request(self, req, fp, code, msg, headers, newurl):  # noqa: ANN001, ANN201 - urllib's signature
        return None


def _opener(base_url: str) -> urllib.request.OpenerDirector:
    """No cookie jar, no redirects; the environment's proxy, except for a server on this machine."""
    host = urllib.parse.urlsplit(base_url).hostname or ""
    try:
        local = host == "localhost" or ipaddress.ip_address(host).is_loopback
    except ValueError:
        local = False
    proxies = urllib.request.ProxyHandler({}) if local else urllib.request.ProxyHandler()
    return urllib.request.build_opener(proxies, _NoRedirect())


class _Transient(Exception):
    """A try that got no HTTP answer at all; ``reason`` says why in both languages."""

    def __init__(self, reason: str | Callable[[str], str]):
        self.reason = reason


def _read(response: Any) -> bytes:
    """The body as sent, up to one byte past the limit (so that a larger one is told apart)."""
    return response.read(MAX_ANSWER_BYTES + 1)


class PortalClient:
    """Sends one request at a time to the portal and keeps each answer in ``<folder>/raw/``.

    ``sleep``, ``clock`` and ``now`` are the waiting, the monotonic clock and the wall clock (tests pass their
    own clock to read the fetch time; nothing else is replaced)."""

    def __init__(
        self,
        folder: Path,
        options: FetchOptions,
        *,
        sleep: Callable[[float], None] = time.sleep,
        clock: Callable[[], float] = time.monotonic,
        now: Callable[[], datetime] = lambda: datetime.now(VIETNAM),
        on_kept: Callable[[KeptAnswer], None] | None = None,
    ):
        self.folder = Path(folder)
        self.options = options
        self.base_url = portal_url(options.base_url)
        self._opener = _opener(self.base_url)
        self._sleep, self._clock, self._now, self._on_kept = sleep, clock, now, on_kept
        self._last_end: float | None = None
        self.requests = 0

    def post(self, endpoint: str, body: dict[str, Any], *, code: str, period: str) -> KeptAnswer:
        """POST ``body`` to ``endpoint``; keep the answer; raise a FetchError unless it is of a known shape."""
        url = f"{self.base_url}{API_PATH}{endpoint}"
        data = json.dumps(body, ensure_ascii=False).encode("utf-8")
        status, headers, raw = self._send_with_retries(url, data)
        fetched_at = self._now().astimezone(VIETNAM).replace(microsecond=0)
        if len(raw) > MAX_ANSWER_BYTES:
            what = _part("fetch.shape.too_big", limit=MAX_ANSWER_BYTES // 2**20)
            raise UnknownAnswerError(_say("fetch.unknown_shape", url=url, what=what, raw=_part("fetch.not_kept")))
        kept = self._keep(endpoint, code, period, url, body, status, raw, fetched_at)
        if not 200 <= status < 300:
            detail: Any = ""
            if 300 <= status < 400:
                detail = _part("fetch.redirected", location=headers.get("Location", "?"))
            elif status >= 500:
                detail = _part("fetch.after_tries", tries=self.options.tries)
            raise PortalRefusedError(_say("fetch.refused", url=url, status=status, detail=detail, raw=kept.path))
        document, problem = check_answer(raw, headers.get("Content-Type", "?"), endpoint, code)
        if problem is not None:
            raise UnknownAnswerError(_say("fetch.unknown_shape", url=url, what=problem, raw=kept.path))
        kept = KeptAnswer(kept.path, kept.meta_path, url, status, fetched_at, document)
        if self._on_kept is not None:
            self._on_kept(kept)
        return kept

    def _send_with_retries(self, url: str, data: bytes) -> tuple[int, Any, bytes]:
        tries = max(1, int(self.options.tries))
        reason: Any = ""
        for attempt in range(1, tries + 1):
            if attempt > 1:
                self._sleep(self.options.backoff * 2 ** (attempt - 2))
            self._wait_for_pause()
            try:
                status, headers, raw = self._send(url, data)
            except _Transient as exc:
                reason = exc.reason
                continue
            finally:
                self._last_end = self._clock()
            if status >= 500 and attempt < tries:
                reason = f"HTTP {status}"
                continue
            return status, headers, raw
        raise PortalUnreachableError(_say("fetch.unreachable", url=url, tries=tries, reason=reason))

    def _wait_for_pause(self) -> None:
        if self._last_end is None:
            return
        left = self.options.pause - (self._clock() - self._last_end)
        if left > 0:
            self._sleep(left)

    def _send(self, url: str, data: bytes) -> tuple[int, Any, bytes]:
        headers = {
            "Content-Type": "application/json",
            "Accept": "application/json",
            "Accept-Encoding": "identity",
            "User-Agent": f"dvctt/{dvctt.__version__}",
        }
        request = urllib.request.Request(url, data=data, method="POST", headers=headers)
        self.requests += 1
        timed_out = _part("fetch.timed_out", seconds=f"{self.options.timeout:g}")
        try:
            with self._opener.open(request, timeout=self.options.timeout) as response:
                return int(response.status), response.headers, _read(response)
        except urllib.error.HTTPError as exc:  # an answer all the same: 4xx, 5xx, or a redirect not followed
            try:
                return int(exc.code), exc.headers, _read(exc)
            except (TimeoutError, OSError, http.client.HTTPException) as read_error:
                raise _Transient(timed_out if isinstance(read_error, TimeoutError) else str(read_error)) from None
            finally:
                exc.close()
        except urllib.error.URLError as exc:
            timeout = isinstance(exc.reason, TimeoutError)
            raise _Transient(timed_out if timeout else str(exc.reason)) from None
        except TimeoutError:
            raise _Transient(timed_out) from None
        except (OSError, http.client.HTTPException) as exc:  # reset, closed mid-answer, bad status line
            raise _Transient(f"{type(exc).__name__}: {exc}") from None

    def _keep(
        self, endpoint: str, code: str, period: str, url: str, body: dict[str, Any], status: int, raw: bytes,
        fetched_at: datetime,
    ) -> KeptAnswer:  # fmt: skip
        """Write the answer and its sidecar together (one commit); never over an earlier answer."""
        self.folder.mkdir(parents=True, exist_ok=True)
        raw_dir = paths.inside(self.folder, RAW_DIR)  # a raw/ linked out of the folder is refused
        if raw_dir.exists() and not raw_dir.is_dir():
            raise ParameterError(f"{raw_dir} must be a folder inside the index folder, not a file.")
        stamp = fetched_at.strftime("%Y%m%dT%H%M%S")
        meta = {"url": url, "method": "POST", "body": body, "fetched_at": fetched_at.isoformat(), "status": status}
        with commit.writer_lock(self.folder):
            stem, n = f"{stamp}_{endpoint}_{code}_{period}", 1
            while (raw_dir / f"{stem}.json").exists() or (raw_dir / f"{stem}.meta.json").exists():
                n += 1
                stem = f"{stamp}-{n}_{endpoint}_{code}_{period}"
            sidecar = json.dumps(meta, ensure_ascii=False, indent=2) + "\n"
            commit.commit(self.folder, {f"{RAW_DIR}/{stem}.json": raw, f"{RAW_DIR}/{stem}.meta.json": sidecar})
        return KeptAnswer(raw_dir / f"{stem}.json", raw_dir / f"{stem}.meta.json", url, status, fetched_at)


def check_answer(raw: bytes, content_type: str, endpoint: str, code: str) -> tuple[Any, Any]:
    """The parsed answer and None, or what is wrong with its shape (a phrase in both languages)."""
    try:
        document = json.loads(raw.decode("utf-8"))
    except (UnicodeDecodeError, ValueError):
        start = raw[:60].decode("utf-8", errors="replace")
        return None, _part("fetch.shape.not_json", content_type=content_type, start=repr(start))
    if not isinstance(document, dict) or document.get("code") != "OK":
        value = document.get("code") if isinstance(document, dict) else type(document).__name__
        message = document.get("message") if isinstance(document, dict) else None
        return document, _part("fetch.shape.code", value=json.dumps(value, ensure_ascii=False), message=message)
    data = document.get("data")
    key = COMPONENT_ENDPOINTS.get(endpoint, "evaluation")
    if not isinstance(data, dict) or not isinstance(data.get(key), list):
        return document, _part("fetch.shape.no_list", path=f"data.{key}")
    pages = (data.get("pagination") or {}).get("totalPages") if isinstance(data.get("pagination"), dict) else None
    if isinstance(pages, int) and pages > 1:
        return document, _part("fetch.shape.pages", path="data.pagination.totalPages", pages=pages)
    if endpoint != SERVICE_RESULTS:
        return document, None
    if code == NATIONAL:
        return document, _national_problem(data["evaluation"])
    got = (data.get("overview") or {}).get("departmentCode") if isinstance(data.get("overview"), dict) else None
    if got != code:
        return document, _part("fetch.shape.other_unit", got=json.dumps(got), wanted=code)
    return document, None


def _national_problem(rows: list[Any]) -> Any:
    """Every national row must give a province code (H01) and a UUID: both go into file names and requests."""
    for i, row in enumerate(rows):
        row = row if isinstance(row, dict) else {}
        for name, pattern, expected in (
            ("departmentCode", _PROVINCE_CODE, "H01…H99"),
            ("departmentId", _UUID, "UUID"),
        ):
            value = row.get(name)
            if not (isinstance(value, str) and pattern.fullmatch(value)):
                path = f"data.evaluation[{i}].{name}"
                return _part("fetch.shape.bad_row", path=path, value=json.dumps(value), expected=expected)
    return None


def province_ids(national: KeptAnswer) -> dict[str, str]:
    """Province code → its ``departmentId`` (UUID), in the national answer's order."""
    return {row["departmentCode"]: row["departmentId"] for row in national.document["data"]["evaluation"]}


def fetch_portal(
    folder: Path,
    province: str,
    period: str,
    *,
    components: bool = False,
    options: FetchOptions | None = None,
    client: PortalClient | None = None,
) -> list[KeptAnswer]:
    """The national answer, then each wanted province's (``H01`` or ``all``), then its six component answers
    when ``components``; every answer kept in ``folder/raw``. Stops at the first failure (earlier answers stay)."""
    wanted = province.strip().upper()
    if wanted != "ALL" and not _PROVINCE_CODE.fullmatch(wanted):
        raise ParameterError(f"--province {province!r}: give a portal province code (H01) or 'all'.")
    national_body = request_body(period)  # refuses a period the portal cannot answer before any request
    pid = parse_period(period).id
    client = client or PortalClient(folder, options or FetchOptions())
    national = client.post(SERVICE_RESULTS, national_body, code=NATIONAL, period=pid)
    ids = province_ids(national)
    if wanted != "ALL" and wanted not in ids:
        raise ParameterError(_say("fetch.unknown_province", province=wanted, raw=national.path, codes=", ".join(ids)))
    kept = [national]
    for code in ids if wanted == "ALL" else [wanted]:
        body = request_body(pid, ids[code])
        kept.append(client.post(SERVICE_RESULTS, body, code=code, period=pid))
        for endpoint in COMPONENT_ENDPOINTS if components else ():
            kept.append(client.post(endpoint, body, code=code, period=pid))
    return kept
