"""Load, on loopback only: 60 participants answer the intake at once, each as a phone would.

Bounded in count and time. Every answer must be on disk, every response file
must validate, and ``klantladder score`` must give exactly what the
facilitator's data endpoint showed. The answer latency (the POST of one answer,
until the server's redirect) is printed as p50 and p95:

    .venv/bin/python -m pytest tests/test_workshop_load.py -s
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import statistics
import time
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import httpx
import pytest
import yaml
from typer.testing import CliRunner
from workshophelpers import (
    ServerProcess,
    expected_value,
    facilitator_client,
    parse_form,
    wait_for,
    workshop_folder,
)

from klantladder.cli import app

pytest.importorskip("starlette", reason="the workshop extra is not installed")

PARTICIPANTS = 60
THINK = (0.15, 0.35)
"""Seconds a participant reads before answering (fast, but within the rate limit)."""
TIME_LIMIT = 120.0


def choose(form: Any, rng: random.Random) -> dict[str, Any]:
    if form.textarea:
        return {"answer": f"Meer tijd voor klanten ({rng.randint(1, 999)}) & <minder> vergaderen"}
    if form.choice_type == "checkbox":
        return {"answer": rng.sample(form.choices, rng.randint(1, 2)), "action": "answer"}
    if "unknown" in form.buttons and rng.random() < 0.05:
        return {"action": "unknown"}
    return {"answer": rng.choice(form.choices), "action": "answer"}


async def participant(
    index: int, join_url: str, latencies: list[float]
) -> tuple[str, dict[str, Any]]:
    """Join, answer every question; the cookie's token and the answers acknowledged."""
    parts = urlsplit(join_url)
    rng = random.Random(index)
    saved: dict[str, Any] = {}
    async with httpx.AsyncClient(
        base_url=f"{parts.scheme}://{parts.netloc}", follow_redirects=False, timeout=30
    ) as client:
        assert (await client.get(parts.path)).status_code == 200
        location = (await client.get("/p")).headers["location"]
        while location != "/p/done":
            page = await client.get(location)
            assert page.status_code == 200, page.text
            form = parse_form(page.text)
            fields = choose(form, rng)
            await asyncio.sleep(rng.uniform(*THINK))
            started = time.perf_counter()
            posted = await client.post("/p/answer", data={**form.hidden, **fields})
            latencies.append(time.perf_counter() - started)
            assert posted.status_code == 303, posted.text
            saved[form.question] = expected_value(form, fields)
            location = posted.headers["location"]
        return client.cookies["klantladder_participant"], saved


async def crowd(join_url: str, latencies: list[float]) -> list[tuple[str, dict[str, Any]]]:
    jobs = [participant(index, join_url, latencies) for index in range(PARTICIPANTS)]
    return list(await asyncio.wait_for(asyncio.gather(*jobs), TIME_LIMIT))


def test_sixty_participants_answer_the_intake_at_once(tmp_path: Path) -> None:
    folder = workshop_folder(tmp_path, "intake")
    latencies: list[float] = []
    with ServerProcess(folder) as server:
        assert server.base.startswith("http://127.0.0.1:")
        began = time.perf_counter()
        results = asyncio.run(crowd(server.join_url, latencies))
        took = time.perf_counter() - began
        facilitator = facilitator_client(server.facilitator_url)
        board = wait_for(
            lambda: (
                (d := facilitator.get("/facilitator/data.json").json())["participants"]["finished"]
                == PARTICIPANTS
                and d
            ),
            timeout=15,
            message="the board to count every participant as finished",
        )
        server.stop()

    quantiles = statistics.quantiles(latencies, n=100)
    p50, p95 = quantiles[49] * 1000, quantiles[94] * 1000
    print(
        f"\n{PARTICIPANTS} participants, {len(latencies)} answers in {took:.1f} s: "
        f"answer latency p50 {p50:.0f} ms, p95 {p95:.0f} ms, max {max(latencies) * 1000:.0f} ms"
    )
    assert p95 < 2000, "answers stay quick under load"

    # Every acknowledged answer is on disk, in the participant's own file.
    events = [
        json.loads(line)
        for line in (folder / ".klantladder/workshop/participants.jsonl").read_text().splitlines()
    ]
    codes = {e["participant"]: e["respondent"] for e in events if "respondent" in e}
    assert len(codes) == PARTICIPANTS == len(set(codes.values()))
    for token, saved in results:
        code = codes[hashlib.sha256(token.encode()).hexdigest()]
        data = yaml.safe_load((folder / "responses" / f"{code}.yaml").read_text())
        assert data["answers"] == saved
        assert data["completed"] and data["source"] == {"tool": "workshop"}
        assert len(saved) == 40

    runner = CliRunner()
    assert runner.invoke(app, ["validate", str(folder)]).exit_code == 0
    scored = runner.invoke(app, ["score", str(folder), "--json"])
    assert scored.exit_code == 0
    assert board["result"] == json.loads(scored.stdout)
    assert board["respondents"] == PARTICIPANTS
