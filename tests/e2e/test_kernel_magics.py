"""Magics and the per-cell report through jupyter_client: what each sends, and when nothing is sent."""
import re

import pytest

DEFINE = ("import numpy as np\nfrom kiln import njit\n\n@njit\ndef scale(a, k):\n"
          "    out = np.empty_like(a)\n    for i in range(len(a)):\n        out[i] = a[i] * k\n    return out\n")


def ok(run):
    assert run.status == "ok", run
    return run


@pytest.fixture
def compiled(kernel):
    """A kernel where scale(float64[:], float64) is compiled, with the report back to its default."""
    ok(kernel.execute("%kiln report summary"))
    ok(kernel.execute(DEFINE))
    ok(kernel.execute("x = np.arange(5.0)\ny = scale(x, 2.0)"))
    return kernel


def only_display(run):
    assert len(run.displays) == 1, run
    return run.displays[0]


def test_report_after_a_compiling_cell(kernel):
    ok(kernel.execute("%kiln report summary"))
    ok(kernel.execute(DEFINE))
    run = ok(kernel.execute("scale(np.ones(3), 1.5)"))
    report = only_display(run)
    assert set(report) >= {"text/plain", "text/html"}
    plain, page = report["text/plain"], report["text/html"]
    assert re.fullmatch(r"compiled scale\(array\(float64, 1d, C\), float64\) nopython in [0-9.]+ ms", plain), plain
    for part in ("scale", "array(float64, 1d, C), float64", "nopython", "parse", "infer", "lower", "optimize",
                 "machine code", "total", "LLVM IR (optimized)", "LLVM IR before optimization", "assembly"):
        assert part in page, part
    assert "<details open" not in page  # summary: folded
    # the report comes when the cell has ended: after its result
    kinds = [t for t in run.types() if t in ("display_data", "execute_result")]
    assert kinds == ["execute_result", "display_data"], kinds


def test_no_report_after_a_cell_that_compiles_nothing(compiled):
    run = ok(compiled.execute("scale(x, 3.0)[1]"))
    assert run.displays == [] and run.result == "3.0"
    assert ok(compiled.execute("z = 1")).displays == []


def test_report_full_and_off(compiled):
    ok(compiled.execute("%kiln report full"))
    run = ok(compiled.execute("scale(np.ones(2, np.float32), 2.0)"))
    report = only_display(run)
    assert "<details open" in report["text/html"]
    assert "define" in report["text/plain"]  # the IR is in the text form too
    ok(compiled.execute("%kiln report off"))
    assert ok(compiled.execute("scale(np.ones(2, np.int64), 2)")).displays == []
    assert "report: off" in ok(compiled.execute("%kiln")).stdout
    ok(compiled.execute("%kiln report summary"))
    run = compiled.execute("%kiln report loud")
    assert run.status == "error" and run.content["ename"] == "UsageError", run


def test_silent_cells_show_no_report(compiled):
    run = compiled.execute("scale(np.ones(2, np.int32), 2)", silent=True)
    assert run.status == "ok" and run.displays == [], run


@pytest.mark.parametrize("magic, language", [("%ir scale", "define"), ("%ir scale --raw", "define"),
                                             ("%asm scale", "ret")])
def test_ir_and_asm(compiled, magic, language):
    shown = only_display(ok(compiled.execute(magic)))
    assert set(shown) >= {"text/plain", "text/html"}
    assert language in shown["text/plain"]
    assert "scale" in shown["text/plain"]


def test_ir_raw_differs_from_optimized(compiled):
    raw = only_display(ok(compiled.execute("%ir scale --raw")))["text/plain"]
    optimized = only_display(ok(compiled.execute("%ir scale")))["text/plain"]
    assert raw != optimized and "alloca" in raw


def test_ir_picks_a_signature_and_lists_them_when_asked_wrongly(compiled):
    ok(compiled.execute("scale(np.ones(2, np.int64), 3)"))
    run = compiled.execute("%ir scale")
    assert run.status == "error" and "has 2 specializations" in run.content["evalue"], run
    assert "array(float64, 1d, C), float64" in run.content["evalue"]
    shown = only_display(ok(compiled.execute("%ir scale array(int64, 1d, C), int64")))
    assert "define" in shown["text/plain"]
    run = compiled.execute("%ir scale float32")
    assert run.status == "error" and "no specialization for float32" in run.content["evalue"], run


def test_magic_errors_are_usage_errors(kernel):
    for code, message in [("%ir", "usage"), ("%ir len", "needs a function decorated"),
                          ("%nosuch", "not found"), ("%compare 3", "usage")]:
        run = kernel.execute(code)
        assert run.status == "error", run
        assert run.content["ename"] == "UsageError" and message in run.content["evalue"], run


def test_types_and_bytecode(compiled):
    assert "a = arg(0, name=a)  :: array(float64, 1d, C)" in ok(compiled.execute("%types scale")).stdout
    assert "LOAD_FAST" in ok(compiled.execute("%bytecode scale")).stdout


def test_time_and_timeit(compiled):
    run = ok(compiled.execute("%time scale(x, 2.0)[4]"))
    assert re.search(r"CPU times: user .+, sys: .+, total: .+\nWall time: [0-9.]+ (s|ms|µs|ns)", run.stdout), run
    assert run.result == "8.0"
    run = ok(compiled.execute("%timeit -n 100 -r 3 scale(x, 2.0)"))
    assert re.fullmatch(r"[0-9.]+ (s|ms|µs|ns) ± [0-9.]+ (s|ms|µs|ns) per loop "
                        r"\(mean ± std\. dev\. of 3 runs, 100 loops each\)\n", run.stdout), run.stdout
    run = ok(compiled.execute("%timeit scale(x, 2.0)"))
    assert "of 7 runs" in run.stdout, run.stdout


def test_lsmagic_lists_every_magic(kernel):
    out = ok(kernel.execute("%lsmagic")).stdout
    for name in ("%ir", "%asm", "%types", "%bytecode", "%annotate", "%time", "%timeit", "%compare", "%kiln",
                 "%lsmagic"):
        assert name in out, name


def test_magics_inside_blocks_and_strings_left_alone(compiled):
    run = ok(compiled.execute("for n in (1, 2):\n    %time scale(x, n)\ntext = '''\n%not a magic\n'''\nv = (10\n"
                              "  % 3)\n"))
    assert run.stdout.count("Wall time") == 2
    assert compiled.execute("text").result == "'\\n%not a magic\\n'"
    assert compiled.execute("v").result == "1"


def test_compare_runs_the_three_modes(compiled):
    shown = only_display(ok(compiled.execute("%compare scale(np.arange(1000.0), 3.0)")))
    plain, page = shown["text/plain"], shown["text/html"]
    rows = {line.split()[0]: line for line in plain.splitlines() if line.split()}
    assert "plain" in rows and "nopython" in rows and "object" in rows, plain
    assert re.search(r"nopython\s+(-|[0-9.]+ \S+)\s+[0-9.]+ \S+\s+[0-9.]+x", rows["nopython"]), plain
    assert re.search(r"object\s+mode\s+[0-9.]+ \S+\s+[0-9.]+ \S+\s+[0-9.]+x", rows["object"]), plain
    assert "the results agree" in plain, plain
    assert "<svg" in page and "<table>" in page and "speedup" in page


def test_compare_says_when_results_differ(kernel):
    ok(kernel.execute("from kiln import njit\n\n@njit\ndef wraps(n):\n    return n * n\n"))
    run = ok(kernel.execute("%compare wraps(2**40)"))  # int64 wraps; Python's does not
    shown, report = run.displays  # wraps compiled for int64 by the comparison: the report says so
    assert "results differ from plain Python: nopython" in shown["text/plain"], shown["text/plain"]
    assert report["text/plain"].startswith("compiled wraps(int64) nopython")


def test_annotate_shades_lines_and_shows_their_ir(compiled):
    shown = only_display(ok(compiled.execute("%annotate scale")))
    plain, page = shown["text/plain"], shown["text/html"]
    assert "scale(array(float64, 1d, C), float64), nopython mode" in plain
    assert "out[i] = a[i] * k" in plain and "out[i] = a[i] * k" in page
    assert page.count("<details") >= 5 and "background:#ffffff" in page
    assert "getelementptr" in page or "load" in page  # the IR of the loop's line
