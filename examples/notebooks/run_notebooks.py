#!/usr/bin/python3
"""Executes Regula's notebooks headless and fails if any cell fails.

Each notebook is executed with nbclient in its own directory, as Jupyter runs it (the notebooks read their CSV
from ``data/`` there and load Regula by its Maven coordinates, so nothing is copied beside them); the executed
notebook (with its outputs) is written to the output directory, also when a cell fails. Exit status: 0 when every
notebook ran without an error output, 1 when a cell failed, 2 on bad arguments or missing kernels.

Usage:
  run_notebooks.py [--jupyter-path examples/target/jupyter] [--out examples/target/notebooks] [--timeout 600] NB...

Run it with Debian's /usr/bin/python3 (apt packages python3-nbclient, jupyter-client); see docs/notebooks.md.
"""
import argparse
import os
import socket
import sys
import time

# How often a kernel that does not answer at start-up is started again (before any cell has run). rapaio's
# kernel 3.0.1 now and then starts, binds its sockets and never receives a request (seen in about one start in
# five on a 2-core machine; its shell thread polls an empty socket); a fresh start works.
STARTUP_ATTEMPTS = 5
# Seconds a kernel may take to start listening and to answer its first request (normally 1-3 s for rapaio,
# 5-10 s for the Kotlin kernel).
STARTUP_SECONDS = 30


def wait_until_listening(km, seconds):
    """Waits until the kernel accepts connections on its shell port (or fails fast if the process exits), so the
    client's first requests are not sent to a kernel that is still starting its JVM."""
    deadline = time.time() + seconds
    while time.time() < deadline:
        if not km.is_alive():
            raise RuntimeError("Kernel died at start-up")
        try:
            socket.create_connection((km.ip, km.shell_port), timeout=1).close()
            return
        except OSError:
            time.sleep(0.2)
    raise RuntimeError(f"Kernel didn't listen on its shell port within {seconds} seconds")


def main():
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--jupyter-path", help="Jupyter data directory holding kernels/ (prepended to JUPYTER_PATH)")
    ap.add_argument("--out", default="target/notebooks", help="where the executed copies are written")
    ap.add_argument("--timeout", type=int, default=600, help="seconds allowed per cell")
    ap.add_argument("notebooks", nargs="+")
    args = ap.parse_args()

    if args.jupyter_path:
        os.environ["JUPYTER_PATH"] = os.pathsep.join(
            p for p in (os.path.abspath(args.jupyter_path), os.environ.get("JUPYTER_PATH")) if p)
    # Imported after JUPYTER_PATH is set: jupyter_core reads it when looking kernels up.
    import nbformat
    from jupyter_client.kernelspec import KernelSpecManager, NoSuchKernel
    from jupyter_client.manager import KernelManager
    from nbclient import NotebookClient
    from nbclient.exceptions import CellExecutionError

    os.makedirs(args.out, exist_ok=True)

    specs = KernelSpecManager()
    failed = []
    for path in args.notebooks:
        nb = nbformat.read(path, as_version=4)
        kernel = nb.metadata.get("kernelspec", {}).get("name")
        try:
            specs.get_kernel_spec(kernel)
        except NoSuchKernel:
            print(f"run_notebooks: kernel '{kernel}' of {path} is not installed "
                  f"(run examples/notebooks/install-kernels.sh)", file=sys.stderr)
            return 2
        out_path = os.path.join(args.out, os.path.basename(path))
        workdir = os.path.dirname(os.path.abspath(path))
        start = time.time()
        for attempt in range(1, STARTUP_ATTEMPTS + 1):
            nb = nbformat.read(path, as_version=4)
            km = KernelManager(kernel_name=kernel)
            problem = None
            try:
                km.start_kernel(cwd=workdir)
                wait_until_listening(km, STARTUP_SECONDS)
                client = NotebookClient(nb, km=km, timeout=args.timeout, startup_timeout=STARTUP_SECONDS,
                                        resources={"metadata": {"path": workdir}})
                client.execute()
            except CellExecutionError as e:
                problem = str(e)
            except Exception as e:  # kernel died, timeout, ...
                problem = f"{type(e).__name__}: {e}"
            finally:
                nbformat.write(nb, out_path)
                if km.has_kernel:
                    try:
                        km.shutdown_kernel(now=True)
                    except Exception as e:  # a kernel that failed to start can refuse a clean shutdown (ZMQ ENOTSUP);
                        # that must not hide the start-up retry below: the cells' outcome decides
                        print(f"{path}: kernel shutdown failed ({type(e).__name__}: {e})", flush=True)
            started = any(c.get("execution_count") for c in nb.cells if c.cell_type == "code")
            if problem and not started and "Kernel" in problem and attempt < STARTUP_ATTEMPTS:
                # The kernel did not answer (or died) before any cell ran; a fresh start changes nothing else.
                print(f"{path}: kernel '{kernel}' did not answer at start-up ({problem}); retrying", flush=True)
                continue
            break
        # Some kernels report a failure only as an error output; count those too.
        errors = [o for c in nb.cells for o in c.get("outputs", []) if o.get("output_type") == "error"]
        if errors and problem is None:
            problem = "; ".join(f"{o.get('ename')}: {o.get('evalue')}" for o in errors)
        status = "FAILED" if problem else "ok"
        print(f"{path}: {status}, {len(nb.cells)} cells, {time.time() - start:.1f} s -> {out_path}", flush=True)
        if problem:
            print(problem, file=sys.stderr)
            failed.append(path)
    return 1 if failed else 0


if __name__ == "__main__":
    sys.exit(main())
