"""`dvctt fetch` against a real HTTP server on 127.0.0.1 that replays the portal's real 2026 answers
(tests/fixtures/portal-2026/, copied unmodified): the requests sent are checked against the recorded ones, every
answer is kept byte for byte with its sidecar, retries, timeouts and pauses are measured on the server's clock,
and an answer of an unknown shape stops with its message and stays kept. No test reaches the real portal."""

from __future__ import annotations

import json
import re
import socket
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path

import pytest
from conftest import run_dvctt

from dvctt.service_index.fetch import (
    API_PATH,
    VIETNAM,
    FetchOptions,
    PortalClient,
    PortalRefusedError,
    PortalUnreachableError,
    UnknownAnswerError,
    fetch_portal,
)

PORTAL = Path(__file__).resolve().parents[1] / "fixtures" / "portal-2026"
NATIONAL = PORTAL / "service-results_national_year2026_asof-2026-09-17.json"
NATIONAL_REQUEST = PORTAL / "service-results_national_year2026_request.json"
AN_GIANG = PORTAL / "service-results_H01_AnGiang_year2026.json"
GIA_LAI = PORTAL / "service-results_H21_GiaLai_year2026.json"
GIA_LAI_FEB = PORTAL / "service-results_H21_GiaLai_month2026-02.json"
GIA_LAI_PARTS = PORTAL / "components_H21_GiaLai_year2026_2026-10-02.json"
#: The crawler's key of each component endpoint in the components file.
PART_KEYS = {
    "transparency": "TRANSPARENCY",
    "dvc-progress-tree": "PROGRESS",
    "dossier-digitized": "DIGITIZED",
    "provide-online-tree": "ONLINE",
    "formality-online-payment-tree": "PAYMENT",
    "handling-satisfaction": "HANDLING_SATISFACTION",
}
IDS = {r["departmentCode"]: r["departmentId"] for r in json.loads(NATIONAL.read_bytes())["data"]["evaluation"]}
AG, GL = IDS["H01"], IDS["H21"]
FAST = {"pause": 0.0, "backoff": 0.0, "timeout": 5.0}
STAMP = r"\d{8}T\d{6}"


@dataclass(frozen=True)
class Seen:
    """One request as the server received it, with the server's clock at its arrival."""

    method: str
    path: str
    headers: dict[str, str]
    body: bytes
    at: float

    @property
    def json(self) -> dict:
        return json.loads(self.body)


Answer = tuple[int, str, bytes, float]  # status, content type, body, seconds to wait before answering


class Replay:
    """A real HTTP server on 127.0.0.1 (port 0) in a thread; ``answer`` decides each reply from the request."""

    def __init__(self, answer: Callable[[Seen], Answer]):
        self.seen: list[Seen] = []
        seen = self.seen

        class Handler(BaseHTTPRequestHandler):
            def _any(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                request = Seen(self.command, self.path, {k.lower(): v for k, v in self.headers.items()}, body,
                               time.monotonic())  # fmt: skip
                seen.append(request)
                status, content_type, payload, delay = answer(request)
                time.sleep(delay)
                try:
                    self.send_response(status)
                    self.send_header("Content-Type", content_type)
                    self.send_header("Content-Length", str(len(payload)))
                    self.end_headers()
                    self.wfile.write(payload)
                except OSError:  # the client gave up waiting (the timeout test)
                    pass

            do_POST = do_GET = _any

            def log_message(self, *args: object) -> None:
                pass

        self.server = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.server.block_on_close = False
        self.thread = threading.Thread(target=self.server.serve_forever, daemon=True)
        self.thread.start()

    @property
    def url(self) -> str:
        host, port = self.server.server_address[:2]
        return f"http://{host}:{port}"

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()


def ok(path: Path) -> Answer:
    return 201, "application/json", path.read_bytes(), 0.0


def not_found() -> Answer:
    return 404, "application/json", b'{"code":"NOT_FOUND","message":"Not Found"}', 0.0


def portal(seen: Seen) -> Answer:
    """The recorded answers, chosen by endpoint and body as the portal would."""
    endpoint = seen.path.removeprefix(API_PATH)
    body = seen.json
    root = body.get("rootDepartmentId")
    if endpoint == "service-results" and root is None:
        return ok(NATIONAL)  # the only national answer recorded (its period is checked by the callers)
    if endpoint == "service-results" and root == AG and body["timeType"] == "year":
        return ok(AN_GIANG)
    if endpoint == "service-results" and root == GL:
        return ok(GIA_LAI) if body["timeType"] == "year" else ok(GIA_LAI_FEB) if body.get("month") == 2 else not_found()
    if endpoint in PART_KEYS and root == GL and body["timeType"] == "year":
        part = json.loads(GIA_LAI_PARTS.read_bytes())[PART_KEYS[endpoint]]
        return 201, "application/json", json.dumps(part, ensure_ascii=False).encode("utf-8"), 0.0
    return not_found()


@pytest.fixture(autouse=True)
def no_real_portal(monkeypatch):
    """A test that forgot --base-url asks a closed port on this machine, never the portal."""
    monkeypatch.setenv("DVCTT_PORTAL_URL", "http://127.0.0.1:9")


@pytest.fixture
def serve() -> Iterator[Callable[[Callable[[Seen], Answer]], Replay]]:
    servers: list[Replay] = []

    def start(answer: Callable[[Seen], Answer] = portal) -> Replay:
        server = Replay(answer)
        assert server.url.startswith("http://127.0.0.1:")
        servers.append(server)
        return server

    yield start
    for server in servers:
        server.close()


def options(server: Replay, **overrides: float) -> FetchOptions:
    return FetchOptions(base_url=server.url, **{**FAST, **overrides})


def test_an_giang_sends_the_recorded_requests_and_keeps_the_answers_byte_for_byte(serve, tmp_path):
    server = serve()
    before = datetime.now(VIETNAM).replace(microsecond=0)
    kept = fetch_portal(tmp_path, "H01", "2026-ytd", options=options(server))
    after = datetime.now(VIETNAM)
    national, an_giang = server.seen
    assert [(s.method, s.path) for s in server.seen] == [("POST", f"{API_PATH}service-results")] * 2
    assert national.json == json.loads(NATIONAL_REQUEST.read_bytes())
    assert an_giang.json == {"timeType": "year", "year": 2026, "rootDepartmentId": AG, "pageSize": 300,
                             "currentPage": 1}  # fmt: skip
    assert AG == "019d2be3-6a84-779d-b3e7-e214bdb86482"
    for seen in server.seen:
        assert seen.headers["content-type"] == "application/json"
        assert not {"cookie", "authorization", "proxy-authorization"} & set(seen.headers)
    assert [k.path.read_bytes() for k in kept] == [NATIONAL.read_bytes(), AN_GIANG.read_bytes()]
    assert re.fullmatch(rf"{STAMP}_service-results_national_2026-ytd\.json", kept[0].path.name)
    assert re.fullmatch(rf"{STAMP}_service-results_H01_2026-ytd\.json", kept[1].path.name)
    assert {p.parent for k in kept for p in (k.path, k.meta_path)} == {tmp_path / "raw"}
    meta = json.loads(kept[1].meta_path.read_text(encoding="utf-8"))
    assert set(meta) == {"url", "method", "body", "fetched_at", "status"}
    assert meta["url"] == f"{server.url}{API_PATH}service-results" and meta["method"] == "POST"
    assert meta["body"] == an_giang.json and meta["status"] == 201
    fetched = datetime.fromisoformat(meta["fetched_at"])
    assert meta["fetched_at"].endswith("+07:00") and before <= fetched <= after
    assert kept[1].path.name.startswith(fetched.strftime("%Y%m%dT%H%M%S"))
    rows = {r["departmentCode"]: r for r in kept[0].document["data"]["evaluation"]}
    assert len(rows) == 34 and rows["H01"]["totalScore"] == 60.35
    units = kept[1].document["data"]["evaluation"]
    assert len(units) == 117 and sum(u["childGroup"] == "COMMUNE" for u in units) == 102


def test_gia_lai_month_asks_for_month_2_and_the_components_use_the_province_body(serve, tmp_path):
    server = serve()
    month = fetch_portal(tmp_path / "feb", "H21", "2026-02", options=options(server))
    assert server.seen[0].json == {**json.loads(NATIONAL_REQUEST.read_bytes()), "timeType": "month", "month": 2}
    assert server.seen[1].json == {"timeType": "month", "year": 2026, "month": 2, "rootDepartmentId": GL,
                                   "pageSize": 300, "currentPage": 1}  # fmt: skip
    assert month[1].path.read_bytes() == GIA_LAI_FEB.read_bytes()
    assert month[1].path.name.endswith("_service-results_H21_2026-02.json")
    year = fetch_portal(tmp_path / "year", "H21", "2026-ytd", components=True, options=options(server))
    asked = server.seen[2:]
    assert [s.path.removeprefix(API_PATH) for s in asked] == ["service-results", "service-results", *PART_KEYS]
    assert all(s.json == asked[1].json for s in asked[2:])
    assert year[1].path.read_bytes() == GIA_LAI.read_bytes()
    assert year[1].document["data"]["overview"]["totalScore"] == 62.74
    progress = year[3].document["data"]
    assert year[3].path.name.endswith("_dvc-progress-tree_H21_2026-ytd.json")
    assert len(progress["children"]) == 149 and progress["parent"]["totalReceived"] == 390901  # 02/10/2026
    assert len(list((tmp_path / "year" / "raw").glob("*.meta.json"))) == 8


def test_all_provinces_come_after_the_national_answer_in_its_order(serve, tmp_path):
    """Only two provinces' answers were recorded: the others get a stand-in of the same shape, naming them."""
    codes = {uuid: code for code, uuid in IDS.items()}

    def answer(seen: Seen) -> Answer:
        root = seen.json.get("rootDepartmentId")
        if root is None or root in (AG, GL):
            return portal(seen)
        stand_in = {"code": "OK", "data": {"overview": {"departmentCode": codes[root]}, "evaluation": []}}
        return 201, "application/json", json.dumps(stand_in).encode(), 0.0

    server = serve(answer)
    kept = fetch_portal(tmp_path, "all", "2026-ytd", options=options(server))
    assert len(server.seen) == 35 and "rootDepartmentId" not in server.seen[0].json
    assert [s.json["rootDepartmentId"] for s in server.seen[1:]] == list(IDS.values())
    assert len(kept) == 35 and len(list((tmp_path / "raw").glob("*.meta.json"))) == 35
    assert kept[list(IDS).index("H01") + 1].path.read_bytes() == AN_GIANG.read_bytes()


def test_two_503_then_the_answer_three_requests_with_growing_backoff(serve, tmp_path):
    def answer(seen: Seen) -> Answer:
        if len(server.seen) <= 2:
            return 503, "text/html", b"<html><body>503 Service Unavailable</body></html>", 0.0
        return portal(seen)

    server = serve(answer)
    client = PortalClient(tmp_path, options(server, backoff=0.1))
    kept = client.post("service-results", json.loads(NATIONAL_REQUEST.read_bytes()), code="national",
                       period="2026-ytd")  # fmt: skip
    assert len(server.seen) == 3 and client.requests == 3
    first, second, third = (s.at for s in server.seen)
    assert second - first >= 0.1 and third - second >= 0.2  # backoff 0.1 s, then doubled
    assert kept.status == 201 and kept.path.read_bytes() == NATIONAL.read_bytes()
    assert sorted(p.name.split("_", 1)[1] for p in (tmp_path / "raw").iterdir()) == [
        "service-results_national_2026-ytd.json",
        "service-results_national_2026-ytd.meta.json",
    ]  # the two 503 pages are not kept


def test_a_4xx_is_not_retried_and_its_answer_is_kept(serve, tmp_path):
    server = serve(lambda seen: not_found())
    with pytest.raises(PortalRefusedError) as error:
        fetch_portal(tmp_path, "H01", "2026-ytd", options=options(server, tries=4))
    assert len(server.seen) == 1
    (raw,) = (tmp_path / "raw").glob("*_service-results_national_2026-ytd.json")
    message = str(error.value)
    assert f"{server.url}{API_PATH}service-results" in message and "HTTP 404" in message and str(raw) in message
    assert raw.read_bytes() == not_found()[2]
    assert json.loads(raw.with_name(raw.name.replace(".json", ".meta.json")).read_text())["status"] == 404


def test_a_server_that_sleeps_past_the_timeout_fails_after_n_tries_without_hanging(serve, tmp_path):
    server = serve(lambda seen: (*ok(NATIONAL)[:3], 3.0))
    start = time.monotonic()
    with pytest.raises(PortalUnreachableError) as error:
        fetch_portal(tmp_path, "H01", "2026-ytd", options=options(server, timeout=0.3, tries=3))
    assert time.monotonic() - start < 2.5
    assert len(server.seen) == 3
    assert "after 3 tries: no answer within 0.3 s" in str(error.value)
    assert "sau 3 lần thử: quá 0.3 giây không trả lời" in str(error.value)
    assert not (tmp_path / "raw").exists()


def test_a_closed_port_fails_after_n_tries_with_the_reason(tmp_path):
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(PortalUnreachableError, match=r"after 2 tries: .*[Cc]onnection refused"):
        fetch_portal(tmp_path, "H01", "2026-ytd", options=FetchOptions(f"http://127.0.0.1:{port}", 1.0, 2, 0.0, 0.0))


HTML = b"<!DOCTYPE html><html><head><title>Bao tri</title></head><body>He thong dang bao tri</body></html>"
SHAPES = {
    "html": ((200, "text/html; charset=utf-8", HTML), "it is not JSON (Content-Type text/html; charset=utf-8"),
    "code": ((201, "application/json", b'{"code":"ERR_500","data":null,"message":"Loi he thong"}'),
             'its code is "ERR_500", not "OK" (message: Loi he thong)'),
    "no_list": ((201, "application/json", b'{"code":"OK","data":{"overview":{}},"message":"OK"}'),
                "data.evaluation is not a list of units"),
    "cut": ((201, "application/json", NATIONAL.read_bytes()[:5000]), "it is not JSON"),
    "bad_code": ((201, "application/json", NATIONAL.read_bytes().replace(b'"H01"', b'"../x"', 1)),
                 "data.evaluation[23].departmentCode = \"../x\" is not H01"),
}  # fmt: skip


@pytest.mark.parametrize("shape", list(SHAPES))
def test_an_unknown_shape_stops_with_the_url_and_keeps_the_raw_answer(serve, tmp_path, shape):
    (status, content_type, payload), expected = SHAPES[shape]
    server = serve(lambda seen: (status, content_type, payload, 0.0))
    with pytest.raises(UnknownAnswerError) as error:
        fetch_portal(tmp_path, "H01", "2026-ytd", options=options(server))
    (raw,) = (tmp_path / "raw").glob("*_national_2026-ytd.json")
    message = str(error.value)
    assert f"the answer of {server.url}{API_PATH}service-results has a shape dvctt does not know" in message
    assert expected in message and f"It is kept unmodified in {raw}" in message
    assert raw.read_bytes() == payload and len(server.seen) == 1


def test_an_answer_for_another_province_stops(serve, tmp_path):
    def answer(seen: Seen) -> Answer:
        return ok(NATIONAL) if "rootDepartmentId" not in seen.json else ok(GIA_LAI)

    with pytest.raises(UnknownAnswerError, match='departmentCode is "H21", not the province asked for, H01'):
        fetch_portal(tmp_path, "H01", "2026-ytd", options=options(serve(answer)))


def test_the_pause_is_kept_between_requests(serve, tmp_path):
    server = serve()
    fetch_portal(tmp_path, "H21", "2026-ytd", components=True, options=options(server, pause=0.2))
    gaps = [b.at - a.at for a, b in zip(server.seen, server.seen[1:], strict=False)]
    assert len(gaps) == 7 and min(gaps) >= 0.2


def test_two_answers_of_the_same_second_are_both_kept(serve, tmp_path):
    server = serve()
    noon = datetime(2026, 10, 10, 12, 0, 0, tzinfo=VIETNAM)
    client = PortalClient(tmp_path, options(server), now=lambda: noon)
    body = json.loads(NATIONAL_REQUEST.read_bytes())
    first, second = (client.post("service-results", body, code="national", period="2026-ytd") for _ in range(2))
    assert first.path.name == "20261010T120000_service-results_national_2026-ytd.json"
    assert second.path.name == "20261010T120000-2_service-results_national_2026-ytd.json"
    assert first.path.read_bytes() == second.path.read_bytes() == NATIONAL.read_bytes()
    assert json.loads(second.meta_path.read_text())["fetched_at"] == "2026-10-10T12:00:00+07:00"
    assert datetime.fromisoformat("2026-10-10T12:00:00+07:00").utcoffset() == timedelta(hours=7)


def test_cli_fetch_keeps_the_answers_and_prints_them(serve, tmp_path):
    server = serve()
    done = run_dvctt("fetch", "--province", "h01", "--period", "2026-ytd", "--base-url", server.url, "--pause", "0",
                     "--store", str(tmp_path / "store"), "--no-ingest", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert done.stdout.count("Kept: ") == 2 and f"Fetched: 2 answer(s) in 2 request(s) from {server.url}" in done.stdout
    assert len(list((tmp_path / "store" / "raw").glob("*_H01_2026-ytd.json"))) == 1


def test_cli_takes_the_portal_address_from_the_environment(serve, tmp_path, monkeypatch):
    server = serve()
    monkeypatch.setenv("DVCTT_PORTAL_URL", server.url)
    done = run_dvctt("fetch", "--province", "H21", "--period", "2026-02", "--pause", "0", "--out", str(tmp_path),
                     "--no-ingest", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    (raw,) = (tmp_path / "data" / "raw").glob("*_service-results_H21_2026-02.json")
    assert raw.read_bytes() == GIA_LAI_FEB.read_bytes()


@pytest.mark.parametrize(
    ("args", "expected"),
    [
        (["--base-url", "http://user:secret@127.0.0.1:9"], "portal address http://user:secret@127.0.0.1:9 cannot"),
        (["--base-url", "file:///etc"], "it needs http:// or https:// and a host"),
        (["--period", "2026-ytd-10"], "the portal answers for a year (2026-ytd), a quarter (2026-q3) or a month"),
        (["--province", "An Giang"], "give a portal province code (H01) or 'all'"),
        (["--province", "all"], "say which one the report is about with --scope"),
    ],
)
def test_cli_refuses_bad_options_before_any_request(serve, tmp_path, args, expected):
    server = serve()
    given = {"--province": "H01", "--period": "2026-ytd", "--base-url": server.url}
    given.update(dict(zip(args[::2], args[1::2], strict=True)))
    done = run_dvctt("fetch", *[x for kv in given.items() for x in kv], "--store", str(tmp_path), cwd=tmp_path)
    assert done.returncode == 1 and expected in done.stderr and "Traceback" not in done.stderr
    assert server.seen == [] and not (tmp_path / "raw").exists()


def test_cli_unknown_shape_and_unknown_province_exit_1_with_the_message(serve, tmp_path):
    server = serve(lambda seen: (200, "text/html", HTML, 0.0))
    done = run_dvctt("fetch", "--province", "H01", "--period", "2026-ytd", "--base-url", server.url,
                     "--store", str(tmp_path / "a"), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "dvctt fetch: error: Câu trả lời của" in done.stderr and "has a shape dvctt does not know" in done.stderr
    (raw,) = (tmp_path / "a" / "raw").glob("*_national_2026-ytd.json")
    assert raw.read_bytes() == HTML
    server = serve()
    done = run_dvctt("fetch", "--province", "H99", "--period", "2026-ytd", "--base-url", server.url,
                     "--store", str(tmp_path / "b"), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1 and "there is no province H99 in the national answer" in done.stderr
    assert "H01, " in done.stderr and len(server.seen) == 1


SERVER_ERROR = b'{"code":"INTERNAL_SERVER_ERROR","data":null,"message":"Internal server error"}'


def test_an_http_500_on_every_try_stops_naming_the_url_and_keeps_the_last_answer(serve, tmp_path):
    server = serve(lambda seen: (500, "application/json", SERVER_ERROR, 0.0))
    with pytest.raises(PortalRefusedError) as error:
        fetch_portal(tmp_path, "H01", "2026-ytd", options=options(server, tries=2))
    assert len(server.seen) == 2  # a 5xx is tried again, a 4xx is not
    (raw,) = (tmp_path / "raw").glob("*_service-results_national_2026-ytd.json")
    message = str(error.value)
    assert f"the portal refused {server.url}{API_PATH}service-results: HTTP 500 after 2 tries." in message
    assert f"Cổng từ chối {server.url}{API_PATH}service-results: HTTP 500 sau 2 lần thử." in message
    assert f"Its answer is kept unmodified in {raw}" in message
    assert raw.read_bytes() == SERVER_ERROR
    meta = json.loads(raw.with_name(raw.name.replace(".json", ".meta.json")).read_text(encoding="utf-8"))
    assert meta["status"] == 500 and meta["body"] == json.loads(NATIONAL_REQUEST.read_bytes())
    assert sorted(p.name.split("_", 1)[1] for p in (tmp_path / "raw").iterdir()) == [
        "service-results_national_2026-ytd.json",
        "service-results_national_2026-ytd.meta.json",
    ]  # one answer kept, not one per try


def _closed_port() -> str:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return f"http://127.0.0.1:{probe.getsockname()[1]}"


@pytest.mark.parametrize(
    ("failure", "expected"),
    [
        ("500", "the portal refused {url}: HTTP 500 after 2 tries"),
        ("html", "the answer of {url} has a shape dvctt does not know: it is not JSON (Content-Type text/html"),
        ("timeout", "{url} could not be fetched after 2 tries: no answer within 0.3 s"),
        ("closed", "{url} could not be fetched after 2 tries: "),
    ],
)
def test_cli_network_and_http_failures_exit_1_with_one_message_naming_the_url(serve, tmp_path, failure, expected):
    replies = {
        "500": (500, "application/json", SERVER_ERROR, 0.0),
        "html": (200, "text/html; charset=utf-8", HTML, 0.0),
        "timeout": (*ok(NATIONAL)[:3], 2.0),
    }
    base = _closed_port() if failure == "closed" else serve(lambda seen: replies[failure]).url
    done = run_dvctt("fetch", "--province", "H01", "--period", "2026-ytd", "--base-url", base, "--tries", "2",
                     "--timeout", "0.3", "--backoff", "0", "--pause", "0", "--store", str(tmp_path),
                     cwd=tmp_path)  # fmt: skip
    url = f"{base}{API_PATH}service-results"
    assert done.returncode == 1 and "Traceback" not in done.stderr and done.stderr.count("\n") == 1
    assert done.stderr.startswith("dvctt fetch: error: ") and expected.format(url=url) in done.stderr
    answered = ["service-results_national_2026-ytd.json", "service-results_national_2026-ytd.meta.json"]
    kept = sorted(p.name.split("_", 1)[1] for p in (tmp_path / "raw").glob("*"))
    assert kept == (answered if failure in ("500", "html") else [])  # no answer, nothing kept


def test_the_raw_folder_holds_what_dvctt_index_reads_from_it(serve, tmp_path):
    """What the index readers take from each kept answer (the agreed interface): its sidecar ``<stem>.meta.json``
    whose body gives the period (timeType year → 2026-ytd, month 2 → 2026-02) and whose fetched_at gives the
    Vietnam as-of date; the folder holds nothing else, so ``dvctt index <folder>/raw`` reads every answer."""
    server = serve()
    evening = datetime(2026, 10, 2, 23, 59, 59, tzinfo=VIETNAM)  # 16:59:59 UTC: the Vietnam date is the 2nd
    client = PortalClient(tmp_path, options(server), now=lambda: evening.astimezone(UTC))
    year = fetch_portal(tmp_path, "H21", "2026-ytd", components=True, client=client)
    month = fetch_portal(tmp_path, "H21", "2026-02", client=client)
    raw = tmp_path / "raw"
    answers = sorted(p for p in raw.iterdir() if not p.name.endswith(".meta.json"))
    assert answers == sorted(k.path for k in [*year, *month]) and len(answers) == 10
    assert sorted(raw.glob("*.meta.json")) == sorted(k.meta_path for k in [*year, *month])
    for kept in [*year, *month]:
        assert kept.meta_path == kept.path.with_name(kept.path.stem + ".meta.json")
        meta = json.loads(kept.meta_path.read_text(encoding="utf-8"))
        body = meta["body"]
        period = f"2026-{body['month']:02d}" if body["timeType"] == "month" else "2026-ytd"
        assert body["year"] == 2026 and kept.path.stem.endswith(f"_{period}")
        assert meta["fetched_at"] == "2026-10-02T23:59:59+07:00"
        assert datetime.fromisoformat(meta["fetched_at"]).date().isoformat() == "2026-10-02"
        assert kept.path.name.startswith("20261002T235959")
    assert {k.path.stem.split("_", 1)[1] for k in month} == {
        "service-results_national_2026-02",
        "service-results_H21_2026-02",
    }
    totals = {u["departmentCode"]: u["totalScore"] for u in json.loads(year[1].path.read_bytes())["data"]["evaluation"]}
    assert len(totals) == 149 and totals == {
        u["departmentCode"]: u["totalScore"] for u in json.loads(GIA_LAI.read_bytes())["data"]["evaluation"]
    }


def test_fetch_hands_dvctt_index_the_kept_answers_with_the_province_as_scope(tmp_path):
    from dvctt.cli.fetch import index_arguments
    from dvctt.cli.main import build_parser

    args = build_parser().parse_args(["fetch", "--province", "h21", "--period", "2026-02", "--replace"])
    args.out_dir, args.store_dir = tmp_path / "out", tmp_path / "out" / "data"
    files = [tmp_path / "out" / "data" / "raw" / f"20261002T013000_service-results_{c}_2026-02.json" for c in
             ("national", "H21")]  # fmt: skip
    index = index_arguments(files, args)
    assert index.command == "index" and [Path(f) for f in index.files] == files
    assert index.scope == "H21" and index.replace and index.lang == "vi"
    assert index.out == tmp_path / "out" and index.store == tmp_path / "out" / "data"
    assert index.period is None and index.as_of is None  # each answer's sidecar gives them


def test_a_raw_folder_linked_out_of_the_index_folder_is_refused_and_nothing_is_written_there(serve, tmp_path):
    elsewhere, folder = tmp_path / "elsewhere", tmp_path / "index"
    elsewhere.mkdir(), folder.mkdir()
    (folder / "raw").symlink_to(elsewhere, target_is_directory=True)
    server = serve()
    done = run_dvctt("fetch", "--province", "H01", "--period", "2026-ytd", "--base-url", server.url, "--pause", "0",
                     "--store", str(folder), "--no-ingest", cwd=tmp_path)  # fmt: skip
    assert done.returncode == 1 and "Traceback" not in done.stderr
    assert "'raw' is not inside" in done.stderr and "a symbolic link leads out of the folder" in done.stderr
    assert list(elsewhere.iterdir()) == [] and len(server.seen) == 1


def test_cli_fetch_then_reports_what_it_fetched(serve, tmp_path):
    """The whole weekly step: fetch An Giang's year to date from the (replayed) portal, keep the answers, read
    them as ``dvctt index`` does and write the report and the message: 60,35 points, 24th of 34, as of the day
    of the fetch."""
    server = serve()
    out = tmp_path / "out"
    done = run_dvctt("fetch", "--province", "h01", "--period", "2026-ytd", "--base-url", server.url, "--pause", "0",
                     "--out", str(out), cwd=tmp_path)  # fmt: skip
    assert done.returncode == 0, done.stderr
    assert len(list((out / "data" / "raw").glob("*.meta.json"))) == 2
    message = (out / "message.txt").read_text(encoding="utf-8")
    assert "60,35" in message and "24/34" in message
    assert list(out.glob("index_report_*_vi.html"))
