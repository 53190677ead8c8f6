"""Measures Kiln's kernel and ipykernel side by side: launch time, execute round trips, idle memory."""
import argparse
import os
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import zmq

from jupyter_wire import DELIMITER, WireClient, execute_content, launch, new_connection_file, shut_down

PYTHON = "/usr/bin/python3"  # Debian's: the interpreter Kiln embeds and ipykernel runs on
SETTLE = 0.5  # seconds a started kernel is left alone before its memory is read
WARMUP = 5  # round trips before those that are timed

# key, row label, unit, Kiln's target (at most)
METRICS = [
    ("launch", "launch to first kernel_info_reply", "ms", 100),
    ("empty", "empty execute round trip", "ms", 0.3),
    ("print", "print('x'*100) round trip", "ms", 0.5),
    ("rss", "idle RSS", "MiB", 50),
]


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--build", default="build", help="Kiln's build folder (default: build)")
    parser.add_argument("--quick", action="store_true", help="few repetitions: checks the bench runs")
    parser.add_argument("--launches", type=int, help="launches per kernel (default 7, quick 2)")
    parser.add_argument("--round-trips", type=int, help="timed executes per kernel and code (default 300, quick 20)")
    args = parser.parse_args()
    args.launches = args.launches or (2 if args.quick else 7)
    args.round_trips = args.round_trips or (20 if args.quick else 300)
    return args


def install_kernelspecs(build, prefix):
    """Installs both kernelspecs under prefix; returns {kernel: path of its kernel.json}."""
    kernels = prefix / "share" / "jupyter" / "kernels"
    run_quietly([str(build / "kernel" / "kiln-kernel"), "install", "--prefix", str(prefix)])
    run_quietly([PYTHON, "-m", "ipykernel", "install", "--prefix", str(prefix)])
    return {"Kiln": kernels / "kiln" / "kernel.json", "ipykernel": kernels / "python3" / "kernel.json"}


def run_quietly(argv):
    """Runs a command, showing its output only when it fails."""
    done = subprocess.run(argv, capture_output=True, text=True)
    if done.returncode != 0:
        sys.exit(f"{' '.join(argv)} failed ({done.returncode}):\n{done.stdout}{done.stderr}")


class Started:
    """A kernel process launched from its kernel.json, and a raw client on it."""

    def __init__(self, kernel_json, workdir):
        connection_file = workdir / f"connection-{time.monotonic_ns()}.json"
        self.client = WireClient(new_connection_file(connection_file), reconnect_ms=1)
        start = time.perf_counter()
        self.proc = launch(kernel_json, connection_file, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        self.client.request("kernel_info_request", {}, timeout=60)
        self.launch_s = time.perf_counter() - start

    def stop(self):
        shut_down(self.client, self.proc)
        self.client.close()


def rss_mib(pid):
    with open(f"/proc/{pid}/status") as f:
        kib = next(int(line.split()[1]) for line in f if line.startswith("VmRSS:"))
    return kib / 1024


def round_trip(client, code):
    """Seconds from sending an execute_request to its status idle on iopub; the reply is then read."""
    msg = client.message("execute_request", execute_content(code))
    frames = client.frames(msg)
    msg_id = msg["header"]["msg_id"].encode()
    iopub = client.sockets["iopub"]
    start = time.perf_counter()
    client.send_frames(frames)
    while not is_idle_of(iopub.recv_multipart(), msg_id):
        pass
    elapsed = time.perf_counter() - start
    client.reply_to(msg)
    return elapsed


def is_idle_of(frames, msg_id):
    """Whether iopub frames are the status idle of msg_id, read without parsing the JSON."""
    header, parent, _, content = frames[frames.index(DELIMITER) + 2 :][:4]
    return b'"status"' in header and msg_id in parent and b'"idle"' in content


def median_round_trip(client, code, n):
    for _ in range(WARMUP):
        round_trip(client, code)
    return statistics.median(round_trip(client, code) for _ in range(n))


def measure(kernel_json, workdir, args):
    """The four metrics of one kernel, in the units of METRICS."""
    launches = []
    for _ in range(args.launches - 1):
        kernel = Started(kernel_json, workdir)
        launches.append(kernel.launch_s)
        kernel.stop()
    kernel = Started(kernel_json, workdir)
    launches.append(kernel.launch_s)
    try:
        kernel.client.wait_for_iopub()
        kernel.client.sockets["iopub"].setsockopt(zmq.RCVTIMEO, 60 * 1000)  # no hang on a stuck kernel
        time.sleep(SETTLE)
        return {
            "launch": statistics.median(launches) * 1e3,
            "rss": rss_mib(kernel.proc.pid),
            "empty": median_round_trip(kernel.client, "", args.round_trips) * 1e3,
            "print": median_round_trip(kernel.client, "print('x'*100)", args.round_trips) * 1e3,
        }
    finally:
        kernel.stop()


def table(results, args):
    kiln, ipykernel = results["Kiln"], results["ipykernel"]
    rows = [
        "| metric | Kiln | ipykernel | Kiln/ipykernel | Kiln target | Kiln meets target |",
        "|---|---:|---:|---:|---:|:---:|",
    ]
    for key, label, unit, target in METRICS:
        k, i = kiln[key], ipykernel[key]
        rows.append(
            f"| {label} ({unit}) | {k:.3g} | {i:.3g} | {k / i:.2f} | <= {target:g} | {'yes' if k <= target else 'no'} |"
        )
    note = (
        f"Medians: launch over {args.launches} launches, round trips over {args.round_trips} executes "
        "(raw pyzmq client, signed messages, send to status idle)."
    )
    return "\n".join(rows) + "\n\n" + note


def private_jupyter_env(root):
    """Points Jupyter and IPython at folders under root, so the user's own are not touched."""
    for var, folder in [
        ("JUPYTER_DATA_DIR", "data"),
        ("JUPYTER_RUNTIME_DIR", "runtime"),
        ("JUPYTER_CONFIG_DIR", "config"),
        ("IPYTHONDIR", "ipython"),
    ]:
        os.environ[var] = str(root / folder)


def main():
    args = parse_args()
    build = Path(args.build).resolve()
    with tempfile.TemporaryDirectory(prefix="kiln-bench-") as tmp:
        root = Path(tmp)
        private_jupyter_env(root)
        specs = install_kernelspecs(build, root / "prefix")
        results = {}
        for name, kernel_json in specs.items():
            print(f"measuring {name}...", file=sys.stderr, flush=True)
            results[name] = measure(kernel_json, root, args)
    print(table(results, args))


if __name__ == "__main__":
    main()
