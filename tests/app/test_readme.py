"""The README's examples, run as written against a real `playground` process."""

import re
import subprocess
import sys

import pytest
from test_process import ROOT, free_port, start

EXAMPLE = re.compile(r"<!-- example: (\w+) -->\n```(\w+)\n(.*?)```", re.DOTALL)


def examples() -> dict[str, tuple[str, str]]:
    text = (ROOT / "README.md").read_text()
    return {name: (lang, code) for name, lang, code in EXAMPLE.findall(text)}


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    port = free_port()
    proc, _base = start(tmp_path_factory.mktemp("readme"), port)
    yield port
    proc.terminate()
    proc.wait(timeout=20)


def run(name: str, port: int) -> str:
    lang, code = examples()[name]
    code = code.replace("127.0.0.1:8000", f"127.0.0.1:{port}")
    command = (
        [sys.executable, "-c", code]
        if lang == "python"
        else ["bash", "-euo", "pipefail", "-c", code]
    )
    done = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
    assert done.returncode == 0, done.stderr
    return done.stdout


def test_the_readme_has_its_three_examples():
    assert set(examples()) == {"rest", "stream", "curl"}


def test_rest_example_reproduces_the_course(server):
    out = run("rest", server)
    assert "epoch 10000 status finished" in out
    assert "[0.028, 0.933, 0.933, 0.083]" in out


def test_stream_example_watches_training(server):
    out = run("stream", server)
    assert re.search(r"epoch \d+ test loss \d", out), out


def test_curl_example_drives_a_session(server):
    out = run("curl", server)
    assert '"steps_done"' in out and "grid 20 x 20" in out
