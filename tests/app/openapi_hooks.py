"""Schemathesis hooks for test_openapi.py's run (SCHEMATHESIS_HOOKS=openapi_hooks).

- Paths name real things beside generated ones: the sessions the test made, layers,
  views and datasets, so that a session's operations reach the engine instead of
  answering 404 every time.
- The test's sessions are never deleted (schemathesis learns ids from responses and
  would), so the whole run has them.
- Every answer is tallied by operation and status into $OPENAPI_TALLY (JSON) at exit.
- An import body is sent as the raw bytes it is (application/zip).
"""

import atexit
import collections
import json
import os

import schemathesis
from hypothesis import strategies as st

from engine.data import DATASETS
from engine.views import VIEWS

SESSIONS = [s for s in os.environ.get("OPENAPI_SESSIONS", "").split(",") if s]
LAYERS = ["0", "1", "5", "dense_1", "conv2d_1"]
TALLY: collections.Counter = collections.Counter()

schemathesis.serializer.alias("application/zip", "application/octet-stream")


@schemathesis.hook
def flatmap_path_parameters(context, path_parameters):
    if not path_parameters:
        return st.just(path_parameters)
    operation = context.operation
    real = {}
    if "session_id" in path_parameters and operation.method.upper() != "DELETE":
        real["session_id"] = SESSIONS
    if "layer" in path_parameters:
        real["layer"] = LAYERS
    if "name" in path_parameters:
        real["name"] = list(VIEWS if "/views/" in operation.path else DATASETS)
    if not real:
        return st.just(path_parameters)
    drawn = st.fixed_dictionaries(
        {key: st.sampled_from([path_parameters[key], *names]) for key, names in real.items()}
    )
    return drawn.map(lambda values: {**path_parameters, **values})


@schemathesis.hook
def before_call(context, case, kwargs):
    params = case.path_parameters or {}
    if case.method.upper() == "DELETE" and params.get("session_id") in SESSIONS:
        params["session_id"] = "kept-" + params["session_id"]


@schemathesis.hook
def after_call(context, case, response):
    TALLY[f"{case.method.upper()} {case.operation.path} {response.status_code}"] += 1


@atexit.register
def _write_tally() -> None:
    path = os.environ.get("OPENAPI_TALLY")
    if path:
        with open(path, "w") as f:
            json.dump(dict(TALLY), f, indent=1, sort_keys=True)
