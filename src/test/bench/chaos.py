#!/usr/bin/env python3
"""The chaos scenario's driver (src/test/bench/chaos.sh runs it inside cluster.sh): trains ensemble
jobs on a cluster of Trainyard instances while it kills them, stops one gracefully and restarts
PostgreSQL, with prediction, read and upload load on every live instance all along; then checks
that nothing was lost, duplicated or changed, and prints and writes a summary.

Standard library only. The cluster comes from cluster.sh's environment (CLUSTER_URLS, CLUSTER_WORK
with start-i.sh and node-i.pid, CLUSTER_KEY, CLUSTER_PSQL); the same jobs are trained undisturbed on
the --reference instance, whose models' weight hashes every member of the cluster must match.
"""
import argparse
import gzip
import http.client
import json
import os
import random
import shlex
import shutil
import signal
import struct
import subprocess
import sys
import threading
import time
import urllib.parse
import uuid
from collections import Counter

ap = argparse.ArgumentParser()
ap.add_argument("--reference", required=True, help="base URL of an undisturbed single instance")
ap.add_argument("--pg-restart", required=True, help="shell command that restarts PostgreSQL and returns once it is up")
ap.add_argument("--out", required=True, help="directory for summary.json")
ap.add_argument("--data", default=os.environ.get("FASHION_MNIST_DIR", "/usr/share/datasets/fashion-mnist"))
ap.add_argument("--jobs", type=int, default=6)
ap.add_argument("--members", type=int, default=3)
ap.add_argument("--epochs", type=int, default=6)
ap.add_argument("--rows", type=int, default=30000, help="Fashion-MNIST training rows the jobs train on")
ap.add_argument("--hidden", type=int, default=512, help="units of the mlp's hidden layer")
ap.add_argument("--first-event", type=float, default=30, help="seconds from the jobs' submission to the first kill")
ap.add_argument("--special-gap", type=float, default=15,
                help="seconds from the first kill to the database restart, and from there to the SIGTERM")
ap.add_argument("--min-gap", type=float, default=30, help="least seconds between two kills")
ap.add_argument("--max-gap", type=float, default=60, help="most seconds between two kills")
ap.add_argument("--budget", type=float, default=480,
                help="seconds from the driver's start to its checks: events stop 90 s before, unfinished jobs fail")
ap.add_argument("--predict-threads", type=int, default=2, help="prediction clients per instance")
ap.add_argument("--think", type=float, default=0.02, help="seconds each prediction client waits between requests")
ap.add_argument("--timeout", type=float, default=10, help="client timeout; an answer slower than this is a hang")
ap.add_argument("--recovery-limit", type=float, default=15, help="most seconds to healthy after the database is back")
ap.add_argument("--seed", type=int, default=1, help="seeds the event schedule and the choice of instances")
a = ap.parse_args()

URLS = os.environ["CLUSTER_URLS"].split()
WORK = os.environ["CLUSTER_WORK"]
KEY = os.environ["CLUSTER_KEY"]
PSQL = shlex.split(os.environ["CLUSTER_PSQL"])
T0 = time.monotonic()
rng = random.Random(a.seed)           # the event schedule and the instances it picks
load_rng = random.Random(a.seed + 1)  # what the load threads ask for


def now():
    return time.monotonic() - T0


def say(message):
    print(f"{now():7.1f} s  {message}", file=sys.stderr, flush=True)


# --- HTTP ----------------------------------------------------------------------------------------

class Answer:
    def __init__(self, status, headers, body):
        self.status, self.headers, self.body = status, headers, body

    def json(self):
        return json.loads(self.body or b"null")


def request(method, url, body=None, content_type="application/json", timeout=None, headers=None):
    """An Answer for any HTTP status; raises OSError when there is none: ConnectTimeout when no
    connection was accepted within the timeout, TimeoutError when no answer came within it after
    the connection, other OSErrors (refused, reset) as they come."""
    parts = urllib.parse.urlsplit(url)
    data = body if isinstance(body, (bytes, type(None))) else json.dumps(body).encode()
    h = {"X-API-Key": KEY, "Content-Type": content_type, "Connection": "close"}
    h.update(headers or {})
    conn = http.client.HTTPConnection(parts.hostname, parts.port, timeout=timeout or a.timeout)
    try:
        try:
            conn.connect()
        except TimeoutError as e:
            raise ConnectTimeout(str(e)) from e
        conn.request(method, parts.path + (("?" + parts.query) if parts.query else ""), body=data, headers=h)
        r = conn.getresponse()
        return Answer(r.status, r.headers, r.read())
    except http.client.HTTPException as e:
        raise ConnectionError(f"{type(e).__name__}: {e}") from e
    finally:
        conn.close()


class ConnectTimeout(OSError):
    pass


def call(method, url, body=None, content_type="application/json", expect=(200, 201, 202), timeout=120):
    """For set-up and checks, where only success will do."""
    answer = request(method, url, body, content_type, timeout=timeout)
    if answer.status not in expect:
        raise SystemExit(f"{method} {url}: {answer.status} {answer.body[:500].decode(errors='replace')}")
    return answer.json()


# --- data --------------------------------------------------------------------------------------

def idx_subset(rows, offset):
    """rows images and labels of Fashion-MNIST's training set from offset, as uncompressed IDX files."""
    def read(name):
        path = os.path.join(a.data, name)
        opener = gzip.open if path.endswith(".gz") else open
        if not os.path.exists(path):
            path = path[:-3]
            opener = open
        with opener(path, "rb") as f:
            return f.read()
    images = read("train-images-idx3-ubyte.gz")
    labels = read("train-labels-idx1-ubyte.gz")
    count = struct.unpack(">I", images[4:8])[0]
    if offset + rows > count:
        raise SystemExit(f"Fashion-MNIST has {count} training rows, asked for {rows} from {offset}")
    pixels = 28 * 28
    img = struct.pack(">IIII", 0x803, rows, 28, 28) + images[16 + offset * pixels:16 + (offset + rows) * pixels]
    lab = struct.pack(">II", 0x801, rows) + labels[8 + offset:8 + offset + rows]
    return img, lab


def multipart(fields, files):
    boundary = uuid.uuid4().hex
    parts = [f'--{boundary}\r\nContent-Disposition: form-data; name="{k}"\r\n\r\n{v}\r\n'.encode()
             for k, v in fields.items()]
    for name, (filename, content, ctype) in files.items():
        parts.append((f'--{boundary}\r\nContent-Disposition: form-data; name="{name}"; filename="{filename}"\r\n'
                      f'Content-Type: {ctype}\r\n\r\n').encode() + content + b"\r\n")
    parts.append(f"--{boundary}--\r\n".encode())
    return b"".join(parts), "multipart/form-data; boundary=" + boundary


def upload(url, name, images, labels, timeout=120):
    body, ctype = multipart({"name": name}, {"images": ("images.idx", images, "application/octet-stream"),
                                             "labels": ("labels.idx", labels, "application/octet-stream")})
    return request("POST", url + "/api/v1/datasets", body, ctype, timeout=timeout)


def small_model_file(seed):
    """safetensors for flatten -> dense 32 -> relu -> dense 10, random weights."""
    r = random.Random(seed)
    shapes = {"1.weight": (32, 784), "1.bias": (32,), "3.weight": (10, 32), "3.bias": (10,)}
    header, blobs, offset = {}, [], 0
    for name, shape in shapes.items():
        n = shape[0] * (shape[1] if len(shape) == 2 else 1)
        scale = (2.0 / shape[1]) ** 0.5 if len(shape) == 2 else 0.0
        data = struct.pack(f"<{n}f", *(r.gauss(0, scale) for _ in range(n)))
        header[name] = {"dtype": "F32", "shape": list(shape), "data_offsets": [offset, offset + len(data)]}
        blobs.append(data)
        offset += len(data)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - len(text) % 8) % 8)
    return struct.pack("<Q", len(text)) + text + b"".join(blobs)


def job_spec(index, dataset):
    return {"name": f"chaos-{index}", "datasetId": dataset, "seed": 1000 + 10 * index, "validationFraction": 0.1,
            "preprocessing": {"method": "standardize"},
            "model": {"init": {"method": "he_normal"},
                      "layers": [{"type": "flatten"}, {"type": "dense", "units": a.hidden}, {"type": "batch_norm"},
                                 {"type": "relu"}, {"type": "dropout", "rate": 0.2}, {"type": "dense", "units": 10}]},
            "training": {"epochs": a.epochs, "batchSize": 64,
                         "optimizer": {"type": "sgd", "learningRate": 0.05, "momentum": 0.9}},
            "ensemble": {"members": a.members}}


# --- the instances -----------------------------------------------------------------------------

class Node:
    """One instance: up (serving), its incarnation (which process), and why it last went down."""

    def __init__(self, index, url):
        self.index, self.url = index, url
        self.up = True
        self.incarnation = 0
        self.stopped_by = None
        self.lock = threading.Lock()

    @property
    def name(self):
        return f"node-{self.index}"

    def pid(self):
        with open(os.path.join(WORK, f"node-{self.index}.pid")) as f:
            return int(f.read().strip())

    def mark_down(self, how):
        with self.lock:
            self.up = False
            self.incarnation += 1
            self.stopped_by = how

    def start(self):
        subprocess.run([os.path.join(WORK, f"start-{self.index}.sh")], check=True, stdout=subprocess.DEVNULL)


NODES = [Node(i + 1, u) for i, u in enumerate(URLS)]


def healthy(url, timeout=2):
    try:
        return request("GET", url + "/actuator/health", timeout=timeout).status == 200
    except OSError:
        return False


def wait_healthy(node, limit=240):
    """Seconds until node answers /actuator/health; None if its process exits or time runs out."""
    started = time.monotonic()
    while time.monotonic() - started < limit and not stop_all.is_set():
        if healthy(node.url):
            return time.monotonic() - started
        if node.index and not alive(node.pid()):
            return None
        time.sleep(0.25)
    return None


def alive(pid):
    try:
        os.kill(pid, 0)
        return True
    except ProcessLookupError:
        return False


def wait_exit(pid, limit):
    started = time.monotonic()
    while time.monotonic() - started < limit:
        try:
            os.kill(pid, 0)
        except ProcessLookupError:
            return time.monotonic() - started
        time.sleep(0.1)
    return None


# --- load: every request is recorded and classified ----------------------------------------------

stop_all = threading.Event()
stop_load = threading.Event()
records_lock = threading.Lock()
records = []      # (kind, node, started, ended, outcome)
# what may happen to a request: an answer, a clean 503 while the database is away, or a connection
# cut by kill -9
ACCEPTED = ("200", "201", "503 problem with Retry-After", "interrupted by kill -9")
pg_window = {"start": None, "end": None}


def classify(answer):
    if answer.status == 503:
        problem = (answer.headers.get("Content-Type") or "").startswith("application/problem+json")
        return "503 problem with Retry-After" if problem and answer.headers.get("Retry-After") else "503 bare"
    return str(answer.status)


def record(kind, node, fn):
    """Runs one request against node and records how it ended. A connection error or timeout on a
    process that was stopped meanwhile is 'interrupted by kill -9' (expected) or 'by SIGTERM' (which
    should not happen: a graceful stop finishes the requests it has accepted)."""
    incarnation = node.incarnation
    started = now()
    try:
        outcome = classify(fn())
    except OSError as e:
        if node.incarnation != incarnation:
            outcome = f"interrupted by {node.stopped_by}"
        elif isinstance(e, ConnectTimeout):
            outcome = "no connection within the timeout (hang)"
        elif isinstance(e, TimeoutError):
            outcome = "no answer within the timeout (hang)"
        else:
            outcome = f"connection error ({type(e).__name__})"
    ended = now()
    with records_lock:
        records.append((kind, node.index, started, ended, outcome))
    if outcome not in ACCEPTED:
        say(f"{kind} on {node.name} from {started:.1f} s to {ended:.1f} s: {outcome}")
    return outcome


def load_loop(kind, node, request, pause):
    while not stop_load.is_set():
        if not node.up:
            time.sleep(0.1)
            continue
        record(kind, node, request)
        stop_load.wait(pause)


# --- checks --------------------------------------------------------------------------------------

checks = []


def check(name, ok, detail=""):
    checks.append({"name": name, "ok": bool(ok), "detail": detail})
    say(f"{'PASS' if ok else 'FAIL'} {name}{': ' + str(detail) if detail else ''}")


def sql(query):
    out = subprocess.run(PSQL + ["-At", "-F", "\t", "-c", query], check=True, capture_output=True, text=True).stdout
    return [line.split("\t") for line in out.splitlines() if line]


def sql_count(query):
    return int(sql(query)[0][0])


# --- the scenario --------------------------------------------------------------------------------

def main():
    first = NODES[0].url
    if wait_healthy(Node(0, a.reference)) is None:
        raise SystemExit(f"the reference instance {a.reference} is not healthy")
    say(f"cluster {' '.join(URLS)}, reference {a.reference}; {a.jobs} jobs x {a.members} members x "
        f"{a.epochs} epochs on {a.rows} Fashion-MNIST rows, hidden {a.hidden}")
    images, labels = idx_subset(a.rows, 0)
    small_images, small_labels = idx_subset(500, a.rows)
    datasets = {}
    for name, url in (("cluster", first), ("reference", a.reference)):
        answer = upload(url, "fashion-chaos", images, labels)
        if answer.status != 201:
            raise SystemExit(f"upload to {url}: {answer.status} {answer.body[:300]}")
        datasets[name] = answer.json()["id"]
    model_spec = {"layers": [{"type": "flatten"}, {"type": "dense", "units": 32}, {"type": "relu"},
                             {"type": "dense", "units": 10}],
                  "featureShape": [1, 28, 28], "classes": [str(c) for c in range(10)],
                  "preprocessing": {"method": "min_max", "statistics": {"min": [0], "max": [255]}, "perChannel": True}}
    body, ctype = multipart({}, {"weights": ("m.safetensors", small_model_file(7), "application/octet-stream"),
                                 "spec": ("spec.json", json.dumps(model_spec).encode(), "application/json")})
    model = call("POST", first + "/api/v1/models/import", body, ctype)["id"]
    instance = [b for b in images[16 + 784 * 3:16 + 784 * 4]]
    predict_body = json.dumps({"instances": [instance]}).encode()

    jobs, reference_jobs = [], []
    for j in range(a.jobs):
        jobs.append(call("POST", first + "/api/v1/jobs", job_spec(j, datasets["cluster"]))["id"])
        reference_jobs.append(call("POST", a.reference + "/api/v1/jobs", job_spec(j, datasets["reference"]))["id"])
    say(f"submitted {a.jobs} jobs to the cluster and the reference; prediction model {model}")

    first_predictions = []

    def first_prediction(node, after):
        """The first prediction a fresh process serves, recorded like any other request (a hang
        is a hang); the load reaches the instance only after it."""
        started = time.monotonic()
        outcome = record("first predict", node, lambda: request(
            "POST", f"{node.url}/api/v1/models/{model}/predictions", predict_body))
        with records_lock:
            first_predictions.append({"node": node.name, "after": after, "s": round(time.monotonic() - started, 2),
                                      "outcome": outcome})

    for node in NODES:
        first_prediction(node, "start")
    threads = []
    for node in NODES:
        for _ in range(a.predict_threads):
            threads.append(threading.Thread(daemon=True, target=load_loop, args=(
                "predict", node, lambda n=node: request("POST", f"{n.url}/api/v1/models/{model}/predictions",
                                                     predict_body), a.think)))
        threads.append(threading.Thread(daemon=True, target=load_loop, args=(
            "read", node, lambda n=node: request("GET", f"{n.url}/api/v1/jobs/{load_rng.choice(jobs)}"), 0.25)))
    uploaded = []

    def upload_once(n):
        answer = upload(n.url, "fashion-chaos-small", small_images, small_labels, timeout=a.timeout)
        if answer.status == 201:
            with records_lock:
                uploaded.append(answer.json()["id"])
        return answer

    def uploader():
        while not stop_load.wait(8):
            node = load_rng.choice([n for n in NODES if n.up] or NODES)
            if node.up:
                record("upload", node, lambda: upload_once(node))
    threads.append(threading.Thread(daemon=True, target=uploader))
    for t in threads:
        t.start()

    def job_states():
        states = Counter()
        for j in jobs:
            for node in [n for n in NODES if n.up] or NODES:
                try:
                    answer = request("GET", f"{node.url}/api/v1/jobs/{j}")
                    if answer.status == 200:
                        states[answer.json()["status"]] += 1
                        break
                except OSError:
                    pass
            else:
                states["unknown"] += 1
        return states

    def unfinished(states):
        return states["QUEUED"] + states["RUNNING"] + states["unknown"]

    events, restarts = [], []

    def restart(node, reason):
        # as a supervisor would: an instance that exits while it starts (say, because the
        # database was away just then) is started again, up to three times
        took = None
        for _ in range(3):
            node.start()
            took = wait_healthy(node)
            if took is not None or stop_all.is_set():
                break
            say(f"{node.name} exited while starting; starting it again")
        if took is not None:
            first_prediction(node, reason)
        with node.lock:
            node.up = took is not None
        restarts.append({"node": node.name, "after": reason, "healthy_after_s": None if took is None else round(took, 1)})
        say(f"{node.name} healthy again after {took:.1f} s" if took is not None else f"{node.name} did not come back")

    def kill(node):
        node.mark_down("kill -9")
        os.kill(node.pid(), signal.SIGKILL)
        wait_exit(node.pid(), 10)
        threading.Thread(daemon=True, target=restart, args=(node, "kill -9")).start()

    def sigterm(node):
        node.mark_down("SIGTERM")
        sent = time.monotonic()
        os.kill(node.pid(), signal.SIGTERM)
        took = wait_exit(node.pid(), 60)
        say(f"{node.name} exited {took:.1f} s after SIGTERM" if took is not None else f"{node.name} still running")
        threading.Thread(daemon=True, target=restart, args=(node, "SIGTERM")).start()
        return None if took is None else round(time.monotonic() - sent, 1)

    def restart_postgres():
        # recovery is measured on the instances that are up; one that is starting meanwhile may
        # exit for want of its database, and is started again
        live = [n for n in NODES if n.up]
        pg_window["start"] = now()
        started = time.monotonic()
        done = subprocess.run(a.pg_restart, shell=True, capture_output=True, text=True)
        db_back = time.monotonic()
        if done.returncode != 0:
            say(f"PostgreSQL restart failed ({done.returncode}): {done.stderr.strip()}")
        recovery = {}
        for node in live:
            deadline = db_back + 60
            while time.monotonic() < deadline:
                try:
                    if healthy(node.url) and request("GET", f"{node.url}/api/v1/jobs?size=1").status == 200:
                        break
                except OSError:
                    pass
                time.sleep(0.1)
            recovery[node.name] = round(time.monotonic() - db_back, 2) if time.monotonic() < deadline else None
        pg_window["end"] = now()
        return {"restart_command_s": round(db_back - started, 2), "ok": done.returncode == 0,
                "recovery_s": recovery, "live_nodes": [n.name for n in live]}

    # the schedule: a kill, the database restart and a SIGTERM close together early in the training,
    # then kills at random gaps
    plan = ["kill", "pg-restart", "sigterm"]
    next_event = now() + a.first_event
    # events stop in time for the last instances to come back and the jobs to finish
    events_until = a.budget - 90
    while now() < events_until:
        states = job_states()
        if unfinished(states) == 0:
            break
        if now() < next_event:
            time.sleep(min(2, next_event - now()))
            continue
        kind = plan.pop(0) if plan else "kill"
        event = {"t_s": round(now(), 1), "type": kind, "jobs": dict(states)}
        if kind == "pg-restart":
            say("restarting PostgreSQL")
            event.update(restart_postgres())
            say(f"PostgreSQL restarted in {event['restart_command_s']} s; instances healthy after {event['recovery_s']}")
        else:
            candidates = [n for n in NODES if n.up]
            if len(candidates) < 2:
                next_event = now() + 5
                continue
            node = rng.choice(candidates)
            event["node"] = node.name
            if kind == "kill":
                say(f"kill -9 {node.name}")
                kill(node)
            else:
                say(f"SIGTERM {node.name}")
                event["exited_after_s"] = sigterm(node)
        events.append(event)
        next_event = now() + (a.special_gap if plan else rng.uniform(a.min_gap, a.max_gap))

    say("chaos over; waiting for every instance to be up and every job to finish")
    while not all(n.up for n in NODES) and now() < a.budget:
        time.sleep(0.5)

    def finished(url, ids):
        states = {j: call("GET", f"{url}/api/v1/jobs/{j}") for j in ids}
        return states, all(v["status"] not in ("QUEUED", "RUNNING") for v in states.values())
    final, done = finished(first, jobs)
    while not done and now() < a.budget:
        time.sleep(2)
        final, done = finished(first, jobs)
    stop_load.set()
    for t in threads:
        t.join(timeout=a.timeout + 5)
    ref, done = finished(a.reference, reference_jobs)
    while not done and now() < a.budget:
        time.sleep(2)
        ref, done = finished(a.reference, reference_jobs)
    say(f"checks, {a.budget - now():.0f} s before the budget's end")

    # --- checks ---
    statuses = Counter(f["status"] for f in final.values())
    check("every job SUCCEEDED", statuses == Counter({"SUCCEEDED": a.jobs}), dict(statuses))
    check("every reference job SUCCEEDED", all(r["status"] == "SUCCEEDED" for r in ref.values()),
          dict(Counter(r["status"] for r in ref.values())))

    def hashes(url, job):
        out = {}
        for model_id in job.get("modelIds") or []:
            m = call("GET", f"{url}/api/v1/models/{model_id}")
            out[m["member"]] = m["provenance"]["weightsSha256"]
        return out
    mismatches, compared = [], 0
    for j, r in zip(jobs, reference_jobs):
        mine, theirs = hashes(first, final[j]), hashes(a.reference, ref[r])
        for member in range(a.members):
            compared += 1
            if mine.get(member) is None or mine.get(member) != theirs.get(member):
                mismatches.append(f"{final[j]['name']} member {member}: {mine.get(member)} vs {theirs.get(member)}")
    check("every member's weights hash equals the undisturbed reference's", not mismatches and compared > 0,
          f"{compared - len(mismatches)}/{compared} equal" + ("; " + "; ".join(mismatches[:3]) if mismatches else ""))

    expected_members = a.jobs * a.members
    check("no duplicate models", sql_count(
        "SELECT count(*) FROM (SELECT job_id, member FROM models WHERE job_id IS NOT NULL "
        "GROUP BY job_id, member HAVING count(*) > 1) d") == 0
        and sql_count("SELECT count(*) FROM models WHERE job_id IS NOT NULL") == expected_members,
        f"{sql_count('SELECT count(*) FROM models WHERE job_id IS NOT NULL')} trained models for {expected_members} members")
    check("every member's model is its job's", sql_count(
        "SELECT count(*) FROM training_members t JOIN models m ON m.id = t.model_id "
        "WHERE t.status = 'SUCCEEDED' AND m.job_id = t.job_id AND m.member = t.member") == expected_members)
    check("no duplicate ensembles", sql_count("SELECT count(*) FROM ensembles") == a.jobs and sql_count(
        "SELECT count(*) FROM ensembles e WHERE NOT EXISTS (SELECT 1 FROM training_jobs j WHERE j.ensemble_id = e.id)")
        == 0, f"{sql_count('SELECT count(*) FROM ensembles')} ensembles for {a.jobs} jobs")
    bad_metrics = sql(
        "SELECT job_id, member, count(*), count(DISTINCT epoch), min(epoch), max(epoch) FROM training_metrics "
        f"GROUP BY job_id, member HAVING count(*) <> {a.epochs} OR count(DISTINCT epoch) <> {a.epochs} "
        f"OR min(epoch) <> 1 OR max(epoch) <> {a.epochs}")
    metric_rows = sql_count("SELECT count(*) FROM training_metrics")
    check("exactly one metrics row per (job, member, epoch)",
          not bad_metrics and metric_rows == expected_members * a.epochs,
          f"{metric_rows} rows for {expected_members * a.epochs}" + (f"; e.g. {bad_metrics[0]}" if bad_metrics else ""))
    epoch_events = sql_count(
        "SELECT count(*) FROM (SELECT job_id, data::json->>'member', data::json->>'epoch' FROM training_events "
        "WHERE type = 'epoch' GROUP BY 1, 2, 3 HAVING count(*) > 1) d")
    epoch_total = sql_count("SELECT count(*) FROM training_events WHERE type = 'epoch'")
    member_done = sql(
        "SELECT count(*) FROM training_events WHERE type = 'status' AND data::json->>'status' = 'SUCCEEDED' "
        "AND data::json->>'member' IS NOT NULL GROUP BY job_id, data::json->>'member'")
    job_done = sql(
        "SELECT count(*) FROM training_events WHERE (type = 'completed') OR (type = 'status' "
        "AND data::json->>'status' = 'SUCCEEDED' AND data::json->>'member' IS NULL) GROUP BY job_id, type")
    check("no duplicate events",
          epoch_events == 0 and epoch_total == expected_members * a.epochs
          and len(member_done) == expected_members and all(c == ["1"] for c in member_done)
          and len(job_done) == 2 * a.jobs and all(c == ["1"] for c in job_done),
          f"{epoch_total} epoch events, {len(member_done)} members and {len(job_done) // 2} jobs with one end each")
    check("no training tasks left in db-scheduler", sql_count("SELECT count(*) FROM scheduled_tasks") == 0)
    orphans = sql_count("SELECT count(*) FROM dataset_chunks c WHERE NOT EXISTS "
                        "(SELECT 1 FROM datasets d WHERE d.id = c.dataset_id)")
    incomplete = sql_count(
        "SELECT count(*) FROM datasets d WHERE d.size_bytes <> "
        "(SELECT coalesce(sum(length(c.data)), 0) FROM dataset_chunks c WHERE c.dataset_id = d.id)")
    stored = {row[0] for row in sql("SELECT id FROM datasets")}
    lost = [u for u in uploaded if u not in stored]
    check("no orphan or partial dataset chunks, no lost upload", orphans == 0 and incomplete == 0 and not lost,
          f"{orphans} orphan chunks, {incomplete} datasets whose chunks do not add up, {len(uploaded)} uploads "
          f"answered 201 during the chaos, {len(lost)} of them missing")
    check("no orphan model chunks", sql_count(
        "SELECT count(*) FROM model_chunks c WHERE NOT EXISTS (SELECT 1 FROM models m WHERE m.id = c.model_id)") == 0
        and sql_count("SELECT count(*) FROM models m WHERE NOT EXISTS "
                      "(SELECT 1 FROM model_chunks c WHERE c.model_id = m.id)") == 0)

    with records_lock:
        all_records = list(records)
    by_outcome = Counter(r[4] for r in all_records)
    by_kind = {k: dict(Counter(r[4] for r in all_records if r[0] == k))
               for k in ("first predict", "predict", "read", "upload")}
    failures = {k: v for k, v in by_outcome.items() if k not in ACCEPTED}
    check("no 500, no other error, no hang, no refused connection on a live instance", not failures,
          dict(failures) if failures else f"{len(all_records)} requests")
    pg = next((e for e in events if e["type"] == "pg-restart"), None)
    if pg is None:
        check("PostgreSQL restarted mid-training", False, "training ended before the second event")
    else:
        window = [r for r in all_records if r[3] >= pg_window["start"] and r[2] <= pg_window["end"]]
        during = Counter(r[4] for r in window)
        pg["requests"] = dict(during)
        clean = all(k in ("200", "201", "503 problem with Retry-After") for k in during)
        check("PostgreSQL restarted mid-training", pg["ok"] and pg["jobs"].get("RUNNING", 0) > 0,
              f"{pg['jobs']} at the restart")
        check("during the PostgreSQL restart: only 200 or 503 problems with Retry-After", clean and window,
              f"{len(window)} requests: {dict(during)}")
        slowest = max((v for v in pg["recovery_s"].values() if v is not None), default=None)
        check(f"healthy within {a.recovery_limit:g} s of the database being back",
              None not in pg["recovery_s"].values() and slowest is not None and slowest <= a.recovery_limit,
              pg["recovery_s"])
    sigterms = [e for e in events if e["type"] == "sigterm"]
    check("a graceful stop mid-training", sigterms and sigterms[0]["jobs"].get("RUNNING", 0) > 0
          and sigterms[0]["exited_after_s"] is not None, sigterms[0] if sigterms else "training ended before the third event")
    kills = [e for e in events if e["type"] == "kill"]
    check("instances killed mid-training", len(kills) >= 1, f"{len(kills)} kills")

    attempts = sql("SELECT attempt, count(*) FROM training_members GROUP BY attempt ORDER BY attempt")
    summary = {
        "scenario": {k: v for k, v in vars(a).items() if k not in ("out", "pg_restart")},
        "instances": [n.name for n in NODES],
        "duration_s": round(now(), 1),
        "events": events,
        "kills": len(kills), "sigterms": len(sigterms), "postgres_restarts": 1 if pg else 0,
        "instance_restarts": restarts,
        "first_predictions": first_predictions,
        "member_attempts": {row[0]: int(row[1]) for row in attempts},
        "requests": {"total": len(all_records), "by_outcome": dict(by_outcome), "by_kind": by_kind,
                     "failed": [{"kind": r[0], "node": f"node-{r[1]}", "from_s": round(r[2], 1), "to_s": round(r[3], 1),
                                 "outcome": r[4]} for r in all_records if r[4] not in ACCEPTED][:50]},
        "postgres_restart": pg,
        "checks": checks,
        "ok": all(c["ok"] for c in checks),
    }
    os.makedirs(a.out, exist_ok=True)
    with open(os.path.join(a.out, "summary.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print_summary(summary)
    return 0 if summary["ok"] else 1


def print_summary(s):
    print()
    print(f"Chaos scenario: {len(s['instances'])} instances, {s['scenario']['jobs']} jobs x "
          f"{s['scenario']['members']} members x {s['scenario']['epochs']} epochs, {s['duration_s']:.0f} s")
    print(f"  events: {s['kills']} kill -9, {s['sigterms']} SIGTERM, {s['postgres_restarts']} PostgreSQL restart")
    for e in s["events"]:
        what = e["type"] + (" " + e["node"] if "node" in e else "")
        print(f"    {e['t_s']:6.1f} s  {what:16s} jobs {e['jobs']}")
    for r in s["instance_restarts"]:
        print(f"  {r['node']} back after {r['after']}: healthy in {r['healthy_after_s']} s")
    for f in s["first_predictions"]:
        print(f"  first prediction of {f['node']} ({f['after']}): {f['s']} s, {f['outcome']}")
    print(f"  member attempts (1 = never taken over): {s['member_attempts']}")
    print(f"  requests: {s['requests']['total']}, by outcome {s['requests']['by_outcome']}")
    for kind, counts in s["requests"]["by_kind"].items():
        print(f"    {kind:8s} {counts}")
    pg = s["postgres_restart"]
    if pg:
        print(f"  PostgreSQL restart: command {pg['restart_command_s']} s, instances healthy "
              f"{pg['recovery_s']} s after it, requests meanwhile {pg.get('requests')}")
    for c in s["checks"]:
        print(f"  [{'ok' if c['ok'] else 'FAIL'}] {c['name']}" + (f" ({c['detail']})" if c["detail"] else ""))
    print("PASSED" if s["ok"] else "FAILED")


def keep_logs():
    os.makedirs(a.out, exist_ok=True)
    for node in NODES:
        log = os.path.join(WORK, f"node-{node.index}.log")
        if os.path.exists(log):
            shutil.copy(log, os.path.join(a.out, f"node-{node.index}.log"))


if __name__ == "__main__":
    try:
        sys.exit(main())
    finally:
        stop_all.set()
        stop_load.set()
        keep_logs()
